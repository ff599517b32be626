@GUEST@/apps/pingpong.elf pong 2 --and --node 5 @GUEST@/apps/pingpong.elf ping 1 200
