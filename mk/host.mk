# host.mk - the host binaries, in a release and a sanitized flavour, each
# linked from the units' archives (mk/layers.mk).

# protoc-c output: the control protocol (rpc) and the image entries.
PROTO_NAMES := $(basename $(notdir $(wildcard proto/*.proto)))
PROTO_GEN_C := $(patsubst %,$(BUILD)/gen/proto/%.pb-c.c,$(PROTO_NAMES))
PROTO_GEN_H := $(PROTO_GEN_C:.c=.h)
CRIMG_LIBS := -lprotobuf-c -lzstd -lxxhash -lsodium -ljansson
HOST_LIBS := $(CRIMG_LIBS) -lpthread
CRTOOL_LIBS := $(CRIMG_LIBS)
# The release binaries take these libraries in statically (libc stays
# shared): crtool is a command that scripts run thousands of times, and
# loading five more shared objects cost 0.26 ms of every run (1.08 ms for
# an empty program here, 1.34 ms with them), a tenth of a small dump.
STATIC_LIBS = -Wl,-Bstatic $(1) -Wl,-Bdynamic

include mk/layers.mk

# The `manycore` command is board/main.c over the machine's archives;
# crtool is crtool/ over the libraries'.
MANYCORE_MAIN := board/main.c
CRTOOL_SRCS := $(crtool_SRCS) crtool/main.c

REL_OBJ := $(BUILD)/obj/rel
SAN_OBJ := $(BUILD)/obj/san
LSAN_OBJ := $(BUILD)/obj/lsan

MANYCORE := $(BUILD)/bin/manycore
MANYCORE_SAN := $(BUILD)/san/bin/manycore
CRTOOL := $(BUILD)/bin/crtool
CRTOOL_SAN := $(BUILD)/san/bin/crtool

.PHONY: host
host: $(MANYCORE) $(CRTOOL)

$(BUILD)/gen/proto/%.pb-c.c $(BUILD)/gen/proto/%.pb-c.h: proto/%.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --c_out=$(BUILD)/gen $<

# Every host object is compiled against its unit's header tree.
$(REL_OBJ)/%.o: %.c | $(INC_STAMP)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $(call unit_inc,$<) -MMD -MP -c $< -o $@

$(SAN_OBJ)/%.o: %.c | $(INC_STAMP)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(call unit_inc,$<) -MMD -MP -c $< -o $@

$(foreach f,$(REL_OBJ) $(SAN_OBJ) $(LSAN_OBJ),$(foreach u,$(filter-out crtool,$(UNITS)),\
	$(eval $(call unit_archive,$(f),$(u)))))

$(MANYCORE): $(REL_OBJ)/$(MANYCORE_MAIN:.c=.o) $(call unit_libs,$(REL_OBJ),$(MACHINE_UNITS))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(call STATIC_LIBS,$(CRIMG_LIBS)) -lpthread -o $@

$(MANYCORE_SAN): $(SAN_OBJ)/$(MANYCORE_MAIN:.c=.o) $(call unit_libs,$(SAN_OBJ),$(MACHINE_UNITS))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(HOST_LIBS) -o $@

$(CRTOOL): $(patsubst %.c,$(REL_OBJ)/%.o,$(CRTOOL_SRCS)) $(call unit_libs,$(REL_OBJ),$(CRTOOL_UNITS))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(call STATIC_LIBS,$(CRTOOL_LIBS)) -o $@

$(CRTOOL_SAN): $(patsubst %.c,$(SAN_OBJ)/%.o,$(CRTOOL_SRCS)) $(call unit_libs,$(SAN_OBJ),$(CRTOOL_UNITS))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(CRTOOL_LIBS) -o $@

# A third flavour of the board for the soak: optimised as the release,
# with LeakSanitizer alone (no slowdown), so that a long run under load
# still ends with a leak report.
MANYCORE_LSAN := $(BUILD)/lsan/bin/manycore
LSAN_CFLAGS := $(HOST_STD) $(HOST_WARN) -O2 -g -fsanitize=leak

$(LSAN_OBJ)/%.o: %.c | $(INC_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LSAN_CFLAGS) $(call unit_inc,$<) -MMD -MP -c $< -o $@

$(MANYCORE_LSAN): $(LSAN_OBJ)/$(MANYCORE_MAIN:.c=.o) $(call unit_libs,$(LSAN_OBJ),$(MACHINE_UNITS))
	@mkdir -p $(@D)
	$(CC) $(LSAN_CFLAGS) $^ $(HOST_LIBS) -o $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
