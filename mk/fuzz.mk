# fuzz.mk - libFuzzer targets (clang) for the image reader, the page-block
# reader and the JSON decoder. `make fuzz` runs each for FUZZ_SECONDS;
# `make test` runs each briefly over its checked-in seed corpus.

FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := $(HOST_STD) $(HOST_WARN) $(HOST_INC) -g -O1 $(FUZZ_SAN)
FUZZ_OBJ := $(BUILD)/obj/fuzz
FUZZ_TARGETS := stream pages json
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 60
FUZZ_QUICK_SECONDS ?= 4

$(FUZZ_OBJ)/%.o: %.c | $(PROTO_GEN_H)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(BUILD)/fuzz/fuzz_%: $(FUZZ_OBJ)/tests/fuzz/fuzz_%.o $(patsubst %.c,$(FUZZ_OBJ)/%.o,$(CRIMG_SRCS))
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(CRIMG_LIBS) -o $@

.PHONY: fuzz test-fuzz
# New inputs go to build/fuzz/corpus-T; the checked-in seeds stay as they are.
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$t; \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/fuzz/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

test-fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$t; \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_QUICK_SECONDS) \
			$(BUILD)/fuzz/corpus-$$t tests/fuzz/corpus/$$t >$(BUILD)/fuzz/$$t.log 2>&1 || \
			{ tail -30 $(BUILD)/fuzz/$$t.log; echo "FAIL fuzz/$$t"; exit 1; }; \
		echo "ok   fuzz/$$t: $$(grep -o 'Done [0-9]* runs' $(BUILD)/fuzz/$$t.log)"; \
	done

-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
