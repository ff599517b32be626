# config.mk - tools, flags and output folders.

BUILD ?= build

CC ?= cc
HOST_STD := -std=c11 -D_GNU_SOURCE
HOST_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# Include paths come per unit (mk/layers.mk).
# Release build: what `make`, `make demo` and `make bench` use.
REL_CFLAGS := $(HOST_STD) $(HOST_WARN) -O2 -g -fno-plt
# Sanitized build: what `make test` uses.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS := $(HOST_STD) $(HOST_WARN) -O1 -g $(SAN_FLAGS)

RV_PREFIX ?= riscv64-unknown-elf-
RV_CC := $(RV_PREFIX)gcc
RV_ARCH := -march=rv32imac -mabi=ilp32
RV_CFLAGS := $(RV_ARCH) -O2 -g -Wall -Wextra -Werror -Iuser/include -fno-pic -D_POSIX_TIMERS=1
RV_LDFLAGS := $(RV_ARCH) -static -T user/lib/nanvix.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments
# Freestanding guests: no C library at all.
RV_BARE := -ffreestanding -nostdlib
# Hosted guests: picolibc (printf, malloc, strings).
RV_LIBC := --specs=picolibc.specs -nostartfiles
