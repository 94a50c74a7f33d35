# Stub-domain runtime (services/lib) and the newlib it links against.
#
#   $(NEWLIB_STAMP)   newlib built once into $(BUILD)/newlib (kept by clean)
#   $(RT_LIB)         libxenrt.a: start of day, traps, events, time, glue
#   $(RT_HC_PAGE)     hypercall stubs through the hypercall page (default)
#   $(RT_HC_DIRECT)   hypercall stubs by direct syscall (no HYPERCALL_PAGE)
#
# A program is linked with
#   $(RT_LDFLAGS) $(RT_HEAD) <objs> $(RT_HC_PAGE) $(RT_LIBS)
# see docs/runtime.md.  Guests run in guest kernel mode, where bounce
# frames are written right below the interrupted rsp: no red zone.

NEWLIB_DIR := $(BUILD)/newlib
NEWLIB := $(NEWLIB_DIR)/install/x86_64-elf
NEWLIB_STAMP := $(NEWLIB_DIR)/stamp
NEWLIB_TARBALL := /usr/src/newlib/newlib-3.3.0.tar.xz

RT_DIR := services/lib
RT_BUILD := $(BUILD)/rt
RT_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) \
	-fno-pic -fno-pie -mno-red-zone -fno-stack-protector \
	-fcf-protection=none -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fno-strict-aliasing \
	-I include -I $(RT_DIR)/include -MMD -MP
RT_ASFLAGS := $(RT_CFLAGS) -D__ASSEMBLY__
RT_LDS := $(RT_DIR)/xen.lds
RT_LDFLAGS := -static -nostdlib -no-pie -Wl,-T,$(RT_LDS) \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments

RT_C_SRCS := $(sort $(wildcard $(RT_DIR)/*.c))
RT_OBJS := $(patsubst $(RT_DIR)/%.c,$(RT_BUILD)/%.o,$(RT_C_SRCS)) \
	$(RT_BUILD)/entry.o
RT_HEAD := $(RT_BUILD)/head.o
RT_LIB := $(RT_BUILD)/libxenrt.a
RT_HC_PAGE := $(RT_BUILD)/hypercall_page.o
RT_HC_DIRECT := $(RT_BUILD)/hypercall_direct.o
RT_LIBS := -Wl,--start-group $(RT_LIB) -L$(NEWLIB)/lib -lc -lm -lgcc \
	-Wl,--end-group
RT_DEPS := $(RT_HEAD) $(RT_LIB) $(RT_HC_PAGE) $(RT_HC_DIRECT) $(RT_LDS)

.PHONY: newlib rt
newlib: $(NEWLIB_STAMP)
rt: $(RT_DEPS)

$(NEWLIB_STAMP): scripts/build-newlib.sh $(NEWLIB_TARBALL)
	$(Q)scripts/build-newlib.sh $(NEWLIB_DIR)

$(NEWLIB_TARBALL):
	@echo "$@ is missing: Debian's newlib-source package provides it;" \
	    "run scripts/deps.sh (as root it installs what is missing)" >&2
	@false

$(RT_BUILD)/%.o: $(RT_DIR)/%.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(RT_CFLAGS) -c $< -o $@

$(RT_BUILD)/%.o: $(RT_DIR)/%.S $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(RT_ASFLAGS) -c $< -o $@

$(RT_LIB): $(RT_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

-include $(wildcard $(RT_BUILD)/*.d)
