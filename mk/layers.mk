# layers.mk - the folders as layers (docs/architecture.md), and how the
# build holds each to its place.
#
# A unit is a folder. Its sources (but a command's main.c) make one static
# archive, and they may include the headers of their own folder, of the
# units they USE and nothing else: each unit is compiled against a tree
# of exactly those headers, $(BUILD)/inc/UNIT/FOLDER/NAME.h, so that an
# include of any other header does not compile. A private header
# (NAME_priv.h) is in its own unit's tree only. USE U:A.h,B.h names the
# only headers of U a unit may see. scripts/layers check says, file and
# line, where a source breaks these rules (make test-layers).

# The machine's layers, bottom first, then the board and the command
# line; diag (errors and logging), proto and images are libraries that
# know nothing of the machine; abi is the one header the guest and the
# kernel share.
UNITS := diag proto images params core noc kernel hooks board lib crtool

diag_DIRS := diag
proto_DIRS := proto $(BUILD)/gen/proto
images_DIRS := images
params_DIRS := manycore/params
core_DIRS := manycore/core
noc_DIRS := manycore/noc
kernel_DIRS := manycore/kernel
hooks_DIRS := kernel-hooks
board_DIRS := board
lib_DIRS := libcrtool
crtool_DIRS := crtool
abi_DIRS := user/include/nanvix
tests_DIRS := tests

diag_USES :=
proto_USES := diag
images_USES := diag proto
params_USES :=
core_USES := params
noc_USES := params core
kernel_USES := diag params core:hart.h,mmu.h,physmem.h noc abi:abi.h
hooks_USES := diag params core noc kernel:kcr.h,pidns.h,uarea.h images proto
board_USES := diag params core noc kernel:cluster.h,kcr.h,pidns.h,uarea.h hooks images proto
lib_USES := diag images proto
crtool_USES := diag images proto lib
tests_USES := $(UNITS) abi:abi.h

# Sources of each unit's archive (commands' mains apart).
unit_srcs = $(filter-out %/main.c,$(foreach d,$($(1)_DIRS),$(wildcard $(d)/*.c)))
proto_SRCS = $(wildcard proto/*.c) $(PROTO_GEN_C)
$(foreach u,$(filter-out proto,$(UNITS)),$(eval $(u)_SRCS := $$(call unit_srcs,$(u))))

# The unit a source belongs to.
unit_of = $(firstword $(foreach u,$(UNITS) tests,$(if $(filter $(addsuffix /%,$($(u)_DIRS)),$(1)),$(u))))

# The table, one line a unit: NAME|DIR DIR|USE USE (for scripts/layers).
LAYER_TABLE = $(foreach u,$(UNITS) abi tests,'$(u)|$($(u)_DIRS)|$($(u)_USES)')

INC := $(BUILD)/inc
INC_STAMP := $(INC)/.stamp

# The header trees, made anew when a header comes or goes.
$(INC_STAMP): mk/layers.mk scripts/layers $(PROTO_GEN_H) \
		$(foreach u,$(UNITS) abi,$(wildcard $(addsuffix /*.h,$($(u)_DIRS)) $($(u)_DIRS)))
	@scripts/layers farm $(INC) $(LAYER_TABLE)
	@touch $@

# The include flag of the unit of source $(1).
# Tests may name any header (tests/images/guestrun.h by its path).
unit_inc = -I$(INC)/$(call unit_of,$(1))$(if $(filter tests/%,$(1)), -I.)

# Archives, top first: the order a link takes them in.
MACHINE_UNITS := board hooks kernel noc core params images proto diag
CRTOOL_UNITS := lib images proto diag
# $(call unit_libs,OBJDIR,UNITS): the archives of UNITS in that flavour.
unit_libs = $(foreach u,$(2),$(1)/lib/lib$(u).a)

# $(call unit_archive,OBJDIR,UNIT); made anew when the unit's sources
# or their list change (.SECONDARY keeps a missing object from doing so).
define unit_archive
$(1)/lib/lib$(2).a: $$(patsubst %.c,$(1)/%.o,$$($(2)_SRCS)) mk/layers.mk \
		$$(wildcard $$(addsuffix /.,$$($(2)_DIRS)))
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(AR) rcs $$@ $$(filter %.o,$$^)
endef

# Lines a host source may have (generated code and tests aside).
MAX_SOURCE_LINES := 700

.PHONY: test-layers
test-layers: $(PROTO_GEN_H)
	@MAX_LINES=$(MAX_SOURCE_LINES) scripts/layers check $(LAYER_TABLE)
