# bench.mk - benchmarks: figures, not timed tests.

.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory host guests
	@scripts/bench $(MANYCORE) $(GUEST) $(BUILD)/bench
