/*
 * appreq.h - the control protocol's group requests (proto/rpc.proto,
 * docs/rpc.md): a group dump (AppDumpRequest, then a DumpFiles frame
 * per member, DumpEnd, DumpCommit, AppDumpReply) and a group restore
 * (AppRestoreRequest, then a RestoreFiles frame per member,
 * AppRestoreReply), carried out with appcr.h.
 */
#ifndef APPREQ_H
#define APPREQ_H

#include "proto/rpc.pb-c.h"

struct board;

/* Each reads its members' frames off fd, carries the request out and
 * answers it: 0 to go on with the connection, else the client is gone. */
int appreq_dump(struct board *b, int fd, const Crtool__AppDumpRequest *rq);
int appreq_restore(struct board *b, int fd, const Crtool__AppRestoreRequest *rq);

#endif /* APPREQ_H */
