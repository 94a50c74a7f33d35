/*
 * Decoder for guest store instructions (see hv/x86_store.h).
 *
 * Locking: none; pure function of its arguments.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/x86_store.h>

#define MAX_INSN 15

struct cursor
{
    const uint8_t *p;
    size_t avail, pos;
};

static bool next(struct cursor *c, uint8_t *b)
{
    if ( c->pos >= c->avail || c->pos >= MAX_INSN )
        return false;
    *b = c->p[c->pos++];
    return true;
}

static bool next_le(struct cursor *c, unsigned int n, uint64_t *v)
{
    unsigned int i;
    uint8_t b;

    *v = 0;
    for ( i = 0; i < n; i++ )
    {
        if ( !next(c, &b) )
            return false;
        *v |= (uint64_t)b << (8 * i);
    }
    return true;
}

static uint64_t sext(uint64_t v, unsigned int bytes)
{
    unsigned int shift = 64 - 8 * bytes;

    return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* The effective address of a ModRM memory operand (mod != 3). */
static int modrm_address(struct cursor *c, uint8_t modrm, uint8_t rex,
                         const uint64_t gpr[X86_NR_GPRS], uint64_t *addr,
                         bool *rip_rel)
{
    unsigned int mod = modrm >> 6, rm = modrm & 7;
    uint64_t base = 0, index = 0, disp = 0;
    uint8_t sib;

    *rip_rel = false;
    if ( rm == 4 )
    {
        unsigned int scale, idx, b;

        if ( !next(c, &sib) )
            return -EINVAL;
        scale = sib >> 6;
        idx = ((sib >> 3) & 7) | ((rex & 2) ? 8 : 0);
        b = (sib & 7) | ((rex & 1) ? 8 : 0);
        if ( idx != 4 ) /* rsp cannot be an index */
            index = gpr[idx] << scale;
        if ( (sib & 7) == 5 && mod == 0 )
        {
            if ( !next_le(c, 4, &disp) )
                return -EINVAL;
            disp = sext(disp, 4);
        }
        else
            base = gpr[b];
    }
    else if ( rm == 5 && mod == 0 )
    {
        if ( !next_le(c, 4, &disp) )
            return -EINVAL;
        disp = sext(disp, 4);
        *rip_rel = true; /* rip of the next instruction, added later */
    }
    else
        base = gpr[rm | ((rex & 1) ? 8 : 0)];

    if ( mod == 1 )
    {
        if ( !next_le(c, 1, &disp) )
            return -EINVAL;
        disp = sext(disp, 1);
    }
    else if ( mod == 2 )
    {
        if ( !next_le(c, 4, &disp) )
            return -EINVAL;
        disp = sext(disp, 4);
    }
    *addr = base + index + disp;
    return 0;
}

/* The value of register reg at size bytes (legacy ah..bh when high). */
static uint64_t reg_value(const uint64_t gpr[X86_NR_GPRS], unsigned int reg,
                          unsigned int size, bool high)
{
    uint64_t v = high ? gpr[reg - 4] >> 8 : gpr[reg];

    return size == 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

int x86_decode_store(const uint8_t *insn, size_t avail, uint64_t rip,
                     const uint64_t gpr[X86_NR_GPRS], struct x86_store *s)
{
    struct cursor c = { insn, avail, 0 };
    bool opsize16 = false, rip_rel, byte_op;
    uint8_t b, rex = 0, modrm, op;
    unsigned int reg;
    uint64_t imm;
    int rc;

    memset(s, 0, sizeof(*s));
    for ( ;; ) /* legacy prefixes; at most MAX_INSN bytes in all */
    {
        if ( !next(&c, &b) )
            return -EINVAL;
        if ( b == 0x66 )
            opsize16 = true;
        else if ( b == 0xf0 )
            continue; /* lock: the emulated write is atomic anyway */
        else if ( b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
                  b == 0x64 || b == 0x65 )
            return -EOPNOTSUPP; /* segment overrides */
        else
            break;
    }
    if ( (b & 0xf0) == 0x40 )
    {
        rex = b;
        if ( !next(&c, &b) )
            return -EINVAL;
    }
    op = b;
    if ( op == 0x0f )
    {
        if ( !next(&c, &op) || (op != 0xb0 && op != 0xb1) )
            return c.pos > c.avail ? -EINVAL : -EOPNOTSUPP;
        s->kind = X86_STORE_CMPXCHG;
        byte_op = op == 0xb0;
    }
    else if ( op == 0x88 || op == 0x89 || op == 0xc6 || op == 0xc7 )
    {
        s->kind = X86_STORE_MOV;
        byte_op = op == 0x88 || op == 0xc6;
    }
    else if ( op == 0x86 || op == 0x87 )
    {
        s->kind = X86_STORE_XCHG;
        byte_op = op == 0x86;
    }
    else
        return -EOPNOTSUPP;

    if ( !next(&c, &modrm) )
        return -EINVAL;
    if ( (modrm >> 6) == 3 )
        return -EOPNOTSUPP; /* register destination: not a store */
    s->size = byte_op ? 1 : (rex & 8) ? 8 : opsize16 ? 2 : 4;
    reg = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
    if ( (op == 0xc6 || op == 0xc7) && ((modrm >> 3) & 7) != 0 )
        return -EOPNOTSUPP; /* only /0 is mov */
    rc = modrm_address(&c, modrm, rex, gpr, &s->addr, &rip_rel);
    if ( rc )
        return rc;

    if ( op == 0xc6 || op == 0xc7 )
    {
        unsigned int n = s->size == 8 ? 4 : s->size;

        if ( !next_le(&c, n, &imm) )
            return -EINVAL;
        s->value = s->size == 8 ? sext(imm, 4) : imm;
    }
    else
    {
        /* Without REX, byte registers 4-7 are ah, ch, dh, bh. */
        s->high_byte = byte_op && !rex && reg >= 4 && reg < 8;
        s->reg = reg;
        s->value = reg_value(gpr, reg, s->size, s->high_byte);
    }
    s->len = c.pos;
    if ( rip_rel )
        s->addr += rip + s->len;
    return 0;
}
