# QEMU boot tests: every tests/boot/*.sh is one entry of the test manifest.
# Each script boots through tools/tessera-boot and prints "PASS: name" or
# "FAIL: name" lines (tests/boot/lib.sh has the helpers).
BOOT_TESTS := $(sort $(wildcard tests/boot/*.sh))
BOOT_TESTS := $(filter-out tests/boot/lib.sh,$(BOOT_TESTS))
BOOT_TEST_DEPS := $(HV_ELF) $(HV_ELF32) $(HV_ISO) guests
