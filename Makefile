# Tessera top-level build.
#
#   make            hypervisor ELF, ELF32 copy, GRUB ISO, host tools
#   make run        boot the default system in QEMU (TCG; QEMU_ACCEL=kvm opts in)
#   make test       host unit tests + QEMU boot tests + style check
#   make bench      benchmarks (a table; never part of make test)
#   make format     reformat our C sources with clang-format
#   V=1             show full commands
#
# Fragments included below add to these variables:
#   UNIT_TESTS   host test binaries (cmocka), each listed in the test manifest
#   TEST_CMDS    "name:command args..." entries run as one test each; a word
#                of the form name:... starts the next entry
#   HOST_TOOLS   host programs built by `make`
#   BENCH_CMDS   commands make bench runs, each printing table rows

BUILD ?= build
V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif

QEMU_ACCEL ?= tcg
RUN_TIMEOUT ?= 0
export QEMU_ACCEL

HOSTCC ?= gcc
CC := gcc
LD := ld
OBJCOPY := objcopy
GCC_INC := $(shell $(CC) -print-file-name=include)

UNIT_TESTS :=
TEST_CMDS :=
HOST_TOOLS :=
BENCH_CMDS :=

.PHONY: all run test unit style bench format clean distclean deps FORCE
all: hypervisor iso host-tools

deps:
	$(Q)scripts/deps.sh

include hypervisor/build.mk
include tests/unit/unit.mk
include tests/boot/boot.mk
-include services/xenstored/build.mk
-include services/lib/build.mk
-include services/builder/build.mk
-include services/demo/build.mk
-include tests/guests/build.mk

host-tools: $(HOST_TOOLS)

# ---- the test manifest: one line per test entry --------------------------
$(BUILD)/tests.list: FORCE
	@mkdir -p $(@D)
	$(Q){ for t in $(UNIT_TESTS); do echo "unit $$t"; done; \
	  for t in $(BOOT_TESTS); do echo "boot $$t"; done; \
	  cur=""; for w in $(TEST_CMDS); do \
	    case "$$w" in \
	    [A-Za-z0-9_./-]*:*) [ -n "$$cur" ] && echo "cmd $$cur"; cur=$$w ;; \
	    *) cur="$$cur $$w" ;; \
	    esac; \
	  done; [ -n "$$cur" ] && echo "cmd $$cur"; \
	  echo "cmd style:scripts/check-style.sh"; } > $@.tmp
	$(Q)cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

test: deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT_TESTS) $(BOOT_TEST_DEPS) test-prereqs $(BUILD)/tests.list
	$(Q)scripts/run-tests.sh $(BUILD)/tests.list

unit: $(UNIT_TESTS)
	$(Q)for t in $(UNIT_TESTS); do echo "unit $$t"; done > $(BUILD)/unit.list
	$(Q)scripts/run-tests.sh $(BUILD)/unit.list

style:
	$(Q)scripts/check-style.sh

format:
	$(Q)scripts/check-style.sh --fix

run: deps all
	$(Q)scripts/run.sh $(BUILD)/tessera.iso

bench: deps all
	$(Q)scripts/bench.sh $(BENCH_CMDS)

clean:
	$(Q)rm -rf $(filter-out $(BUILD)/newlib%,$(wildcard $(BUILD)/*))

distclean:
	$(Q)rm -rf $(BUILD)

.PHONY: host-tools test-prereqs
test-prereqs:
