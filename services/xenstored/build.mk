# xenstored: the transport-free core, the shared-ring transport, the host
# daemon, their unit tests, the wire fuzzer and the xenstore-utils test.
#
#   make                     builds $(BUILD)/xenstored/xenstored-host
#   make test                runs the cmocka tests, a short fuzz run and
#                            the xenstore-utils integration test
#   make fuzz-xenstored FUZZ_SECONDS=60   a longer fuzz run
#   make bench               adds the XenStore socket rows

XS_DIR := services/xenstored
XS_CORE_SRCS := $(addprefix $(XS_DIR)/,xs_store.c xs_tree.c xs_perms.c \
	xs_domain.c xs_conn.c xs_watch.c xs_txn.c xs_commit.c xs_access.c \
	xs_ops.c xs_ops_dom.c)
XS_RING_SRCS := $(XS_DIR)/xs_ring.c
XS_HDRS := $(wildcard $(XS_DIR)/*.h) include/public/io/xs_wire.h
XS_INC := -I include -I $(XS_DIR)
XS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror $(XS_INC)
XS_TEST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(XS_INC) -I tests/unit/xenstored
XS_OUT := $(BUILD)/xenstored
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 60000

# ---- host daemon ---------------------------------------------------------
$(XS_OUT)/xenstored-host: $(XS_CORE_SRCS) $(XS_DIR)/host_main.c $(XS_HDRS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(XS_CFLAGS) -o $@ $(XS_CORE_SRCS) $(XS_DIR)/host_main.c

$(XS_OUT)/xs-bench: tests/xenstored/xs_bench.c include/public/io/xs_wire.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(XS_CFLAGS) -o $@ tests/xenstored/xs_bench.c

# Our wire header against Debian's Xen header (libxen-dev).
XS_COMPAT_SRCS := tests/xenstored/wire_compat.c \
	tests/xenstored/wire_compat_xen.c
$(XS_OUT)/xs-wire-compat: $(XS_COMPAT_SRCS) tests/xenstored/wire_compat.h \
		include/public/io/xs_wire.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(XS_CFLAGS) -o $@ $(XS_COMPAT_SRCS)

HOST_TOOLS += $(XS_OUT)/xenstored-host $(XS_OUT)/xs-bench $(XS_OUT)/run-bench.sh

# ---- cmocka unit tests ---------------------------------------------------
XS_UNIT_NAMES := ops perms txn watch quota domain wire ring
XS_UNIT_HARNESS := tests/unit/xenstored/xt.c tests/unit/xenstored/xt.h

define xs_unit_test
$(BUILD)/unit/xenstored/test_xs_$(1): tests/unit/xenstored/test_xs_$(1).c \
		$(XS_CORE_SRCS) $(XS_RING_SRCS) $(XS_HDRS) $(XS_UNIT_HARNESS)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(XS_TEST_CFLAGS) -o $$@ $$< tests/unit/xenstored/xt.c \
		$(XS_CORE_SRCS) $(XS_RING_SRCS) -lcmocka
UNIT_TESTS += $(BUILD)/unit/xenstored/test_xs_$(1)
endef
$(foreach t,$(XS_UNIT_NAMES),$(eval $(call xs_unit_test,$(t))))

# ---- libFuzzer target for the wire layer ---------------------------------
XS_FUZZ_CC ?= clang
$(XS_OUT)/fuzz-xenstored-wire: tests/fuzz/xenstored_wire.c $(XS_CORE_SRCS) \
		$(XS_HDRS)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(XS_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Wextra -Werror $(XS_INC) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ tests/fuzz/xenstored_wire.c $(XS_CORE_SRCS)

.PHONY: fuzz-xenstored
fuzz-xenstored: $(XS_OUT)/fuzz-xenstored-wire
	$(Q)tests/xenstored/fuzz.sh $(XS_OUT)/fuzz-xenstored-wire time $(FUZZ_SECONDS)

# ---- test commands and prerequisites -------------------------------------
# TEST_CMDS and BENCH_CMDS entries cannot hold spaces, so each command is a
# generated one-line wrapper under $(XS_OUT) that names the built binaries.
XS_WRAPPERS := $(XS_OUT)/run-utils.sh $(XS_OUT)/run-fuzz.sh \
	$(XS_OUT)/run-bench.sh
$(XS_OUT)/run-utils.sh: $(XS_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec tests/xenstored/utils.sh %s\n' \
		$(XS_OUT)/xenstored-host > $@ && chmod +x $@
$(XS_OUT)/run-fuzz.sh: $(XS_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec tests/xenstored/fuzz.sh %s runs %s\n' \
		$(XS_OUT)/fuzz-xenstored-wire $(FUZZ_RUNS) > $@ && chmod +x $@
$(XS_OUT)/run-bench.sh: $(XS_DIR)/build.mk
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec tests/xenstored/bench.sh %s %s\n' \
		$(XS_OUT)/xenstored-host $(XS_OUT)/xs-bench > $@ && chmod +x $@

TEST_CMDS += xenstored-wire-compat:$(XS_OUT)/xs-wire-compat
TEST_CMDS += xenstored-fuzz:$(XS_OUT)/run-fuzz.sh
TEST_CMDS += xenstored-utils:$(XS_OUT)/run-utils.sh
test-prereqs: $(XS_OUT)/xenstored-host $(XS_OUT)/xs-wire-compat \
	$(XS_OUT)/fuzz-xenstored-wire $(XS_WRAPPERS)

# ---- benchmarks ------------------------------------------------------------
BENCH_CMDS += $(XS_OUT)/run-bench.sh
