@GUEST@/apps/dirtier.elf 256 8 100
