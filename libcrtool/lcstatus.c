/*
 * lcstatus.c - the status of an error of libcrimg (see lcstatus.h).
 */
#include <errno.h>

#include "libcrtool/lcstatus.h"
#include "libcrtool/libcrtool.h"

int lcstatus_of_image(int err)
{
	switch (-err) {
	case EINVAL:
	case EPROTONOSUPPORT:
	case ELOOP:
	case EFBIG: return CRT_BAD_IMAGE;
	case ENOMEM: return CRT_FAILED;
	default: return CRT_IO;
	}
}
