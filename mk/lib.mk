# lib.mk - libcrtool for programs of others: a shared library
# (build/lib/libcrtool.so.0, exporting the crt_* calls only) and a static
# one (build/lib/libcrtool.a, with libcrimg, the protocol and diag in
# it), its header, a pkg-config file; `make install` puts them, the
# binaries, nanvix-cc, the Python module, man pages and bash completion
# under $(DESTDIR)$(PREFIX) (nanvix-cc's runtime in lib/crtool/guest).

LIB_SOVERSION := 0
CRTOOL_VERSION := $(shell sed -n 's/^\#define CRTOOL_VERSION "\(.*\)"/\1/p' diag/version.h)
LIB_UNITS := lib images proto diag
LIB_SRCS = $(foreach u,$(LIB_UNITS),$($(u)_SRCS))
PIC_OBJ := $(BUILD)/obj/pic
# Position-independent, and every symbol hidden but the API's (CRT_API).
PIC_CFLAGS := $(REL_CFLAGS) -fPIC -fvisibility=hidden
LIBDIR := $(BUILD)/lib
LIBCRTOOL_SO := $(LIBDIR)/libcrtool.so.$(LIB_SOVERSION)
LIBCRTOOL_A := $(LIBDIR)/libcrtool.a

.PHONY: lib
lib: $(LIBCRTOOL_SO) $(LIBCRTOOL_A)

$(PIC_OBJ)/%.o: %.c | $(INC_STAMP)
	@mkdir -p $(@D)
	$(CC) $(PIC_CFLAGS) $(call unit_inc,$<) -MMD -MP -c $< -o $@

$(LIBCRTOOL_SO): $(patsubst %.c,$(PIC_OBJ)/%.o,$(LIB_SRCS))
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libcrtool.so.$(LIB_SOVERSION) -Wl,--no-undefined $^ \
		$(CRIMG_LIBS) -o $@
	ln -sf libcrtool.so.$(LIB_SOVERSION) $(LIBDIR)/libcrtool.so

$(LIBCRTOOL_A): $(patsubst %.c,$(REL_OBJ)/%.o,$(LIB_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- install ----

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
INCDIR = $(DESTDIR)$(PREFIX)/include
LIBINST = $(DESTDIR)$(PREFIX)/lib
PCDIR = $(LIBINST)/pkgconfig
# Where Debian's python3 finds modules of this prefix.
PYVER := $(shell python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYTHONDIR ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python$(PYVER)/dist-packages)

# The pkg-config file, for prefix $(1).
define crtool_pc
prefix=$(1)
includedir=$${prefix}/include
libdir=$${prefix}/lib

Name: crtool
Description: libcrtool: checkpoint/restore and migration on an emulated Nanvix manycore
Version: $(CRTOOL_VERSION)
Libs: -L$${libdir} -lcrtool
Libs.private: $(CRIMG_LIBS)
Cflags: -I$${includedir}
endef

.PHONY: install
install: host lib
	install -d $(BINDIR) $(INCDIR) $(LIBINST) $(PCDIR)
	install -m 755 $(MANYCORE) $(CRTOOL) $(BINDIR)/
	install -m 644 libcrtool/libcrtool.h $(INCDIR)/
	install -m 644 $(LIBCRTOOL_A) $(LIBINST)/
	install -m 755 $(LIBCRTOOL_SO) $(LIBINST)/
	ln -sf libcrtool.so.$(LIB_SOVERSION) $(LIBINST)/libcrtool.so
	$(file >$(BUILD)/crtool.pc,$(call crtool_pc,$(PREFIX)))
	install -m 644 $(BUILD)/crtool.pc $(PCDIR)/crtool.pc
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 man/crtool.1 man/manycore.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/crtool-images.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 completion/crtool $(DESTDIR)$(PREFIX)/share/bash-completion/completions/crtool
	ln -sf crtool $(DESTDIR)$(PREFIX)/share/bash-completion/completions/manycore
	@# nanvix-cc and the guest runtime it links, if the guests were built
	if [ -f $(BUILD)/bin/nanvix-cc ] && [ -f $(GUEST)/lib/libnanvix.a ]; then \
		install -d $(DESTDIR)$(PREFIX)/lib/crtool/guest && \
		install -m 755 $(BUILD)/bin/nanvix-cc $(BINDIR)/ && \
		cp -R $(GUEST)/lib $(GUEST)/include $(DESTDIR)$(PREFIX)/lib/crtool/guest/; \
	fi
	install -d $(DESTDIR)$(PYTHONDIR)/crtool
	install -m 644 python/crtool/__init__.py $(DESTDIR)$(PYTHONDIR)/crtool/
	echo 'LIBRARY = "$(PREFIX)/lib/libcrtool.so.$(LIB_SOVERSION)"' >$(DESTDIR)$(PYTHONDIR)/crtool/_installed.py
