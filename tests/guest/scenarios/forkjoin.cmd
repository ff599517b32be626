@GUEST@/apps/forkjoin.elf --reps 2 --no-host-time
