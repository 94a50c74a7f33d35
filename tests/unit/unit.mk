# Host unit tests of hypervisor/common (cmocka, ASan + UBSan).
#
# To add a test for object X: write tests/unit/test_X.c, add X to
# UNIT_NAMES and list the real sources it compiles in UNIT_SRCS_X.
# Every test links tests/unit/shim/shim.c, which stands in for the
# architecture hooks (NOW(), panic(), console output, ...).  Headers in
# tests/unit/shim/asm/ replace the architecture's; the others (struct
# layouts such as asm/domain.h) are the real ones.  Tests of hypercall
# code link tests/unit/shim/guest_shim.c for guest memory.

UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -DUNIT_TEST \
	-I tests/unit/shim -I hypervisor/include \
	-I hypervisor/arch/x86_64/include -I include
UNIT_LDLIBS := -lcmocka -lpthread

UNIT_NAMES :=

HVC := hypervisor/common

UNIT_NAMES += string
UNIT_SRCS_string :=

UNIT_NAMES += ring
UNIT_SRCS_ring :=

UNIT_NAMES += grant_pin
UNIT_SRCS_grant_pin := $(HVC)/grant_pin.c

# Grant tables: real pins, policy, typed pages and allocator; domains and
# the arch_grant_* hooks from shim/gnttab_env.c.
UNIT_NAMES += grant_table
UNIT_SRCS_grant_table := $(HVC)/grant_table.c $(HVC)/grant_pin.c \
	$(HVC)/policy.c $(HVC)/pagetype.c $(HVC)/pt_validate.c \
	$(HVC)/pt_update.c $(HVC)/desc_check.c $(HVC)/page_alloc.c \
	$(HVC)/console.c $(HVC)/vsprintf.c $(HVC)/lib.c \
	tests/unit/shim/pt_shim.c tests/unit/shim/xmalloc_libc.c \
	tests/unit/shim/guest_shim.c tests/unit/shim/gnttab_env.c

# Event channels: real policy and timers, domains from shim/evtchn_env.c.
UNIT_NAMES += event
UNIT_SRCS_event := $(HVC)/event.c $(HVC)/policy.c $(HVC)/timer.c \
	$(HVC)/console.c $(HVC)/vsprintf.c $(HVC)/lib.c \
	tests/unit/shim/xmalloc_libc.c tests/unit/shim/guest_shim.c \
	tests/unit/shim/evtchn_env.c

UNIT_NAMES += lib
UNIT_SRCS_lib := $(HVC)/lib.c

# TLB shootdown: threads play CPUs (tests/unit/test_tlb.c).
UNIT_NAMES += tlb
UNIT_SRCS_tlb := $(HVC)/tlb.c

UNIT_NAMES += vsprintf
UNIT_SRCS_vsprintf := $(HVC)/vsprintf.c

UNIT_NAMES += console
UNIT_SRCS_console := $(HVC)/console.c $(HVC)/vsprintf.c $(HVC)/lib.c

UNIT_NAMES += cmdline
UNIT_SRCS_cmdline := $(HVC)/cmdline.c $(HVC)/vsprintf.c $(HVC)/lib.c

UNIT_NAMES += multiboot
UNIT_SRCS_multiboot := $(HVC)/multiboot.c $(HVC)/vsprintf.c $(HVC)/lib.c

UNIT_NAMES += page_alloc
UNIT_SRCS_page_alloc := $(HVC)/page_alloc.c

UNIT_NAMES += xmalloc
UNIT_SRCS_xmalloc := $(HVC)/xmalloc.c $(HVC)/page_alloc.c

# The timer test links the libc-backed heap shim instead of xmalloc.c.
UNIT_NAMES += timer
UNIT_SRCS_timer := $(HVC)/timer.c $(HVC)/console.c $(HVC)/vsprintf.c \
	$(HVC)/lib.c tests/unit/shim/xmalloc_libc.c

UNIT_NAMES += elf
UNIT_SRCS_elf := $(HVC)/elf.c $(HVC)/vsprintf.c $(HVC)/lib.c

UNIT_NAMES += pv_build
UNIT_SRCS_pv_build := $(HVC)/pv_build.c $(HVC)/lib.c

UNIT_NAMES += cpio
UNIT_SRCS_cpio := $(HVC)/cpio.c

UNIT_NAMES += desc_check
UNIT_SRCS_desc_check := $(HVC)/desc_check.c

# Typed pages: the hooks come from tests/unit/shim/pt_shim.c.
UNIT_NAMES += pagetype
UNIT_SRCS_pagetype := $(HVC)/pagetype.c $(HVC)/pt_validate.c \
	$(HVC)/pt_update.c $(HVC)/desc_check.c $(HVC)/page_alloc.c \
	tests/unit/shim/pt_shim.c

define unit_test
$(BUILD)/unit/test_$(1): tests/unit/test_$(1).c $$(UNIT_SRCS_$(1)) \
		tests/unit/shim/shim.c $$(wildcard tests/unit/shim/*.h \
		tests/unit/shim/asm/*.h hypervisor/include/hv/*.h)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $$@ tests/unit/test_$(1).c \
		$$(UNIT_SRCS_$(1)) tests/unit/shim/shim.c $(UNIT_LDLIBS)
UNIT_TESTS += $(BUILD)/unit/test_$(1)
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call unit_test,$(t))))

# TSC-to-ns scaling as guests compute it.
UNIT_NAMES += time
UNIT_SRCS_time := $(HVC)/time.c
$(eval $(call unit_test,time))

# Decoding guest store instructions (writable page tables).
UNIT_NAMES += x86_store
UNIT_SRCS_x86_store := $(HVC)/x86_store.c
$(eval $(call unit_test,x86_store))

# Multicall batch logic.
UNIT_NAMES += multicall
UNIT_SRCS_multicall := $(HVC)/multicall.c
$(eval $(call unit_test,multicall))

# Capability policy (pure decisions).
UNIT_NAMES += policy
UNIT_SRCS_policy := $(HVC)/policy.c
$(eval $(call unit_test,policy))

# The builder's xl.cfg parser (services/builder, plain C).
UNIT_NAMES += cfg
UNIT_SRCS_cfg := services/builder/cfg.c
$(eval $(call unit_test,cfg))

# libxc-min over its host backend (libxc-min/, with the shared ELF loader
# and start-of-day writers).
UNIT_NAMES += xcmin
UNIT_SRCS_xcmin := libxc-min/xcmin.c libxc-min/host.c $(HVC)/elf.c \
	$(HVC)/pv_build.c $(HVC)/lib.c $(HVC)/vsprintf.c
$(eval $(call unit_test,xcmin))
