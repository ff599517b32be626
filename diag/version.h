/*
 * version.h - the one version of crtool, manycore and libcrtool, also
 * written into every image set and group image they make.
 */
#ifndef VERSION_H
#define VERSION_H

#define CRTOOL_VERSION "0.10.0"

#endif /* VERSION_H */
