# fuzz.mk - libFuzzer targets (clang): the image reader, the page-block
# reader, the JSON decoder and the application image reader (libcrimg
# alone), libcrtool's JSON requests (crt_call_json, no board); the control protocol as
# the board serves it, the ELF loader, the kernel-call layer, restore
# validation (the whole board) and the core's translator against its
# interpreter (any bytes as code). `make fuzz` runs each for FUZZ_SECONDS;
# `make test` runs each briefly over its seed corpus. The seeds are
# checked in under tests/fuzz/corpus/T, plus the built guests for elf.

FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := $(HOST_STD) $(HOST_WARN) $(HOST_INC) -g -O1 $(FUZZ_SAN)
FUZZ_OBJ := $(BUILD)/obj/fuzz
FUZZ_IMAGE_TARGETS := stream pages json app call
FUZZ_BOARD_TARGETS := rpc elf kcall restore jit
FUZZ_TARGETS := $(FUZZ_IMAGE_TARGETS) $(FUZZ_BOARD_TARGETS)
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 60
FUZZ_QUICK_SECONDS ?= 4

$(FUZZ_OBJ)/%.o: %.c | $(INC_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(call unit_inc,$<) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(foreach u,$(filter-out crtool,$(UNITS)),$(eval $(call unit_archive,$(FUZZ_OBJ),$(u))))

$(BUILD)/fuzz/fuzz_%: $(FUZZ_OBJ)/tests/fuzz/fuzz_%.o $(call unit_libs,$(FUZZ_OBJ),lib images proto diag)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(CRIMG_LIBS) -o $@

$(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_BOARD_TARGETS)): $(BUILD)/fuzz/fuzz_%: \
		$(FUZZ_OBJ)/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)/tests/fuzz/fuzzkit.o \
		$(call unit_libs,$(FUZZ_OBJ),$(MACHINE_UNITS))
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(HOST_LIBS) -o $@

# The seed directories of target T: its checked-in corpus; the restore
# target reads the stream target's image streams, the elf target also
# the built guests.
fuzz_seeds = tests/fuzz/corpus/$(if $(filter restore,$(1)),stream,$(1)) \
	$(if $(filter elf,$(1)),$(GUEST)/apps $(GUEST)/tests)

.PHONY: fuzz test-fuzz
# New inputs go to build/fuzz/corpus-T; the checked-in seeds stay as they are.
# Inputs over 64 KiB are cut (the guests are larger, and their head is
# what the loader checks); a run that reaches 300 s is a hang.
FUZZ_FLAGS := -max_len=65536 -timeout=300
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS) guests
	@$(foreach t,$(FUZZ_TARGETS), \
		mkdir -p $(BUILD)/fuzz/corpus-$(t) && \
		echo "fuzz_$(t): $(FUZZ_SECONDS) s" && \
		$(BUILD)/fuzz/fuzz_$(t) $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 $(BUILD)/fuzz/corpus-$(t) $(call fuzz_seeds,$(t)) || exit 1;)

test-fuzz: $(FUZZ_BINS) guests
	@$(foreach t,$(FUZZ_TARGETS), \
		mkdir -p $(BUILD)/fuzz/corpus-$(t) && \
		{ $(BUILD)/fuzz/fuzz_$(t) $(FUZZ_FLAGS) -max_total_time=$(FUZZ_QUICK_SECONDS) \
			$(BUILD)/fuzz/corpus-$(t) $(call fuzz_seeds,$(t)) >$(BUILD)/fuzz/$(t).log 2>&1 || \
			{ tail -30 $(BUILD)/fuzz/$(t).log; echo "FAIL fuzz/$(t)"; exit 1; }; } && \
		echo "ok   fuzz/$(t): $$(grep -o 'Done [0-9]* runs' $(BUILD)/fuzz/$(t).log)";)

-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
