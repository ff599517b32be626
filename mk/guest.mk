# guest.mk - rv32imac guest programs, built with riscv64-unknown-elf-gcc.
#
# Freestanding guests link crt0 + start_bare + libnanvix; hosted guests
# link crt0 + start_libc + the picolibc glue against picolibc.

GUEST := $(BUILD)/guest

BARE_RT := $(GUEST)/lib/crt0.o $(GUEST)/lib/start_bare.o $(GUEST)/libnanvix/bare.o \
	   $(GUEST)/libnanvix/ikc.o
LIBC_RT := $(GUEST)/lib/crt0.o $(GUEST)/lib/start_libc.o $(GUEST)/lib/libc_glue.o \
	   $(GUEST)/libnanvix/bare.o $(GUEST)/libnanvix/sync.o $(GUEST)/libnanvix/kthread.o \
	   $(GUEST)/libnanvix/pthread.o $(GUEST)/libnanvix/ikc.o

# Programs, by folder; the ones in *_BARE are freestanding.
APPS := hello forkjoin matmul memhog seedapp yield pingpong broadcast gather dirtier groupapp nudge
BENCH_BARE := alu matmul strided mixed crc sha256 sort list fsm intk
TESTS_LIBC := $(basename $(notdir $(wildcard user/tests/*.c)))
TESTS_ASM := $(basename $(notdir $(wildcard user/tests/*.S)))

# Programs in Nanvix's style (user/nanvix), built by nanvix-cc as a user
# would build them, once per profile.
NANVIX_PROGS := $(basename $(notdir $(wildcard user/nanvix/*.c)))
NANVIX_ELFS := $(NANVIX_PROGS:%=$(GUEST)/nanvix/%.elf) $(NANVIX_PROGS:%=$(GUEST)/nanvix/%-mppa256.elf)

GUEST_ELFS := $(NANVIX_ELFS) $(APPS:%=$(GUEST)/apps/%.elf) $(BENCH_BARE:%=$(GUEST)/bench/%.elf) \
	      $(TESTS_LIBC:%=$(GUEST)/tests/%.elf) $(TESTS_ASM:%=$(GUEST)/tests/%.elf)

.PHONY: guests
guests: $(GUEST_ELFS) $(BUILD)/bin/nanvix-cc $(GUEST)/lib/libnanvix.a \
	$(GUEST)/lib/libnanvix-mppa256.a $(GUEST)/lib/nanvix.ld \
	$(GUEST)/include/.stamp

# What nanvix-cc builds against: the runtime as one archive, the linker
# script and the guest headers, all under $(GUEST).
NANVIX_LIB_OBJS := $(filter-out $(GUEST)/lib/crt0.o $(GUEST)/lib/start_libc.o,$(LIBC_RT)) \
	$(GUEST)/libnanvix/nvnoc.o $(GUEST)/libnanvix/ulib.o $(GUEST)/libnanvix/stdikc.o \
	$(GUEST)/libnanvix/kkey.o $(GUEST)/libnanvix/barrier.o $(GUEST)/libnanvix/ikctag.o
$(GUEST)/lib/libnanvix.a: $(NANVIX_LIB_OBJS)
	rm -f $@
	$(RV_PREFIX)ar rcs $@ $^
# The same runtime built for the mppa256 profile: its processor constants
# (nodes, clusters, cores, THREAD_MAX) are compiled in, as in Nanvix's
# per-target libnanvix.
NANVIX_LIB_MPPA256_OBJS := $(NANVIX_LIB_OBJS:$(GUEST)/%=$(GUEST)/mppa256/%)
$(GUEST)/lib/libnanvix-mppa256.a: $(NANVIX_LIB_MPPA256_OBJS)
	rm -f $@
	$(RV_PREFIX)ar rcs $@ $^
$(GUEST)/mppa256/%.o: user/%.c
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) --specs=picolibc.specs -D__mppa256__ -MMD -MP -c $< -o $@
$(GUEST)/lib/nanvix.ld: user/lib/nanvix.ld
	@mkdir -p $(@D)
	cp $< $@
$(GUEST)/include/.stamp: $(shell find user/include -name '*.h')
	rm -rf $(GUEST)/include
	mkdir -p $(GUEST)/include
	cp -R user/include/. $(GUEST)/include/
	touch $@
NANVIX_CC_DEPS := $(BUILD)/bin/nanvix-cc $(GUEST)/lib/libnanvix.a \
	$(GUEST)/lib/libnanvix-mppa256.a $(GUEST)/lib/nanvix.ld \
	$(GUEST)/include/.stamp $(GUEST)/lib/crt0.o $(GUEST)/lib/start_libc.o
$(GUEST)/nanvix/%-mppa256.elf: user/nanvix/%.c $(NANVIX_CC_DEPS)
	@mkdir -p $(@D)
	$(BUILD)/bin/nanvix-cc --profile mppa256 -Wall -Wextra -Werror -g -o $@ $<
$(GUEST)/nanvix/%.elf: user/nanvix/%.c $(NANVIX_CC_DEPS)
	@mkdir -p $(@D)
	$(BUILD)/bin/nanvix-cc -Wall -Wextra -Werror -g -o $@ $<
$(BUILD)/bin/nanvix-cc: scripts/nanvix-cc
	@mkdir -p $(@D)
	cp $< $@

$(GUEST)/lib/start_bare.o $(GUEST)/libnanvix/bare.o $(GUEST)/libnanvix/ikc.o: RV_EXTRA := $(RV_BARE)
$(GUEST)/lib/start_libc.o $(GUEST)/lib/libc_glue.o $(GUEST)/libnanvix/kthread.o \
	$(GUEST)/libnanvix/sync.o $(GUEST)/libnanvix/nvnoc.o $(GUEST)/libnanvix/ulib.o \
	$(GUEST)/libnanvix/pthread.o $(GUEST)/libnanvix/stdikc.o \
	$(GUEST)/libnanvix/kkey.o $(GUEST)/libnanvix/barrier.o \
	$(GUEST)/libnanvix/ikctag.o: RV_EXTRA := --specs=picolibc.specs

$(GUEST)/%.o: user/%.c
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) $(RV_EXTRA) -MMD -MP -c $< -o $@

$(GUEST)/%.o: user/%.S
	@mkdir -p $(@D)
	$(RV_CC) $(RV_ARCH) -Iuser/include -c $< -o $@

$(GUEST)/bench/%.elf: $(GUEST)/bench/%.o $(BARE_RT) user/lib/nanvix.ld
	$(RV_CC) $(RV_LDFLAGS) $(RV_BARE) $(filter %.o,$^) -lgcc -o $@

$(GUEST)/bench/%.o: RV_EXTRA := $(RV_BARE)

$(GUEST)/apps/%.elf: $(GUEST)/apps/%.o $(LIBC_RT) user/lib/nanvix.ld
	$(RV_CC) $(RV_LDFLAGS) $(RV_LIBC) $(filter %.o,$^) -o $@

$(GUEST)/apps/%.o: RV_EXTRA := --specs=picolibc.specs

# Tests: C files use picolibc; assembly files stand alone (_start included).
$(GUEST)/tests/%.o: RV_EXTRA := --specs=picolibc.specs
$(TESTS_LIBC:%=$(GUEST)/tests/%.elf): $(GUEST)/tests/%.elf: $(GUEST)/tests/%.o $(LIBC_RT) user/lib/nanvix.ld
	$(RV_CC) $(RV_LDFLAGS) $(RV_LIBC) $(filter %.o,$^) -o $@
$(TESTS_ASM:%=$(GUEST)/tests/%.elf): $(GUEST)/tests/%.elf: $(GUEST)/tests/%.o user/lib/nanvix.ld
	$(RV_CC) $(RV_LDFLAGS) $(RV_BARE) $(filter %.o,$^) -o $@

-include $(shell find $(GUEST) -name '*.d' 2>/dev/null)
