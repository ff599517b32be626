# experiments.mk - the scripted experiments (scripts/experiments, Python on
# the crtool module): CSV and plots (PNG and PDF) in build/experiments;
# each script also runs alone.

EXPERIMENTS := $(filter-out %/explib.py,$(wildcard scripts/experiments/*.py))

.PHONY: experiments test-experiments
experiments: deps
	@$(MAKE) --no-print-directory host lib guests $(IMGBENCH)
	@for x in $(EXPERIMENTS); do python3 $$x || exit 1; done

# Each experiment in its quick mode; its CSV and plots checked.
test-experiments: host lib guests
	tests/experiments/run-experiment-tests $(BUILD)/experiments-quick
