@GUEST@/tests/hostile.elf jump 5
