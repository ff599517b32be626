# test.mk - the whole suite: criterion unit tests and guest programs, all
# against the sanitized build (ASan + UBSan).

UNIT_SRCS := $(wildcard tests/unit/*.c)
# One guest on one cluster, for the tools and tests that capture processes.
GUESTRUN_SRCS := tests/images/guestrun.c
UNIT_BIN := $(BUILD)/san/tests/unit

.PHONY: test test-layers test-format format test-unit test-guest test-cr test-board test-images test-fuzz test-demo \
	test-lib
test: deps
	@$(MAKE) --no-print-directory test-layers test-format test-unit test-guest test-cr test-board test-images test-fuzz \
		test-lib test-demo test-experiments test-soak

$(UNIT_BIN): $(patsubst %.c,$(SAN_OBJ)/%.o,$(UNIT_SRCS) $(GUESTRUN_SRCS)) \
		$(call unit_libs,$(SAN_OBJ),lib $(MACHINE_UNITS))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ -lcriterion $(HOST_LIBS) -o $@

# The core's tests run translated (every block from its first run), then
# again in the interpreter alone.
test-unit: $(UNIT_BIN) guests
	ASAN_OPTIONS=detect_leaks=1 GUEST_DIR=$(GUEST) $(UNIT_BIN) --jobs 2
	TH_CORE=interp ASAN_OPTIONS=detect_leaks=1 GUEST_DIR=$(GUEST) $(UNIT_BIN) --jobs 2 \
		--filter '@(isa|budget|mmu|decode|jit)/*'

test-guest: $(MANYCORE_SAN) $(MANYCORE) guests
	tests/guest/run-guest-tests $(MANYCORE_SAN) $(GUEST) user/tests $(MANYCORE) tests/guest/scenarios

# The zdtm-style suite: every guest program dumped and restored (tests/cr).
test-cr: $(MANYCORE_SAN) guests
	tests/cr/run-cr-tests $(MANYCORE_SAN) $(GUEST) user/tests tests/guest/scenarios

test-board: $(MANYCORE_SAN) $(CRTOOL_SAN) guests
	tests/board/run-board-tests $(MANYCORE_SAN) $(CRTOOL_SAN) $(GUEST)

# libcrtool installed, its example built and run, the Python module's tests.
test-lib: host lib guests
	tests/lib/run-lib-tests $(BUILD) $(GUEST)

# The main job, as `make demo` runs it (it checks every step itself).
test-demo: host guests
	@if scripts/demo >$(BUILD)/demo.log 2>&1; then \
		echo "ok   demo ($$(grep -c '^moved' $(BUILD)/demo.log) migrations, a dump and restore; log in $(BUILD)/demo.log)"; \
	else \
		tail -20 $(BUILD)/demo.log; echo "FAIL demo (log in $(BUILD)/demo.log)"; exit 1; \
	fi

# Image sets of real guests for the image tests (tests/images).
MKIMAGE := $(BUILD)/san/tests/mkimage
$(MKIMAGE): $(patsubst %.c,$(SAN_OBJ)/%.o,tests/images/mkimage.c $(GUESTRUN_SRCS)) \
		$(call unit_libs,$(SAN_OBJ),$(MACHINE_UNITS))
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $^ $(HOST_LIBS) -o $@

test-images: $(MKIMAGE) $(CRTOOL_SAN) guests
	tests/images/run-image-tests $(MKIMAGE) $(CRTOOL_SAN) $(GUEST)

# Every host source as .clang-format lays it out (guest programs, user/,
# keep their own); `make format` applies it.
FORMAT_SRCS = $(shell find $(filter-out $(BUILD)/%,$(foreach u,$(UNITS),$($(u)_DIRS))) tests \
	-path '$(BUILD)' -prune -o -name '*.[ch]' -print)
test-format:
	@if out=$$(clang-format --dry-run -Werror $(FORMAT_SRCS) 2>&1); then \
		echo "ok   format: $(words $(FORMAT_SRCS)) host sources as .clang-format lays them out"; \
	else \
		echo "$$out" | grep 'error:' | head -20; \
		echo "FAIL format: the files above differ from .clang-format; run make format"; exit 1; \
	fi

format:
	clang-format -i $(FORMAT_SRCS)

# The board's threads under ThreadSanitizer: the board suite against a
# TSan build of manycore and crtool (build/tsan; about 15 minutes). The
# first report stops the board, which fails the suite.
TSAN_BUILD := $(BUILD)/tsan
.PHONY: tsan
tsan: deps guests
	@$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) \
		SAN_FLAGS='-fsanitize=thread -fno-omit-frame-pointer' \
		$(TSAN_BUILD)/san/bin/manycore $(TSAN_BUILD)/san/bin/crtool
	TSAN_OPTIONS='halt_on_error=1 exitcode=66' tests/board/run-board-tests \
		$(TSAN_BUILD)/san/bin/manycore $(TSAN_BUILD)/san/bin/crtool $(GUEST)
