# experiments.mk - the scripted experiments (scripts/experiments): CSV and
# PNG plots in build/experiments; each script also runs alone.

EXPERIMENTS := $(filter-out %/lib.sh,$(wildcard scripts/experiments/*.sh))

.PHONY: experiments test-experiments
experiments: deps
	@$(MAKE) --no-print-directory host guests $(IMGBENCH)
	@for x in $(EXPERIMENTS); do $$x || exit 1; done

# Each experiment in its quick mode; its CSV and PNG checked.
test-experiments: host guests
	tests/experiments/run-experiment-tests $(BUILD)/experiments-quick
