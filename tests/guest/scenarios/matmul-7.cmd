@GUEST@/apps/matmul.elf 7 48
