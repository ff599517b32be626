# host.mk - the host binaries, in a release and a sanitized flavour.

CORE_SRCS := $(wildcard manycore/core/*.c)
KERNEL_SRCS := $(wildcard manycore/kernel/*.c)
BOARD_SRCS := $(wildcard manycore/board/*.c)
NOC_SRCS := $(wildcard manycore/noc/*.c)
# protoc-c output: the control protocol (rpc) and the image entries.
PROTO_NAMES := $(basename $(notdir $(wildcard proto/*.proto)))
PROTO_GEN_C := $(patsubst %,$(BUILD)/gen/proto/%.pb-c.c,$(PROTO_NAMES))
PROTO_GEN_H := $(PROTO_GEN_C:.c=.h)
RPC_SRCS := proto/rpcwire.c $(BUILD)/gen/proto/rpc.pb-c.c
# libcrimg: image sets and streams, and the entry types it reads and writes.
CRIMG_SRCS := $(wildcard images/*.c) $(filter-out %/rpc.pb-c.c,$(PROTO_GEN_C))
CRIMG_LIBS := -lprotobuf-c -lzstd -lxxhash -lsodium -ljansson
HOOKS_SRCS := $(wildcard kernel-hooks/*.c)
LIB_SRCS := $(CORE_SRCS) $(KERNEL_SRCS) $(NOC_SRCS) $(BOARD_SRCS) $(RPC_SRCS) $(HOOKS_SRCS) \
	$(CRIMG_SRCS)
HOST_LIBS := $(CRIMG_LIBS) -lpthread
CRTOOL_LIBS := $(CRIMG_LIBS)
# The release binaries take these libraries in statically (libc stays
# shared): crtool is a command that scripts run thousands of times, and
# loading five more shared objects cost 0.26 ms of every run (1.08 ms for
# an empty program here, 1.34 ms with them), a tenth of a small dump.
STATIC_LIBS = -Wl,-Bstatic $(1) -Wl,-Bdynamic
MANYCORE_MAIN := manycore/main.c manycore/runcr.c
CRTOOL_SRCS := $(wildcard crtool/*.c) $(RPC_SRCS) $(CRIMG_SRCS)

REL_OBJ := $(BUILD)/obj/rel
SAN_OBJ := $(BUILD)/obj/san

MANYCORE := $(BUILD)/bin/manycore
MANYCORE_SAN := $(BUILD)/san/bin/manycore
CRTOOL := $(BUILD)/bin/crtool
CRTOOL_SAN := $(BUILD)/san/bin/crtool

.PHONY: host
host: $(MANYCORE) $(CRTOOL)

$(BUILD)/gen/proto/%.pb-c.c $(BUILD)/gen/proto/%.pb-c.h: proto/%.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --c_out=$(BUILD)/gen $<

# Every host object may include the generated headers.
$(REL_OBJ)/%.o: %.c | $(PROTO_GEN_H)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -MMD -MP -c $< -o $@

$(SAN_OBJ)/%.o: %.c | $(PROTO_GEN_H)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(MANYCORE): $(patsubst %.c,$(REL_OBJ)/%.o,$(LIB_SRCS) $(MANYCORE_MAIN))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(call STATIC_LIBS,$(CRIMG_LIBS)) -lpthread -o $@

$(MANYCORE_SAN): $(patsubst %.c,$(SAN_OBJ)/%.o,$(LIB_SRCS) $(MANYCORE_MAIN))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(HOST_LIBS) -o $@

$(CRTOOL): $(patsubst %.c,$(REL_OBJ)/%.o,$(CRTOOL_SRCS))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(call STATIC_LIBS,$(CRTOOL_LIBS)) -o $@

$(CRTOOL_SAN): $(patsubst %.c,$(SAN_OBJ)/%.o,$(CRTOOL_SRCS))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(CRTOOL_LIBS) -o $@

# A third flavour of the board for the soak: optimised as the release,
# with LeakSanitizer alone (no slowdown), so that a long run under load
# still ends with a leak report.
LSAN_OBJ := $(BUILD)/obj/lsan
MANYCORE_LSAN := $(BUILD)/lsan/bin/manycore
LSAN_CFLAGS := $(HOST_STD) $(HOST_WARN) $(HOST_INC) -O2 -g -fsanitize=leak

$(LSAN_OBJ)/%.o: %.c | $(PROTO_GEN_H)
	@mkdir -p $(@D)
	$(CC) $(LSAN_CFLAGS) -MMD -MP -c $< -o $@

$(MANYCORE_LSAN): $(patsubst %.c,$(LSAN_OBJ)/%.o,$(LIB_SRCS) $(MANYCORE_MAIN))
	@mkdir -p $(@D)
	$(CC) $(LSAN_CFLAGS) $^ $(HOST_LIBS) -o $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
