# The hypervisor image.
#
# build/tessera.elf     ELF64 with multiboot1 + multiboot2 headers (GRUB)
# build/tessera.elf32   ELF32 copy for QEMU -kernel (tools/mkelf32)
# build/tessera.iso     GRUB rescue ISO: tessera.elf + the default system
#                       (builder.elf, demo.elf, services/builder/default/)
#
# The image is linked twice: the second link adds the symbol table that
# backtraces print (scripts/gen-symbols.sh); the table sits after all code,
# so code addresses do not move, and the build checks that they did not.

HV_ARCH := hypervisor/arch/x86_64
HV_BUILD := $(BUILD)/hv

HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdinc -isystem $(GCC_INC) \
	-fpie -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-common \
	-fno-strict-aliasing \
	-fno-jump-tables \
	-I hypervisor/include -I $(HV_ARCH)/include -I include -I $(HV_BUILD)/gen \
	-MMD -MP
HV_ASFLAGS := $(HV_CFLAGS) -D__ASSEMBLY__
HV_LDFLAGS := -nostdlib -static -no-pie --no-dynamic-linker -z max-page-size=0x1000 \
	-z noexecstack --build-id=sha1 -T $(HV_ARCH)/hv.lds

HV_C_SRCS := $(sort $(wildcard hypervisor/common/*.c $(HV_ARCH)/*.c))
HV_S_SRCS := $(sort $(wildcard $(HV_ARCH)/*.S $(HV_ARCH)/boot/*.S))
HV_OBJS := $(patsubst %.c,$(HV_BUILD)/%.o,$(HV_C_SRCS)) \
	$(patsubst %.S,$(HV_BUILD)/%.o,$(HV_S_SRCS))

HV_ELF := $(BUILD)/tessera.elf
HV_ELF32 := $(BUILD)/tessera.elf32
HV_ISO := $(BUILD)/tessera.iso
HV_VERSION := 0.1.0

.PHONY: hypervisor iso
hypervisor: $(HV_ELF) $(HV_ELF32)
iso: $(HV_ISO)

$(HV_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

$(HV_BUILD)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

# Version and source identity, regenerated only when they change.
$(HV_BUILD)/gen/version.h: FORCE
	@mkdir -p $(@D)
	$(Q)v=$$(git describe --always --dirty 2>/dev/null || echo unknown); \
	printf '#define HV_VERSION "%s"\n#define HV_CHANGESET "%s"\n#define HV_COMPILER "%s"\n' \
		"$(HV_VERSION)" "$$v" "$$($(CC) --version | head -n1)" > $@.tmp; \
	cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(HV_BUILD)/$(HV_ARCH)/setup.o: $(HV_BUILD)/gen/version.h

$(HV_BUILD)/syms-empty.o: scripts/gen-symbols.sh
	@mkdir -p $(@D)
	$(Q)scripts/gen-symbols.sh /dev/null > $(HV_BUILD)/syms-empty.c
	$(Q)$(CC) $(HV_CFLAGS) -c $(HV_BUILD)/syms-empty.c -o $@

$(HV_ELF): $(HV_OBJS) $(HV_BUILD)/syms-empty.o $(HV_ARCH)/hv.lds scripts/gen-symbols.sh scripts/check-image.sh
	@echo "  LD      $@"
	$(Q)$(LD) $(HV_LDFLAGS) -o $(HV_BUILD)/pass1.elf $(HV_OBJS) $(HV_BUILD)/syms-empty.o
	$(Q)scripts/gen-symbols.sh $(HV_BUILD)/pass1.elf > $(HV_BUILD)/syms.c
	$(Q)$(CC) $(HV_CFLAGS) -c $(HV_BUILD)/syms.c -o $(HV_BUILD)/syms.o
	$(Q)$(LD) $(HV_LDFLAGS) -o $@.tmp $(HV_OBJS) $(HV_BUILD)/syms.o
	$(Q)scripts/check-image.sh $(HV_BUILD)/pass1.elf $@.tmp
	$(Q)mv $@.tmp $@

$(HV_ELF32): $(HV_ELF) $(BUILD)/tools/mkelf32
	@echo "  ELF32   $@"
	$(Q)$(BUILD)/tools/mkelf32 $< $@

$(BUILD)/tools/mkelf32: tools/mkelf32.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

# The default system: the builder (domain 0) and the modules it builds
# the services/builder/default/*.cfg domains from.
SYSTEM_MODULES := $(BUILD)/builder.elf $(BUILD)/demo.elf \
	$(sort $(wildcard services/builder/default/*.cfg))
$(HV_ISO): $(HV_ELF) scripts/mkiso.sh $(SYSTEM_MODULES)
	@echo "  ISO     $@"
	$(Q)scripts/mkiso.sh $@ $(HV_ELF) $(SYSTEM_MODULES)

-include $(HV_OBJS:.o=.d)

BENCH_CMDS += bench/boot-time.sh

# Changing flags rebuilds everything.
$(HV_OBJS) $(HV_BUILD)/syms-empty.o: hypervisor/build.mk
BENCH_CMDS += bench/hypercall.sh
