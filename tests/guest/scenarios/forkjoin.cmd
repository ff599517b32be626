@GUEST@/apps/forkjoin.elf --reps 2
