# The demo guest of the default system (services/demo): a PV kernel linked
# with services/lib and newlib, built as $(BUILD)/demo.elf.  Included from
# the top Makefile after services/lib/build.mk.

DEMO_BUILD := $(BUILD)/demo

.PHONY: demo
demo: $(BUILD)/demo.elf
HOST_TOOLS += demo

$(DEMO_BUILD)/%.o: services/demo/%.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(RT_CFLAGS) -c $< -o $@

$(BUILD)/demo.elf: $(DEMO_BUILD)/main.o $(RT_DEPS)
	@echo "  LD      $@"
	$(Q)$(CC) $(RT_LDFLAGS) -o $@ $(RT_HEAD) $(DEMO_BUILD)/main.o \
		$(RT_HC_PAGE) $(RT_LIBS)

-include $(wildcard $(DEMO_BUILD)/*.d)
