# bench.mk - benchmarks: figures, not timed tests.

.PHONY: bench
bench: deps
	@scripts/install-deps --check --bench >/dev/null 2>&1 || scripts/install-deps --bench || \
		echo "bench: no qemu-riscv32: the core is measured without QEMU beside it"
	@$(MAKE) --no-print-directory host guests $(IMGBENCH)
	@scripts/bench $(MANYCORE) $(GUEST) $(BUILD)/bench

# Image throughput (release build).
IMGBENCH := $(BUILD)/bench/imgbench
$(IMGBENCH): $(patsubst %.c,$(REL_OBJ)/%.o,tests/images/imgbench.c $(GUESTRUN_SRCS)) \
		$(call unit_libs,$(REL_OBJ),$(MACHINE_UNITS))
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(HOST_LIBS) -o $@

# The soak: a 20-cluster board under a mixed workload and a random
# schedule of 1,000 dumps, restores and migrations (the board built with
# LeakSanitizer, so that leaks are reported); soak.* rows go to
# build/bench/results.csv.
.PHONY: soak test-soak
soak: deps
	@$(MAKE) --no-print-directory host guests $(MANYCORE_LSAN)
	@scripts/soak

# Its quick version, in make test.
test-soak: host guests $(MANYCORE_LSAN)
	@if scripts/soak --quick >$(BUILD)/soak-quick.log 2>&1; then \
		echo "ok   soak (quick): $$(grep -m1 operations $(BUILD)/soak-quick.log)"; \
	else \
		tail -20 $(BUILD)/soak-quick.log; echo "FAIL soak (quick) (log in $(BUILD)/soak-quick.log)"; exit 1; \
	fi
