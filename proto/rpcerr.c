/*
 * rpcerr.c - the table from error codes to the protocol's (see rpcerr.h).
 */
#include <errno.h>
#include <stddef.h>

#include "proto/rpcerr.h"

#define R(req) CRTOOL__REQUEST__REQ_##req
#define E(code) CRTOOL__ERROR_CODE__##code

static const struct {
	Crtool__Request__ReqCase req;
	int code;
	Crtool__ErrorCode to;
} rpcerr_table[] = {
	{ R(RUN), -EINVAL, E(NO_SUCH_NODE) },       { R(RUN), -EAGAIN, E(CLUSTER_FULL) },
	{ R(RUN), -ENOEXEC, E(NOT_A_PROGRAM) },     { R(RUN), -ENOMEM, E(NO_MEMORY) },
	{ R(RUN), -E2BIG, E(ARGS_TOO_BIG) },        { R(KILL), -ESRCH, E(NO_SUCH_PROCESS) },
	{ R(WAIT), -ESRCH, E(NO_SUCH_PROCESS) },    { R(WAIT), -EINTR, E(SHUTTING_DOWN) },
	{ R(OUTPUT), -ESRCH, E(NO_SUCH_PROCESS) },  { R(OUTPUT), -EINTR, E(SHUTTING_DOWN) },
	{ R(DUMP), -ESRCH, E(NO_SUCH_PROCESS) },    { R(DUMP), -ESTALE, E(BAD_PARENT) },
	{ R(DUMP), -EIO, E(NOT_STORED) },           { R(DUMP), -ENOSPC, E(NOT_STORED) },
	{ R(DUMP), -EFBIG, E(NOT_STORED) },         { R(DUMP), -EDQUOT, E(NOT_STORED) },
	{ R(RESTORE), -EBADF, E(BAD_REQUEST) },     { R(RESTORE), -EFBIG, E(BAD_REQUEST) },
	{ R(RESTORE), -EINVAL, E(NO_SUCH_NODE) },   { R(RESTORE), -EBADMSG, E(BAD_IMAGE) },
	{ R(RESTORE), -EPROTO, E(IMAGE_MISMATCH) }, { R(RESTORE), -EEXIST, E(PID_IN_USE) },
	{ R(RESTORE), -EAGAIN, E(CLUSTER_FULL) },   { R(RESTORE), -ENOMEM, E(NO_MEMORY) },
	{ R(MIGRATE), -ESRCH, E(NO_SUCH_PROCESS) }, { R(MIGRATE), -EINVAL, E(NO_SUCH_NODE) },
	{ R(MIGRATE), -EAGAIN, E(CLUSTER_FULL) },   { R(MIGRATE), -ENOMEM, E(NO_MEMORY) },
	{ R(MIGRATE), -ENOSPC, E(NO_MEMORY) },      { R(MIGRATE), -EPROTO, E(IMAGE_MISMATCH) },
	{ R(MIGRATE), -EHOSTDOWN, E(NODE_LOST) },   { R(APP_DUMP), -ESRCH, E(NO_SUCH_PROCESS) },
	{ R(APP_DUMP), -ESTALE, E(BAD_PARENT) },    { R(APP_DUMP), -EIO, E(NOT_STORED) },
	{ R(APP_DUMP), -ENOSPC, E(NOT_STORED) },    { R(APP_DUMP), -EFBIG, E(NOT_STORED) },
	{ R(APP_DUMP), -EDQUOT, E(NOT_STORED) },    { R(APP_DUMP), -EINVAL, E(BAD_REQUEST) },
};

Crtool__ErrorCode rpcerr_code(Crtool__Request__ReqCase req, int code)
{
	for (size_t i = 0; i < sizeof(rpcerr_table) / sizeof(rpcerr_table[0]); i++)
		if (rpcerr_table[i].req == req && rpcerr_table[i].code == code)
			return rpcerr_table[i].to;
	return E(INTERNAL);
}
