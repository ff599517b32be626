# host.mk - the host binaries, in a release and a sanitized flavour.

CORE_SRCS := $(wildcard manycore/core/*.c)
KERNEL_SRCS := $(wildcard manycore/kernel/*.c)
BOARD_SRCS := $(wildcard manycore/board/*.c)
NOC_SRCS := $(wildcard manycore/noc/*.c)
LIB_SRCS := $(CORE_SRCS) $(KERNEL_SRCS) $(NOC_SRCS) $(BOARD_SRCS)
HOST_LIBS := -lxxhash -lpthread
MANYCORE_MAIN := manycore/main.c

REL_OBJ := $(BUILD)/obj/rel
SAN_OBJ := $(BUILD)/obj/san

MANYCORE := $(BUILD)/bin/manycore
MANYCORE_SAN := $(BUILD)/san/bin/manycore

.PHONY: host
host: $(MANYCORE)

$(REL_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -MMD -MP -c $< -o $@

$(SAN_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(MANYCORE): $(patsubst %.c,$(REL_OBJ)/%.o,$(LIB_SRCS) $(MANYCORE_MAIN))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(HOST_LIBS) -o $@

$(MANYCORE_SAN): $(patsubst %.c,$(SAN_OBJ)/%.o,$(LIB_SRCS) $(MANYCORE_MAIN))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(HOST_LIBS) -o $@

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
