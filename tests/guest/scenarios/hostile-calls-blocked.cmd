@GUEST@/tests/hostile.elf calls 1 3000
