# Public ABI test: include/public against Debian libxen-dev's Xen headers.
# Xen's headers and ours are compiled in separate translation units
# (xen_side.c, our_side.c); test_public_abi.c compares their tables.
# Included from tests/guests/build.mk.

ABI_TEST := $(BUILD)/unit/abi/test_public_abi
ABI_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -I include
ABI_SRCS := tests/unit/abi/test_public_abi.c tests/unit/abi/xen_side.c \
	tests/unit/abi/our_side.c

$(ABI_TEST): $(ABI_SRCS) tests/unit/abi/abi_items.h tests/unit/abi/abi_table.h \
		tests/unit/abi/abi_ring.h $(wildcard include/public/*.h include/public/io/*.h)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(ABI_CFLAGS) -o $@ $(ABI_SRCS) -lcmocka

UNIT_TESTS += $(ABI_TEST)
