# Test guests: one PV guest per directory, each linked with the services/lib
# runtime and tests/guests/lib, built to $(BUILD)/guests/<name>.elf and run
# on real Xen 4.17 in QEMU by scripts/run-on-xen.sh (tests xen/<name>).
# <name>-direct.elf is the same guest without a hypercall page (it executes
# syscall itself).  Also pulls in the public ABI unit test.

-include tests/unit/abi/abi.mk

GUEST_DIR := tests/guests
GUEST_BUILD := $(BUILD)/guests
GUEST_NAMES := $(sort $(filter-out lib,$(notdir $(patsubst %/main.c,%,\
	$(wildcard $(GUEST_DIR)/*/main.c)))))
GUEST_DIRECT := hello
GUEST_LIB_OBJS := $(patsubst $(GUEST_DIR)/%.c,$(GUEST_BUILD)/%.o,\
	$(wildcard $(GUEST_DIR)/lib/*.c))
GUEST_ELFS := $(foreach g,$(GUEST_NAMES),$(GUEST_BUILD)/$(g).elf) \
	$(foreach g,$(GUEST_DIRECT),$(GUEST_BUILD)/$(g)-direct.elf)
# Guests that must pass on Xen in make test: all but tessera-* (they use
# Tessera-only interfaces such as domctl) and the regress-* ones,
# which crash on purpose (tests/boot/regress.sh runs them on Tessera).
GUEST_XEN_TESTS := $(filter-out regress-% tessera-%,$(GUEST_NAMES)) \
	$(addsuffix -direct,$(GUEST_DIRECT))
# Environment of a guest's Xen run (scripts/run-on-xen.sh variables), or
# a whole command of its own.
GUEST_XEN_ENV_vcpus := QEMU_SMP=2
GUEST_XEN_ENV_mm-attack-race := QEMU_SMP=2
GUEST_XEN_CMD_modules := tests/guests/modules/xen.sh

.PHONY: guests test-xen
guests: $(GUEST_ELFS)
HOST_TOOLS += guests
test-prereqs: guests $(ABI_TEST)

$(GUEST_BUILD)/%.o: $(GUEST_DIR)/%.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(RT_CFLAGS) -c $< -o $@

define guest_rules
$(1)_OBJS := $$(patsubst $(GUEST_DIR)/%.c,$(GUEST_BUILD)/%.o,\
	$$(wildcard $(GUEST_DIR)/$(1)/*.c))
$(GUEST_BUILD)/$(1).elf: $$($(1)_OBJS) $(GUEST_LIB_OBJS) $(RT_DEPS)
	@echo "  LD      $$@"
	$(Q)$(CC) $(RT_LDFLAGS) -o $$@ $(RT_HEAD) $$($(1)_OBJS) \
		$(GUEST_LIB_OBJS) $(RT_HC_PAGE) $(RT_LIBS)
$(GUEST_BUILD)/$(1)-direct.elf: $$($(1)_OBJS) $(GUEST_LIB_OBJS) $(RT_DEPS)
	@echo "  LD      $$@"
	$(Q)$(CC) $(RT_LDFLAGS) -o $$@ $(RT_HEAD) $$($(1)_OBJS) \
		$(GUEST_LIB_OBJS) $(RT_HC_DIRECT) $(RT_LIBS)
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_rules,$(g))))

-include $(wildcard $(GUEST_BUILD)/*/*.d)

# The command of a guest's Xen run.
guest_xen_cmd = $(or $(GUEST_XEN_CMD_$(1)),$(GUEST_XEN_ENV_$(1)) \
	scripts/run-on-xen.sh $(GUEST_BUILD)/$(1).elf)

TEST_CMDS += $(foreach g,$(GUEST_XEN_TESTS),xen/$(g):$(call guest_xen_cmd,$(g)))

test-xen: guests
	$(Q)$(foreach g,$(GUEST_XEN_TESTS),\
		$(call guest_xen_cmd,$(g)) >/dev/null 2>&1 \
		&& echo "PASS  xen/$(g)" || echo "FAIL  xen/$(g)";)

BENCH_CMDS += bench/ops.sh
BENCH_CMDS += bench/pingpong.sh
