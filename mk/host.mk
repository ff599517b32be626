# host.mk - the host binaries, in a release and a sanitized flavour.

CORE_SRCS := $(wildcard manycore/core/*.c)
KERNEL_SRCS := $(wildcard manycore/kernel/*.c)
BOARD_SRCS := $(wildcard manycore/board/*.c)
NOC_SRCS := $(wildcard manycore/noc/*.c)
# The control protocol: protoc-c output and its framing, shared by both tools.
RPC_GEN_C := $(BUILD)/gen/proto/rpc.pb-c.c
RPC_GEN_H := $(BUILD)/gen/proto/rpc.pb-c.h
PROTO_SRCS := proto/rpcwire.c $(RPC_GEN_C)
LIB_SRCS := $(CORE_SRCS) $(KERNEL_SRCS) $(NOC_SRCS) $(BOARD_SRCS) $(PROTO_SRCS)
HOST_LIBS := -lprotobuf-c -lxxhash -lpthread
CRTOOL_LIBS := -lprotobuf-c -ljansson
MANYCORE_MAIN := manycore/main.c
CRTOOL_SRCS := $(wildcard crtool/*.c) $(PROTO_SRCS)

REL_OBJ := $(BUILD)/obj/rel
SAN_OBJ := $(BUILD)/obj/san

MANYCORE := $(BUILD)/bin/manycore
MANYCORE_SAN := $(BUILD)/san/bin/manycore
CRTOOL := $(BUILD)/bin/crtool
CRTOOL_SAN := $(BUILD)/san/bin/crtool

.PHONY: host
host: $(MANYCORE) $(CRTOOL)

$(RPC_GEN_C) $(RPC_GEN_H) &: proto/rpc.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --c_out=$(BUILD)/gen proto/rpc.proto

# Every host object may include the generated header.
$(REL_OBJ)/%.o: %.c | $(RPC_GEN_H)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -MMD -MP -c $< -o $@

$(SAN_OBJ)/%.o: %.c | $(RPC_GEN_H)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(MANYCORE): $(patsubst %.c,$(REL_OBJ)/%.o,$(LIB_SRCS) $(MANYCORE_MAIN))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(HOST_LIBS) -o $@

$(MANYCORE_SAN): $(patsubst %.c,$(SAN_OBJ)/%.o,$(LIB_SRCS) $(MANYCORE_MAIN))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(HOST_LIBS) -o $@

$(CRTOOL): $(patsubst %.c,$(REL_OBJ)/%.o,$(CRTOOL_SRCS))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(CRTOOL_LIBS) -o $@

$(CRTOOL_SAN): $(patsubst %.c,$(SAN_OBJ)/%.o,$(CRTOOL_SRCS))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(CRTOOL_LIBS) -o $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
