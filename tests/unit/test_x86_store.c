/*
 * Unit tests: decoding guest store instructions (common/x86_store.c).
 * Every encoding below was produced by GNU as from the assembly in its
 * comment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/x86_store.h>

enum
{
    RAX,
    RCX,
    RDX,
    RBX,
    RSP,
    RBP,
    RSI,
    RDI,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13
};

static uint64_t gpr[X86_NR_GPRS];

static void setup_regs(void)
{
    unsigned int i;

    for ( i = 0; i < X86_NR_GPRS; i++ )
        gpr[i] = 0x1111111111111111ULL * (i + 1);
    gpr[RDI] = 0xffff888000001000ULL;
    gpr[RSI] = 0xffff888000002000ULL;
    gpr[RBX] = 0xffff888000003000ULL;
    gpr[R8] = 0xffff888000004000ULL;
    gpr[RCX] = 3;
    gpr[RAX] = 0x8000000012345067ULL;
    gpr[RSP] = 0xffffc90000007ff0ULL;
    gpr[RBP] = 0xffffc90000008000ULL;
    gpr[R12] = 0xffff888000005000ULL;
    gpr[R13] = 0xffff888000006000ULL;
}

struct expect
{
    const char *what;
    uint8_t bytes[16];
    unsigned int n;
    enum x86_store_kind kind;
    unsigned int len, size;
    uint64_t addr, value;
};

static void check(const struct expect *e)
{
    struct x86_store s;
    int rc = x86_decode_store(e->bytes, e->n, 0x400000, gpr, &s);

    if ( rc != 0 )
        fail_msg("%s: rc %d", e->what, rc);
    if ( s.kind != e->kind || s.len != e->len || s.size != e->size ||
         s.addr != e->addr || s.value != e->value )
        fail_msg("%s: kind %d len %u size %u addr %#lx value %#lx", e->what,
                 s.kind, s.len, s.size, (unsigned long)s.addr,
                 (unsigned long)s.value);
}

static void test_movs(void **state)
{
    (void)state;
    setup_regs();
    const struct expect t[] = {
        { "mov %rax,(%rdi)",
          { 0x48, 0x89, 0x07 },
          3,
          X86_STORE_MOV,
          3,
          8,
          gpr[RDI],
          gpr[RAX] },
        { "mov %r9,8(%rsi)",
          { 0x4c, 0x89, 0x4e, 0x08 },
          4,
          X86_STORE_MOV,
          4,
          8,
          gpr[RSI] + 8,
          gpr[R9] },
        { "mov %eax,(%rdi)",
          { 0x89, 0x07 },
          2,
          X86_STORE_MOV,
          2,
          4,
          gpr[RDI],
          gpr[RAX] & 0xffffffff },
        { "mov %ax,(%rdi)",
          { 0x66, 0x89, 0x07 },
          3,
          X86_STORE_MOV,
          3,
          2,
          gpr[RDI],
          gpr[RAX] & 0xffff },
        { "mov %al,(%rdi)",
          { 0x88, 0x07 },
          2,
          X86_STORE_MOV,
          2,
          1,
          gpr[RDI],
          gpr[RAX] & 0xff },
        { "mov %ah,(%rbx)",
          { 0x88, 0x23 },
          2,
          X86_STORE_MOV,
          2,
          1,
          gpr[RBX],
          (gpr[RAX] >> 8) & 0xff },
        { "mov %r10b,(%rdi)",
          { 0x44, 0x88, 0x17 },
          3,
          X86_STORE_MOV,
          3,
          1,
          gpr[RDI],
          gpr[R10] & 0xff },
        { "movq $0x12345678,(%rdi)",
          { 0x48, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 },
          7,
          X86_STORE_MOV,
          7,
          8,
          gpr[RDI],
          0x12345678 },
        { "movq $-1,(%rdi)",
          { 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff },
          7,
          X86_STORE_MOV,
          7,
          8,
          gpr[RDI],
          ~0ULL },
        { "movl $0x7,4(%rdi)",
          { 0xc7, 0x47, 0x04, 0x07, 0x00, 0x00, 0x00 },
          7,
          X86_STORE_MOV,
          7,
          4,
          gpr[RDI] + 4,
          7 },
        { "movb $0x55,(%rdi)",
          { 0xc6, 0x07, 0x55 },
          3,
          X86_STORE_MOV,
          3,
          1,
          gpr[RDI],
          0x55 },
        { "movw $0x1234,(%rdi)",
          { 0x66, 0xc7, 0x07, 0x34, 0x12 },
          5,
          X86_STORE_MOV,
          5,
          2,
          gpr[RDI],
          0x1234 },
    };
    for ( size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++ )
        check(&t[i]);
}

static void test_addressing(void **state)
{
    (void)state;
    setup_regs();
    const struct expect t[] = {
        { "mov %rax,0x10(%rip)",
          { 0x48, 0x89, 0x05, 0x10, 0, 0, 0 },
          7,
          X86_STORE_MOV,
          7,
          8,
          0x400000 + 7 + 0x10,
          gpr[RAX] },
        { "mov %rax,(%rsp)",
          { 0x48, 0x89, 0x04, 0x24 },
          4,
          X86_STORE_MOV,
          4,
          8,
          gpr[RSP],
          gpr[RAX] },
        { "mov %rax,(%r12)",
          { 0x49, 0x89, 0x04, 0x24 },
          4,
          X86_STORE_MOV,
          4,
          8,
          gpr[R12],
          gpr[RAX] },
        { "mov %rax,0x0(%r13)",
          { 0x49, 0x89, 0x45, 0x00 },
          4,
          X86_STORE_MOV,
          4,
          8,
          gpr[R13],
          gpr[RAX] },
        { "mov %rax,0x1000(,%rcx,8)",
          { 0x48, 0x89, 0x04, 0xcd, 0, 0x10, 0, 0 },
          8,
          X86_STORE_MOV,
          8,
          8,
          0x1000 + 3 * 8,
          gpr[RAX] },
        { "mov %rax,0x0(%rbp)",
          { 0x48, 0x89, 0x45, 0x00 },
          4,
          X86_STORE_MOV,
          4,
          8,
          gpr[RBP],
          gpr[RAX] },
    };
    for ( size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++ )
        check(&t[i]);
}

static void test_xchg_cmpxchg(void **state)
{
    (void)state;
    setup_regs();
    const struct expect t[] = {
        { "xchg %rax,(%rdi)",
          { 0x48, 0x87, 0x07 },
          3,
          X86_STORE_XCHG,
          3,
          8,
          gpr[RDI],
          gpr[RAX] },
        { "lock cmpxchg %rdx,(%rdi)",
          { 0xf0, 0x48, 0x0f, 0xb1, 0x17 },
          5,
          X86_STORE_CMPXCHG,
          5,
          8,
          gpr[RDI],
          gpr[RDX] },
        { "cmpxchg %rdx,(%r8,%rcx,8)",
          { 0x49, 0x0f, 0xb1, 0x14, 0xc8 },
          5,
          X86_STORE_CMPXCHG,
          5,
          8,
          gpr[R8] + 3 * 8,
          gpr[RDX] },
    };
    for ( size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++ )
        check(&t[i]);
}

static void test_refused(void **state)
{
    static const struct
    {
        const char *what;
        uint8_t bytes[8];
        unsigned int n;
        int rc;
    } t[] = {
        { "mov %rbx,%rax (register destination)",
          { 0x48, 0x89, 0xd8 },
          3,
          -EOPNOTSUPP },
        { "mov (%rdi),%rax (a load)", { 0x48, 0x8b, 0x07 }, 3, -EOPNOTSUPP },
        { "mov %rax,%fs:(%rdi)", { 0x64, 0x48, 0x89, 0x07 }, 4, -EOPNOTSUPP },
        { "c7 /1 (not mov)", { 0xc7, 0x0f, 0, 0, 0, 0 }, 6, -EOPNOTSUPP },
        { "0f 0b (ud2)", { 0x0f, 0x0b }, 2, -EOPNOTSUPP },
        { "truncated modrm", { 0x48, 0x89 }, 2, -EINVAL },
        { "truncated imm32", { 0x48, 0xc7, 0x07, 0x78 }, 4, -EINVAL },
        { "truncated sib", { 0x48, 0x89, 0x04 }, 3, -EINVAL },
        { "empty", { 0 }, 0, -EINVAL },
    };
    struct x86_store s;

    (void)state;
    setup_regs();
    for ( size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++ )
    {
        int rc = x86_decode_store(t[i].bytes, t[i].n, 0x400000, gpr, &s);

        if ( rc != t[i].rc )
            fail_msg("%s: rc %d, want %d", t[i].what, rc, t[i].rc);
    }
}

static void test_prefix_flood(void **state)
{
    uint8_t b[32];
    struct x86_store s;

    (void)state;
    setup_regs();
    /* 15 lock prefixes and then a valid mov: longer than any instruction. */
    memset(b, 0xf0, sizeof(b));
    b[15] = 0x48;
    b[16] = 0x89;
    b[17] = 0x07;
    assert_int_equal(x86_decode_store(b, sizeof(b), 0, gpr, &s), -EINVAL);
    /* 12 prefixes + 3 bytes = 15: still a valid instruction. */
    memset(b, 0xf0, 12);
    b[12] = 0x48;
    b[13] = 0x89;
    b[14] = 0x07;
    assert_int_equal(x86_decode_store(b, 15, 0, gpr, &s), 0);
    assert_int_equal(s.len, 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_movs),         cmocka_unit_test(test_addressing),
        cmocka_unit_test(test_xchg_cmpxchg), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_prefix_flood),
    };

    return cmocka_run_group_tests_name("x86_store", tests, NULL, NULL);
}
