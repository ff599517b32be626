# bench.mk - benchmarks: figures, not timed tests.

.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory host guests $(IMGBENCH)
	@scripts/bench $(MANYCORE) $(GUEST) $(BUILD)/bench

# Image throughput (release build).
IMGBENCH := $(BUILD)/bench/imgbench
$(IMGBENCH): $(patsubst %.c,$(REL_OBJ)/%.o,tests/images/imgbench.c $(GUESTRUN_SRCS) $(LIB_SRCS))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(HOST_LIBS) -o $@
