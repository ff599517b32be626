@GUEST@/apps/matmul.elf 1 48
