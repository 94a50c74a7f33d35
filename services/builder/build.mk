# The builder (services/builder): the initial domain, a PV kernel linked
# with services/lib, newlib and libxc-min (with the shared ELF loader and
# start-of-day writers from hypervisor/common).  Built as $(BUILD)/builder.elf.
# Included from the top Makefile after services/lib/build.mk; guarded, so
# `make -f Makefile -f services/builder/build.mk` also works.

ifndef BLD_DIR
BLD_DIR := services/builder
BLD_BUILD := $(BUILD)/builder
XCMIN_DIR := libxc-min
BLD_CFLAGS := $(RT_CFLAGS) -I $(XCMIN_DIR)
# The hypervisor's shared code needs hv/ headers, which do not mix with rt/.
BLD_HV_CFLAGS := $(RT_CFLAGS) -I hypervisor/include -I $(XCMIN_DIR)

BLD_OBJS := $(BLD_BUILD)/main.o $(BLD_BUILD)/cfg.o $(BLD_BUILD)/bundle.o \
	$(BLD_BUILD)/xcmin/stub.o $(BLD_BUILD)/xcmin/glue.o
BLD_HV_OBJS := $(BLD_BUILD)/xcmin/xcmin.o $(BLD_BUILD)/hv/elf.o \
	$(BLD_BUILD)/hv/pv_build.o $(BLD_BUILD)/hv/lib.o \
	$(BLD_BUILD)/hv/vsprintf.o

.PHONY: builder
builder: $(BUILD)/builder.elf
HOST_TOOLS += builder

$(BLD_BUILD)/%.o: $(BLD_DIR)/%.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BLD_CFLAGS) -c $< -o $@

$(BLD_BUILD)/xcmin/stub.o $(BLD_BUILD)/xcmin/glue.o: \
		$(BLD_BUILD)/xcmin/%.o: $(XCMIN_DIR)/%.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BLD_CFLAGS) -c $< -o $@

$(BLD_BUILD)/xcmin/xcmin.o: $(XCMIN_DIR)/xcmin.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BLD_HV_CFLAGS) -c $< -o $@

$(BLD_BUILD)/hv/%.o: hypervisor/common/%.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(BLD_HV_CFLAGS) -c $< -o $@

$(BUILD)/builder.elf: $(BLD_OBJS) $(BLD_HV_OBJS) $(RT_DEPS)
	@echo "  LD      $@"
	$(Q)$(CC) $(RT_LDFLAGS) -o $@ $(RT_HEAD) $(BLD_OBJS) $(BLD_HV_OBJS) \
		$(RT_HC_PAGE) $(RT_LIBS)

BENCH_CMDS += bench/domain-cycles.sh

-include $(wildcard $(BLD_BUILD)/*.d $(BLD_BUILD)/*/*.d)
endif
