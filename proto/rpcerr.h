/*
 * rpcerr.h - how an error of the board reaches a client of the control
 * protocol: the one table from the code of the error carrier
 * (diag/crerr.h, a negative errno) to the protocol's error codes
 * (proto/rpc.proto), by request. A code may mean another thing to
 * another request: -ENOSPC is a full disk to a dump (its images were not
 * stored) and a full node to a migration (no free NoC endpoints there).
 */
#ifndef RPCERR_H
#define RPCERR_H

#include "proto/rpc.pb-c.h"

/* The protocol's code for error code (a negative errno) of request req;
 * INTERNAL for what the table does not name. */
Crtool__ErrorCode rpcerr_code(Crtool__Request__ReqCase req, int code);

#endif /* RPCERR_H */
