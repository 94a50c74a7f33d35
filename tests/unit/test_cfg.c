/*
 * Unit tests for services/builder/cfg.c: every key, both quotes and their
 * escapes, lists (multi-line, trailing comma), comments, malformed lines,
 * unknown and duplicate keys, ranges, missing keys, exact FILE:LINE: KEY
 * messages, errors collected, and the build order of a set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <public/domctl.h>

#include "../../services/builder/cfg.h"

#define BASE "name = 'g1'\nkernel = 'k.elf'\nmemory = 64\n"

static struct domain_config cfg;
static struct cfg_diags dg;

static unsigned int parse(const char *text)
{
    cfg_diags_init(&dg);
    return cfg_parse("guest1.cfg", text, strlen(text), &cfg, &dg);
}

/* The one error a text gives, compared exactly. */
static void expect_error(const char *text, const char *msg)
{
    unsigned int n = parse(text);

    if ( n != 1 || strcmp(dg.diag[0].msg, msg) )
    {
        unsigned int i;

        for ( i = 0; i < dg.nr; i++ )
            print_error("  got: %s\n", dg.diag[i].msg);
        print_error("  want: %s\n", msg);
    }
    assert_int_equal(n, 1);
    assert_int_equal(dg.nr_errors, 1);
    assert_string_equal(dg.diag[0].msg, msg);
}

static bool all_cpus(const struct cfg_cpumask *m)
{
    return m->bits[0] == ~0ULL && m->bits[1] == ~0ULL;
}

static void test_minimal_defaults(void **state)
{
    unsigned int i;

    (void)state;
    assert_int_equal(parse(BASE), 0);
    assert_int_equal(dg.nr, 0);
    assert_string_equal(cfg.file, "guest1.cfg");
    assert_string_equal(cfg.name, "g1");
    assert_string_equal(cfg.kernel, "k.elf");
    assert_string_equal(cfg.ramdisk, "");
    assert_string_equal(cfg.cmdline, "");
    assert_int_equal(cfg.memory, 64);
    assert_int_equal(cfg.maxmem, 64);
    assert_int_equal(cfg.vcpus, 1);
    for ( i = 0; i < CFG_MAX_VCPUS; i++ )
        assert_true(all_cpus(&cfg.cpus[i]));
    assert_int_equal(cfg.on_poweroff, CFG_ACTION_DESTROY);
    assert_int_equal(cfg.on_reboot, CFG_ACTION_RESTART);
    assert_int_equal(cfg.on_crash, CFG_ACTION_DESTROY);
    assert_int_equal(cfg.role, CFG_ROLE_GUEST);
    assert_int_equal(cfg.caps, 0);
    assert_int_equal(cfg.line[CFG_KEY_NAME], 1);
    assert_int_equal(cfg.line[CFG_KEY_KERNEL], 2);
    assert_int_equal(cfg.line[CFG_KEY_MEMORY], 3);
    assert_int_equal(cfg.line[CFG_KEY_VCPUS], 0);
}

static void test_every_key(void **state)
{
    static const char text[] = "# a service with every key\n"
                               "name = \"blk-0\"\n"
                               "kernel = \"/boot/blkback.elf\"\n"
                               "ramdisk = 'initrd.cpio'\n"
                               "cmdline = 'console=hvc0 quiet'\n"
                               "memory = 128\n"
                               "maxmem = 256\n"
                               "vcpus = 4\n"
                               "cpus = \"0-3,5\"\n"
                               "on_poweroff = 'preserve'\n"
                               "on_reboot = 'destroy'\n"
                               "on_crash = 'restart'\n"
                               "role = 'blkback'\n"
                               "capabilities = [ 'device', 'console' ]\n";
    unsigned int i;

    (void)state;
    assert_int_equal(parse(text), 0);
    assert_int_equal(dg.nr, 0);
    assert_string_equal(cfg.name, "blk-0");
    assert_string_equal(cfg.kernel, "/boot/blkback.elf");
    assert_string_equal(cfg.ramdisk, "initrd.cpio");
    assert_string_equal(cfg.cmdline, "console=hvc0 quiet");
    assert_int_equal(cfg.memory, 128);
    assert_int_equal(cfg.maxmem, 256);
    assert_int_equal(cfg.vcpus, 4);
    for ( i = 0; i < CFG_MAX_VCPUS; i++ )
    {
        assert_int_equal(cfg.cpus[i].bits[0], 0x2f);
        assert_int_equal(cfg.cpus[i].bits[1], 0);
    }
    assert_true(cfg_cpumask_test(&cfg.cpus[3], 5));
    assert_false(cfg_cpumask_test(&cfg.cpus[3], 4));
    assert_false(cfg_cpumask_test(&cfg.cpus[3], 200));
    assert_int_equal(cfg.on_poweroff, CFG_ACTION_PRESERVE);
    assert_int_equal(cfg.on_reboot, CFG_ACTION_DESTROY);
    assert_int_equal(cfg.on_crash, CFG_ACTION_RESTART);
    assert_int_equal(cfg.role, CFG_ROLE_BLKBACK);
    assert_int_equal(cfg.caps, TESSERA_CAP_DEVICE | TESSERA_CAP_CONSOLE);
    for ( i = 0; i < CFG_KEY_NR; i++ )
        if ( i != CFG_KEY_EXTRA )
            assert_int_not_equal(cfg.line[i], 0);
    assert_int_equal(cfg.line[CFG_KEY_CAPABILITIES], 14);
}

static void test_quoting(void **state)
{
    (void)state;
    assert_int_equal(parse(BASE "cmdline = 'say \"hi\" # not a comment'\n"), 0);
    assert_string_equal(cfg.cmdline, "say \"hi\" # not a comment");
    assert_int_equal(parse(BASE "cmdline = \"it's\"\n"), 0);
    assert_string_equal(cfg.cmdline, "it's");
    /* xl's escapes, in both kinds of quotes. */
    assert_int_equal(parse(BASE "cmdline = '\\'\\\"\\\\\\n\\t\\r'\n"), 0);
    assert_string_equal(cfg.cmdline, "'\"\\\n\t\r");
    assert_int_equal(parse(BASE "cmdline = \"\\a\\b\\f\\v\\x41\\x7e\\101"
                                "\\7x\"\n"),
                     0);
    assert_string_equal(cfg.cmdline, "\a\b\f\vA~A\7x");
    assert_int_equal(parse(BASE "cmdline = ''\n"), 0);
    assert_string_equal(cfg.cmdline, "");
    /* Bad escapes, NUL, unterminated strings. */
    expect_error(BASE "cmdline = 'a\\qb'\n",
                 "guest1.cfg:4: cmdline: invalid escape '\\q' in string");
    expect_error(BASE "cmdline = 'a\\x4g'\n",
                 "guest1.cfg:4: cmdline: invalid escape '\\x' in string");
    expect_error(BASE "cmdline = 'a\\400'\n",
                 "guest1.cfg:4: cmdline: invalid escape '\\4' in string");
    expect_error(BASE "cmdline = 'a\\0b'\n",
                 "guest1.cfg:4: cmdline: NUL character in string");
    expect_error(BASE "cmdline = 'abc\n",
                 "guest1.cfg:4: cmdline: unterminated string");
    expect_error(BASE "cmdline = \"abc'\nvcpus = 2\n",
                 "guest1.cfg:4: cmdline: unterminated string");
    assert_int_equal(cfg.vcpus, 2); /* the next line still counts */
    expect_error(BASE "cmdline = 'abc\\'\n",
                 "guest1.cfg:4: cmdline: unterminated string");
    /* Strings need quotes. */
    expect_error(BASE "ramdisk = 5\n",
                 "guest1.cfg:4: ramdisk: expected a quoted string, found 5");
    expect_error(BASE "ramdisk = [ 'a' ]\n",
                 "guest1.cfg:4: ramdisk: expected a quoted string, not a "
                 "list");
}

static void test_lists(void **state)
{
    (void)state;
    /* Multi-line, comments, trailing comma. */
    assert_int_equal(parse(BASE "role = 'console'\n"
                                "capabilities = [\n"
                                "    'console', # the UART\n"
                                "\n"
                                "    \"xenstore\",\n"
                                "]\n"
                                "vcpus = 2\n"),
                     0);
    assert_int_equal(cfg.caps, TESSERA_CAP_CONSOLE | TESSERA_CAP_XENSTORE);
    assert_int_equal(cfg.line[CFG_KEY_CAPABILITIES], 5);
    assert_int_equal(cfg.vcpus, 2);
    assert_int_equal(cfg.line[CFG_KEY_VCPUS], 10);
    assert_int_equal(parse(BASE "capabilities=['build',]\n"), 0);
    assert_int_equal(cfg.caps, TESSERA_CAP_BUILD);
    assert_int_equal(parse(BASE "role = 'console'\ncapabilities = []\n"), 0);
    assert_int_equal(cfg.caps, 0);
    /* Malformed lists. */
    expect_error(BASE "capabilities = [ , ]\n",
                 "guest1.cfg:4: capabilities: expected a list element or "
                 "']', found ','");
    expect_error(BASE "capabilities = [ 'build' 'console' ]\n",
                 "guest1.cfg:4: capabilities: expected ',' or ']', found "
                 "'console'");
    expect_error(BASE "capabilities = [ 'build',, ]\n",
                 "guest1.cfg:4: capabilities: expected a list element or "
                 "']', found ','");
    expect_error(BASE "capabilities = [ 'build' ] junk\n",
                 "guest1.cfg:4: capabilities: expected the end of the line "
                 "after the value, found 'junk'");
    /* Unterminated: at the end of the file, or before the next key. */
    expect_error(BASE "capabilities = [ 'build',\n 'console'\n",
                 "guest1.cfg:4: capabilities: unterminated list: no ']' for "
                 "this '['");
    expect_error(BASE "capabilities = [ 'build',\nvcpus = 3\n",
                 "guest1.cfg:4: capabilities: unterminated list: no ']' for "
                 "this '['");
    assert_int_equal(cfg.vcpus, 3);
    /* A bad list is skipped up to its ']'; the next line is read. */
    expect_error(BASE "capabilities = [ 'build' = \n 'x' ]\nvcpus = 3\n",
                 "guest1.cfg:4: capabilities: expected ',' or ']', found '='");
    assert_int_equal(cfg.vcpus, 3);
}

static void test_list_too_long(void **state)
{
    char text[2048];
    size_t n;
    unsigned int i;

    (void)state;
    n = (size_t)snprintf(text, sizeof(text), "%scpus = [", BASE);
    for ( i = 0; i <= CFG_LIST_MAX; i++ )
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%u,", i % 8);
    snprintf(text + n, sizeof(text) - n, "]\n");
    expect_error(text, "guest1.cfg:4: cpus: more than 128 list elements");
}

static void test_comments_and_blanks(void **state)
{
    (void)state;
    assert_int_equal(parse("# header\n"
                           "\n"
                           "   name='g1'   # trailing comment\n"
                           "\tkernel\t=\t'k'\r\n"
                           "memory=64; vcpus = 2 ;\n"
                           ";;\n"
                           "   # indented comment\n"
                           "maxmem = 0x80"),
                     0);
    assert_string_equal(cfg.name, "g1");
    assert_string_equal(cfg.kernel, "k");
    assert_int_equal(cfg.memory, 64);
    assert_int_equal(cfg.vcpus, 2);
    assert_int_equal(cfg.line[CFG_KEY_VCPUS], 5);
    assert_int_equal(cfg.maxmem, 128);
    assert_int_equal(cfg.line[CFG_KEY_MAXMEM], 8);
}

static void test_malformed_lines(void **state)
{
    (void)state;
    expect_error(BASE "vcpus 2\n",
                 "guest1.cfg:4: vcpus: expected '=' after the key, found '2'");
    expect_error(BASE "vcpus\n",
                 "guest1.cfg:4: vcpus: expected '=' after the key, found the "
                 "end of the line");
    expect_error(BASE "vcpus =\n",
                 "guest1.cfg:4: vcpus: expected a value, found the end of "
                 "the line");
    expect_error(BASE "vcpus =",
                 "guest1.cfg:4: vcpus: expected a value, found the end of "
                 "the file");
    expect_error(BASE "vcpus = = 2\n",
                 "guest1.cfg:4: vcpus: expected a value, found '='");
    expect_error(BASE "vcpus = 2 3\n",
                 "guest1.cfg:4: vcpus: expected the end of the line after the "
                 "value, found '3'");
    expect_error(BASE "vcpus = 2 'x'\n",
                 "guest1.cfg:4: vcpus: expected the end of the line after the "
                 "value, found 'x'");
    expect_error(BASE "vcpus = -1\n",
                 "guest1.cfg:4: vcpus: unexpected character '-'");
    expect_error(BASE "vcpus += 2\n",
                 "guest1.cfg:4: vcpus: '+=' is not supported; give the whole "
                 "value");
    expect_error(BASE "= 2\n", "guest1.cfg:4: expected a key, found '='");
    expect_error(BASE "'vcpus' = 2\n",
                 "guest1.cfg:4: expected a key, found 'vcpus'");
    expect_error(BASE "4vcpus = 2\n",
                 "guest1.cfg:4: expected a key, found '4vcpus'");
    expect_error(BASE "@\n", "guest1.cfg:4: unexpected character '@'");
    expect_error(BASE "\x01\n", "guest1.cfg:4: unexpected byte 0x01");
    {
        static const char nul[] = BASE "vcpus = 2\0\n";

        cfg_diags_init(&dg);
        assert_int_equal(
            cfg_parse("guest1.cfg", nul, sizeof(nul) - 1, &cfg, &dg), 1);
        assert_string_equal(dg.diag[0].msg,
                            "guest1.cfg:4: vcpus: NUL byte in the file");
    }
    /* A bad statement is not applied, and does not cascade. */
    expect_error(BASE "vcpus = 2 3\n", "guest1.cfg:4: vcpus: expected the end "
                                       "of the line after the value, found "
                                       "'3'");
    assert_int_equal(cfg.vcpus, 1);
    expect_error("name = 'g1'\nkernel = 'k'\nmemory 64\n",
                 "guest1.cfg:3: memory: expected '=' after the key, found "
                 "'64'");
}

static void test_unknown_and_duplicate_keys(void **state)
{
    (void)state;
    expect_error(BASE "colour = 'blue'\n", "guest1.cfg:4: colour: unknown key");
    expect_error(BASE "disk = [ 'format=raw, vdev=xvda' ]\n",
                 "guest1.cfg:4: disk: unknown key (an xl key Tessera does not "
                 "support)");
    expect_error(BASE "Memory = 5\n", "guest1.cfg:4: Memory: unknown key");
    /* The value of an unknown key is still checked for syntax. */
    assert_int_equal(parse(BASE "colour = 'blue\n"), 2);
    assert_string_equal(dg.diag[1].msg,
                        "guest1.cfg:4: colour: unterminated string");
    expect_error(BASE "memory = 128\n",
                 "guest1.cfg:4: memory: duplicate key (first set on line 3)");
    assert_int_equal(cfg.memory, 64); /* the first stays */
    expect_error(BASE "vcpus = 1\n\nvcpus = 1\n",
                 "guest1.cfg:6: vcpus: duplicate key (first set on line 4)");
}

static void test_numbers_and_ranges(void **state)
{
    (void)state;
    expect_error("name = 'g1'\nkernel = 'k'\nmemory = 0\n",
                 "guest1.cfg:3: memory: 0 is not a valid size (1..65536 MiB)");
    expect_error("name='g1'\nkernel='k'\nmemory=65537\n",
                 "guest1.cfg:3: memory: 65537 is not a valid size (1..65536 "
                 "MiB)");
    assert_int_equal(parse("name='g1'\nkernel='k'\nmemory=65536\n"), 0);
    assert_int_equal(cfg.memory, 65536);
    assert_int_equal(parse("name='g1'\nkernel='k'\nmemory='512'\n"), 0);
    assert_int_equal(cfg.memory, 512);
    assert_int_equal(parse("name='g1'\nkernel='k'\nmemory=0X10\n"), 0);
    assert_int_equal(cfg.memory, 16);
    expect_error("name='g1'\nkernel='k'\nmemory=0512\n",
                 "guest1.cfg:3: memory: '0512': leading zero (xl reads "
                 "octal); write it without");
    expect_error("name='g1'\nkernel='k'\nmemory=512M\n",
                 "guest1.cfg:3: memory: '512M' is not an integer");
    expect_error("name='g1'\nkernel='k'\nmemory=0x\n",
                 "guest1.cfg:3: memory: '0x' is not an integer");
    expect_error("name='g1'\nkernel='k'\nmemory=1.5\n",
                 "guest1.cfg:3: memory: '1.5' is not an integer");
    expect_error("name='g1'\nkernel='k'\nmemory=' 64'\n",
                 "guest1.cfg:3: memory: ' 64' is not an integer");
    expect_error("name='g1'\nkernel='k'\nmemory=99999999999999999999\n",
                 "guest1.cfg:3: memory: '99999999999999999999' is too large");
    expect_error("name='g1'\nkernel='k'\nmemory=18446744073709551615\n",
                 "guest1.cfg:3: memory: 18446744073709551615 is not a valid "
                 "size (1..65536 MiB)");
    expect_error("name='g1'\nkernel='k'\nmemory=[64]\n",
                 "guest1.cfg:3: memory: expected an integer, not a list");
    expect_error(BASE "maxmem = 32\n",
                 "guest1.cfg:4: maxmem: 32 is less than memory (64 MiB)");
    expect_error(BASE "maxmem = 0\n",
                 "guest1.cfg:4: maxmem: 0 is not a valid size (1..65536 MiB)");
    assert_int_equal(parse(BASE "maxmem = 64\n"), 0);
    expect_error(BASE "vcpus = 0\n",
                 "guest1.cfg:4: vcpus: 0 is out of range (1..128)");
    expect_error(BASE "vcpus = 129\n",
                 "guest1.cfg:4: vcpus: 129 is out of range (1..128)");
    assert_int_equal(parse(BASE "vcpus = 128\n"), 0);
    assert_int_equal(cfg.vcpus, 128);
}

static void test_names_and_paths(void **state)
{
    static const char *const good[] = { "a", "web-1", "A_b.c", "9lives",
                                        "x123456789012345678901234567890123456"
                                        "78901234567890123456789012" };
    char text[512];
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(good) / sizeof(good[0]); i++ )
    {
        snprintf(text, sizeof(text), "name='%s'\nkernel='k'\nmemory=1\n",
                 good[i]);
        assert_int_equal(parse(text), 0);
        assert_string_equal(cfg.name, good[i]);
    }
    expect_error("name=''\nkernel='k'\nmemory=1\n",
                 "guest1.cfg:1: name: '': empty name");
    expect_error("name='x1234567890123456789012345678901234567890123456789012"
                 "34567890123'\nkernel='k'\nmemory=1\n",
                 "guest1.cfg:1: name: string longer than 63 characters");
    expect_error("name='a b'\nkernel='k'\nmemory=1\n",
                 "guest1.cfg:1: name: 'a b': may hold only letters, digits, "
                 "'.', '-' and '_'");
    expect_error("name='-a'\nkernel='k'\nmemory=1\n",
                 "guest1.cfg:1: name: '-a': must start with a letter or a "
                 "digit");
    expect_error("name='_a'\nkernel='k'\nmemory=1\n",
                 "guest1.cfg:1: name: '_a': must start with a letter or a "
                 "digit");
    expect_error("name='123'\nkernel='k'\nmemory=1\n",
                 "guest1.cfg:1: name: '123': must not be all digits (it "
                 "would read as a domid)");
    expect_error("name='g'\nkernel=''\nmemory=1\n",
                 "guest1.cfg:2: kernel: empty path");
    expect_error(BASE "ramdisk = ''\n",
                 "guest1.cfg:4: ramdisk: empty path (leave the key out for "
                 "none)");
    expect_error(BASE "ramdisk = 'a\\tb'\n",
                 "guest1.cfg:4: ramdisk: control character in path");
    {
        char big[400];

        memset(big, 'p', sizeof(big));
        snprintf(text, sizeof(text), BASE "ramdisk = '%.256s'\n", big);
        expect_error(
            text, "guest1.cfg:4: ramdisk: string longer than 255 characters");
        snprintf(text, sizeof(text), BASE "ramdisk = '%.255s'\n", big);
        assert_int_equal(parse(text), 0);
        assert_int_equal(strlen(cfg.ramdisk), 255);
    }
}

static void test_missing_required(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 3);
    assert_string_equal(dg.diag[0].msg,
                        "guest1.cfg:1: name: required key missing");
    assert_string_equal(dg.diag[1].msg,
                        "guest1.cfg:1: kernel: required key missing");
    assert_string_equal(dg.diag[2].msg,
                        "guest1.cfg:1: memory: required key missing");
    /* Reported at the file's last line. */
    expect_error("name = 'g'\n# no kernel\nmemory = 4\n",
                 "guest1.cfg:3: kernel: required key missing");
    expect_error("name = 'g'\nkernel = 'k'\n\n# end",
                 "guest1.cfg:4: memory: required key missing");
    /* A key that was present but bad is not also "missing". */
    expect_error("name = 'g'\nkernel = 'k'\nmemory = 0\n",
                 "guest1.cfg:3: memory: 0 is not a valid size (1..65536 MiB)");
}

static void test_cpus(void **state)
{
    unsigned int i;

    (void)state;
    assert_int_equal(parse(BASE "cpus = 'all,^1,^60-64'\n"), 0);
    assert_int_equal(cfg.cpus[0].bits[0], ~0ULL & ~2ULL & ~(0xfULL << 60));
    assert_int_equal(cfg.cpus[0].bits[1], ~1ULL);
    assert_int_equal(parse(BASE "cpus = 3\n"), 0);
    assert_int_equal(cfg.cpus[0].bits[0], 8);
    assert_int_equal(cfg.cpus[127].bits[0], 8);
    assert_int_equal(parse(BASE "cpus = ' 1 , 127 '\n"), 0);
    assert_int_equal(cfg.cpus[5].bits[0], 2);
    assert_int_equal(cfg.cpus[5].bits[1], 1ULL << 63);
    /* A list: one entry per vCPU; vCPUs beyond it run anywhere. */
    assert_int_equal(parse(BASE "vcpus = 3\ncpus = [ '0', \"2-3\", ]\n"), 0);
    assert_int_equal(cfg.cpus[0].bits[0], 1);
    assert_int_equal(cfg.cpus[1].bits[0], 0xc);
    assert_true(all_cpus(&cfg.cpus[2]));
    assert_int_equal(parse(BASE "cpus = [ 4 ]\n"), 0);
    assert_int_equal(cfg.cpus[0].bits[0], 0x10);
    for ( i = 1; i < CFG_MAX_VCPUS; i++ )
        assert_true(all_cpus(&cfg.cpus[i]));
    expect_error(BASE "vcpus = 2\ncpus = [ '0', '1', '2' ]\n",
                 "guest1.cfg:5: cpus: 3 entries for 2 vCPUs (one per vCPU at "
                 "most)");
    expect_error(BASE "cpus = [ '0', '1' ]\n",
                 "guest1.cfg:4: cpus: 2 entries for 1 vCPUs (one per vCPU at "
                 "most)");
    expect_error(BASE "cpus = []\n", "guest1.cfg:4: cpus: empty list");
    /* A bad vcpus does not make a good cpus list wrong as well. */
    expect_error(BASE "vcpus = 0\ncpus = [ '0', '1' ]\n",
                 "guest1.cfg:4: vcpus: 0 is out of range (1..128)");
    expect_error(BASE "cpus = '^1'\n", "guest1.cfg:4: cpus: '^1': no CPU left");
    expect_error(BASE "cpus = '0-128'\n",
                 "guest1.cfg:4: cpus: '0-128': CPU out of range (0..127)");
    expect_error(BASE "cpus = '999999'\n",
                 "guest1.cfg:4: cpus: '999999': expected a CPU number, a "
                 "range or 'all'");
    expect_error(BASE "cpus = '3-1'\n",
                 "guest1.cfg:4: cpus: '3-1': a range must go upwards");
    expect_error(BASE "cpus = '1-'\n",
                 "guest1.cfg:4: cpus: '1-': expected a CPU number after '-'");
    expect_error(BASE "cpus = '1,,2'\n",
                 "guest1.cfg:4: cpus: '1,,2': expected a CPU number, a range "
                 "or 'all'");
    expect_error(BASE "cpus = ''\n",
                 "guest1.cfg:4: cpus: '': expected a CPU number, a range or "
                 "'all'");
    expect_error(BASE "cpus = '1 2'\n",
                 "guest1.cfg:4: cpus: '1 2': expected ',' between CPUs");
    expect_error(BASE "cpus = 'nodes:0'\n",
                 "guest1.cfg:4: cpus: 'nodes:0': NUMA node lists are not "
                 "supported");
    /* Every bad element of a list is reported, on its own line. */
    assert_int_equal(parse(BASE "vcpus = 4\ncpus = [\n'0',\n'x',\n'1-0' ]\n"),
                     2);
    assert_string_equal(dg.diag[0].msg,
                        "guest1.cfg:7: cpus: 'x': expected a CPU number, a "
                        "range or 'all'");
    assert_string_equal(dg.diag[1].msg,
                        "guest1.cfg:8: cpus: '1-0': a range must go upwards");
}

static void test_actions(void **state)
{
    (void)state;
    assert_int_equal(parse(BASE "on_poweroff = 'restart'\n"
                                "on_reboot = 'preserve'\n"
                                "on_crash = \"preserve\"\n"),
                     0);
    assert_int_equal(cfg.on_poweroff, CFG_ACTION_RESTART);
    assert_int_equal(cfg.on_reboot, CFG_ACTION_PRESERVE);
    assert_int_equal(cfg.on_crash, CFG_ACTION_PRESERVE);
    expect_error(BASE "on_crash = 'coredump-restart'\n",
                 "guest1.cfg:4: on_crash: 'coredump-restart' is not supported "
                 "(destroy, restart, preserve)");
    expect_error(BASE "on_reboot = 'rename-restart'\n",
                 "guest1.cfg:4: on_reboot: 'rename-restart' is not supported "
                 "(destroy, restart, preserve)");
    expect_error(BASE "on_poweroff = 'Destroy'\n",
                 "guest1.cfg:4: on_poweroff: 'Destroy' is not supported "
                 "(destroy, restart, preserve)");
    expect_error(BASE "on_poweroff = destroy\n",
                 "guest1.cfg:4: on_poweroff: expected a value, found "
                 "'destroy'");
}

static void test_roles_and_caps(void **state)
{
    static const struct
    {
        const char *role;
        enum cfg_role want;
        uint32_t caps;
    } roles[] = {
        { "xenstored", CFG_ROLE_XENSTORED, TESSERA_CAP_XENSTORE },
        { "console", CFG_ROLE_CONSOLE,
          TESSERA_CAP_CONSOLE | TESSERA_CAP_DEVICE },
        { "blkback", CFG_ROLE_BLKBACK, TESSERA_CAP_DEVICE },
        { "netback", CFG_ROLE_NETBACK, TESSERA_CAP_DEVICE },
        { "guest", CFG_ROLE_GUEST, 0 },
    };
    char text[128];
    unsigned int i;

    (void)state;
    for ( i = 0; i < sizeof(roles) / sizeof(roles[0]); i++ )
    {
        snprintf(text, sizeof(text), BASE "role = '%s'\n", roles[i].role);
        assert_int_equal(parse(text), 0);
        assert_int_equal(cfg.role, roles[i].want);
        assert_int_equal(cfg.caps, roles[i].caps);
        assert_string_equal(cfg_role_name(cfg.role), roles[i].role);
        /* An explicit list replaces the role's default. */
        snprintf(text, sizeof(text),
                 BASE "capabilities = ['build']\nrole = '%s'\n", roles[i].role);
        assert_int_equal(parse(text), 0);
        assert_int_equal(cfg.caps, TESSERA_CAP_BUILD);
    }
    assert_int_equal(parse(BASE "capabilities = [ 'build', 'console', "
                                "'xenstore', 'device' ]\n"),
                     0);
    assert_int_equal(cfg.caps, TESSERA_CAP_ALL);
    expect_error(BASE "role = 'builder'\n",
                 "guest1.cfg:4: role: 'builder' is built by the hypervisor, "
                 "not from a cfg");
    expect_error(BASE "role = 'dom0'\n",
                 "guest1.cfg:4: role: 'dom0' is not a role (xenstored, "
                 "console, blkback, netback, guest)");
    expect_error(BASE "capabilities = 'console'\n",
                 "guest1.cfg:4: capabilities: expected a list such as [ "
                 "'console' ] (or [] for none)");
    expect_error(BASE "capabilities = [ 'console', 'root' ]\n",
                 "guest1.cfg:4: capabilities: 'root' is not a capability "
                 "(build, console, xenstore, device)");
    expect_error(BASE "capabilities = [ 'console',\n 'console' ]\n",
                 "guest1.cfg:5: capabilities: 'console' listed twice");
    expect_error(BASE "capabilities = [ 1 ]\n",
                 "guest1.cfg:4: capabilities: expected a quoted string, "
                 "found 1");
    /* A bad list gives the role's default no chance to hide the error. */
    assert_int_equal(cfg.caps, 0);
}

static void test_cmdline_extra(void **state)
{
    char text[1200], big[1100];

    (void)state;
    assert_int_equal(parse(BASE "extra = 'root=/dev/xvda1'\n"), 0);
    assert_string_equal(cfg.cmdline, "root=/dev/xvda1");
    /* xl: cmdline wins over extra, with a warning (not an error). */
    assert_int_equal(parse(BASE "extra = 'old'\ncmdline = 'new'\n"), 0);
    assert_string_equal(cfg.cmdline, "new");
    assert_int_equal(dg.nr_warnings, 1);
    assert_int_equal(dg.nr_errors, 0);
    assert_true(dg.diag[0].warning);
    assert_string_equal(dg.diag[0].msg,
                        "guest1.cfg:4: warning: extra: ignored in favour of "
                        "cmdline (line 5), as xl does");
    assert_int_equal(parse(BASE "cmdline = 'new'\nextra = 'old'\n"), 0);
    assert_string_equal(cfg.cmdline, "new");
    assert_string_equal(dg.diag[0].msg,
                        "guest1.cfg:5: warning: extra: ignored in favour of "
                        "cmdline (line 4), as xl does");
    /* 1023 characters fit (MAX_GUEST_CMDLINE with its NUL); 1024 do not. */
    memset(big, 'c', sizeof(big));
    snprintf(text, sizeof(text), BASE "cmdline = '%.1023s'\n", big);
    assert_int_equal(parse(text), 0);
    assert_int_equal(strlen(cfg.cmdline), 1023);
    snprintf(text, sizeof(text), BASE "cmdline = '%.1024s'\n", big);
    expect_error(text,
                 "guest1.cfg:4: cmdline: string longer than 1023 characters");
}

static void test_errors_collected(void **state)
{
    static const char text[] = "name = ''\n"        /* 1 */
                               "kernel = 'k'\n"     /* 2 */
                               "memory = 0\n"       /* 3 */
                               "vcpus = 999\n"      /* 4 */
                               "bogus = 1\n"        /* 5 */
                               "kernel = 'again'\n" /* 6 */
                               "on_crash = 'x'\n";  /* 7 */
    char many[2048];
    size_t n = 0;
    unsigned int i;

    (void)state;
    assert_int_equal(parse(text), 6);
    assert_int_equal(dg.nr, 6);
    assert_string_equal(dg.diag[0].msg, "guest1.cfg:1: name: '': empty name");
    assert_string_equal(dg.diag[1].msg, "guest1.cfg:3: memory: 0 is not a "
                                        "valid size (1..65536 MiB)");
    assert_string_equal(dg.diag[2].msg,
                        "guest1.cfg:4: vcpus: 999 is out of range (1..128)");
    assert_string_equal(dg.diag[3].msg, "guest1.cfg:5: bogus: unknown key");
    assert_string_equal(dg.diag[4].msg, "guest1.cfg:6: kernel: duplicate key "
                                        "(first set on line 2)");
    assert_string_equal(dg.diag[5].msg, "guest1.cfg:7: on_crash: 'x' is not "
                                        "supported (destroy, restart, "
                                        "preserve)");
    /* More errors than kept: all counted, the first CFG_MAX_DIAGS kept. */
    n += (size_t)snprintf(many + n, sizeof(many) - n, BASE);
    for ( i = 0; i < 40; i++ )
        n += (size_t)snprintf(many + n, sizeof(many) - n, "k%u = 1\n", i);
    assert_int_equal(parse(many), 40);
    assert_int_equal(dg.nr_errors, 40);
    assert_int_equal(dg.nr, CFG_MAX_DIAGS);
    assert_string_equal(dg.diag[15].msg, "guest1.cfg:19: k15: unknown key");
    /* Diagnostics accumulate over files until reset. */
    assert_int_equal(cfg_parse("b.cfg", "x", 1, &cfg, &dg), 4);
    assert_int_equal(dg.nr_errors, 44);
}

static void test_long_file_name(void **state)
{
    char file[300];

    (void)state;
    memset(file, 'f', sizeof(file) - 1);
    file[sizeof(file) - 1] = '\0';
    cfg_diags_init(&dg);
    assert_int_equal(cfg_parse(file, BASE, strlen(BASE), &cfg, &dg), 0);
    assert_int_equal(strlen(cfg.file), CFG_FILE_MAX - 1);
    /* The message is cut, never overflowed. */
    assert_int_equal(cfg_parse(file, "vcpus=0\n", 8, &cfg, &dg), 4);
    assert_int_equal(strlen(dg.diag[0].msg), CFG_MSG_MAX - 1);
}

/*
 * Mutated configurations (deterministic): the parser never reads outside
 * the text (ASan), keeps its bounds, and whatever it accepts is valid.
 */
static void check_accepted(const struct domain_config *c)
{
    assert_true(c->name[0] && strlen(c->name) < CFG_NAME_MAX);
    assert_true(c->kernel[0] && strlen(c->kernel) < CFG_PATH_MAX);
    assert_true(strlen(c->ramdisk) < CFG_PATH_MAX);
    assert_true(strlen(c->cmdline) < CFG_CMDLINE_MAX);
    assert_true(c->memory >= 1 && c->memory <= CFG_MEMORY_MAX);
    assert_true(c->maxmem >= c->memory && c->maxmem <= CFG_MEMORY_MAX);
    assert_true(c->vcpus >= 1 && c->vcpus <= CFG_MAX_VCPUS);
    assert_true(c->role < CFG_ROLE_NR);
    assert_int_equal(c->caps & ~TESSERA_CAP_ALL, 0);
}

static void test_mutations(void **state)
{
    static const char seed[] =
        "name = \"web-1\" # c\nkernel = 'k\\x41'\nmemory = 0x40\n"
        "maxmem = '128'; vcpus = 2\ncpus = [ '0-3,^1',\n 5, ]\n"
        "extra = 'e'\ncmdline = \"a\\tb\"\non_crash = 'restart'\n"
        "role = 'console'\ncapabilities = [ 'console', \"device\" ]\n";
    static const char alphabet[] = "'\"[],=;#\\\n x0-^a9\r\t+";
    char text[sizeof(seed) + 16];
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    unsigned int iter, i, accepted = 0;
    char *exact;
    size_t len;

    (void)state;
    assert_int_equal(parse(seed), 0);
    for ( iter = 0; iter < 20000; iter++ )
    {
        memcpy(text, seed, sizeof(seed));
        len = sizeof(seed) - 1;
        for ( i = 0; i < 1 + iter % 4; i++ )
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text[x % len] = (x >> 32) & 1
                                ? alphabet[(x >> 40) % (sizeof(alphabet) - 1)]
                                : (char)(x >> 48);
        }
        if ( iter % 7 == 0 )
            len = (x >> 20) % len; /* cut anywhere */
        /* An exact-size copy: ASan sees any read past the end. */
        exact = malloc(len ? len : 1);
        assert_non_null(exact);
        memcpy(exact, text, len);
        cfg_diags_init(&dg);
        if ( cfg_parse("m.cfg", exact, len, &cfg, &dg) == 0 )
        {
            check_accepted(&cfg);
            accepted++;
        }
        free(exact);
        assert_true(dg.nr <= CFG_MAX_DIAGS);
        assert_true(dg.nr <= dg.nr_errors + dg.nr_warnings);
        for ( i = 0; i < dg.nr; i++ )
            assert_int_equal(strncmp(dg.diag[i].msg, "m.cfg:", 6), 0);
    }
    assert_true(accepted > 0);
}

/* ---- sets ---------------------------------------------------------------- */

static struct domain_config set[8];

static void make(unsigned int i, const char *file, const char *name,
                 const char *role)
{
    char text[256];
    struct cfg_diags d;

    snprintf(text, sizeof(text),
             "name = '%s'\nkernel = 'k'\nmemory = 8\nrole = '%s'\n", name,
             role);
    cfg_diags_init(&d);
    assert_int_equal(cfg_parse(file, text, strlen(text), &set[i], &d), 0);
}

static void test_build_order(void **state)
{
    static const unsigned int want[] = { 4, 3, 2, 6, 1, 5, 0, 7 };
    unsigned int order[8], i;

    (void)state;
    make(0, "web.cfg", "web", "guest");
    make(1, "net.cfg", "net", "netback");
    make(2, "blk.cfg", "blk", "blkback");
    make(3, "con.cfg", "con", "console");
    make(4, "xs.cfg", "xs", "xenstored");
    make(5, "db.cfg", "db", "guest");
    make(6, "blk2.cfg", "blk2", "blkback");
    make(7, "web.cfg", "web2", "guest"); /* same file name: by index */
    cfg_diags_init(&dg);
    assert_int_equal(cfg_check_set(set, 8, order, &dg), 0);
    assert_int_equal(dg.nr, 0);
    for ( i = 0; i < 8; i++ )
        assert_int_equal(order[i], want[i]);
    /* Empty and single sets. */
    assert_int_equal(cfg_check_set(set, 0, order, &dg), 0);
    assert_int_equal(cfg_check_set(set, 1, order, &dg), 0);
    assert_int_equal(order[0], 0);
}

static void test_set_errors(void **state)
{
    unsigned int order[8];
    static struct domain_config big[CFG_MAX_DOMAINS + 1];

    (void)state;
    make(0, "a.cfg", "same", "guest");
    make(1, "b.cfg", "other", "xenstored");
    make(2, "c.cfg", "same", "guest");
    make(3, "d.cfg", "xs2", "xenstored");
    make(4, "e.cfg", "con1", "console");
    make(5, "f.cfg", "con2", "console");
    make(6, "g.cfg", "blk1", "blkback");
    make(7, "h.cfg", "blk2", "blkback"); /* several backends are fine */
    cfg_diags_init(&dg);
    assert_int_equal(cfg_check_set(set, 8, order, &dg), 3);
    assert_string_equal(dg.diag[0].msg, "c.cfg:1: name: 'same' is already the "
                                        "name of a.cfg:1");
    assert_string_equal(dg.diag[1].msg, "d.cfg:4: role: a second xenstored "
                                        "(the first is b.cfg:4); there is "
                                        "only one");
    assert_string_equal(dg.diag[2].msg, "f.cfg:4: role: a second console (the "
                                        "first is e.cfg:4); there is only "
                                        "one");
    cfg_diags_init(&dg);
    snprintf(big[CFG_MAX_DOMAINS].file, CFG_FILE_MAX, "z.cfg");
    assert_int_equal(cfg_check_set(big, CFG_MAX_DOMAINS + 1, NULL, &dg), 1);
    assert_string_equal(dg.diag[0].msg, "z.cfg:1: too many domain "
                                        "configurations (65, at most 64)");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(cfg_key_name(CFG_KEY_ON_CRASH), "on_crash");
    assert_string_equal(cfg_key_name(CFG_KEY_NR), "?");
    assert_string_equal(cfg_action_name(CFG_ACTION_PRESERVE), "preserve");
    assert_string_equal(cfg_role_name(CFG_ROLE_NR), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_defaults),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_list_too_long),
        cmocka_unit_test(test_comments_and_blanks),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_unknown_and_duplicate_keys),
        cmocka_unit_test(test_numbers_and_ranges),
        cmocka_unit_test(test_names_and_paths),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_cpus),
        cmocka_unit_test(test_actions),
        cmocka_unit_test(test_roles_and_caps),
        cmocka_unit_test(test_cmdline_extra),
        cmocka_unit_test(test_errors_collected),
        cmocka_unit_test(test_long_file_name),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_build_order),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
