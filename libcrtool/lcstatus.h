/*
 * lcstatus.h - the status (enum crt_status, crtool's exit status) of an
 * error of libcrimg: one table for the library's calls and crtool's
 * offline commands alike, so that the same problem with an image gives
 * the same status wherever it is met.
 */
#ifndef LCSTATUS_H
#define LCSTATUS_H

/* Of err, a negative errno libcrimg returned: CRT_BAD_IMAGE for an image
 * that is not valid (EINVAL, EPROTONOSUPPORT, ELOOP, EFBIG), CRT_FAILED
 * when out of memory, else CRT_IO (a file or directory missing, not
 * readable or not writable). */
int lcstatus_of_image(int err);

#endif /* LCSTATUS_H */
