/*
 * Exceptions raised by PV guests, and the emulation of the few privileged
 * instructions a PV kernel executes in ring 3 (reference §4.3, §4.8, §4.9,
 * §12).  Everything not emulated is bounced to the guest as the fault it
 * was.
 *
 * CPUID policy (forced-emulation prefix only; a plain cpuid runs natively):
 * leaves 0x40000000-0x40000005 are Xen's ("XenVMMXenVMM", version 4.17,
 * one hypercall page, MSR base 0x40000000), the rest of 0x400000xx is zero;
 * leaf 1 reports the vCPU's initial APIC id (vcpu_id * 2), sets the hypervisor bit
 * and hides VMX, SMX, MONITOR, PCID, x2APIC, TSC-deadline, XSAVE, OSXSAVE
 * and AVX; leaf 7 hides everything (no XSAVE-based or ring-0 features);
 * leaf 0xd is empty; leaf 0x80000001 hides SVM.
 *
 * MSRs: FS_BASE, GS_BASE and KERNEL_GS_BASE read and write the vCPU's
 * bases; EFER reads its long-mode bits; TSC reads the TSC; MISC_ENABLE
 * reads 0; everything else raises #GP.
 *
 * Port I/O: allowed when the virtual IOPL covers the guest's mode (kernel
 * mode counts as CPL 1); no port belongs to any domain yet, so reads return
 * all ones and writes are dropped.  Otherwise #GP.
 *
 * Locking: runs on the faulting vCPU's CPU, on its state only.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/lib.h>
#include <asm/guest_access.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define MSR_TSC            0x00000010
#define MSR_MISC_ENABLE    0x000001a0
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

static bool is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t sub,
              uint32_t out[4])
{
    struct cpuid_regs c;

    memset(out, 0, 4 * sizeof(out[0]));
    switch ( leaf )
    {
    case 0x40000000:
        out[0] = 0x40000005;
        memcpy(&out[1], "XenV", 4);
        memcpy(&out[2], "MMXe", 4);
        memcpy(&out[3], "nVMM", 4);
        return;
    case 0x40000001:
        out[0] = (4 << 16) | 17;
        return;
    case 0x40000002:
        out[0] = 1;          /* hypercall pages */
        out[1] = 0x40000000; /* MSR base */
        return;
    case 0x40000003:
    case 0x40000004:
    case 0x40000005:
        return;
    case 7:
    case 0xd:
        return;
    }
    if ( leaf >= 0x40000000 && leaf <= 0x400000ff )
        return; /* above our last hypervisor leaf: all zero */
    c = cpuid_count(leaf, sub);
    out[0] = c.eax;
    out[1] = c.ebx;
    out[2] = c.ecx;
    out[3] = c.edx;
    if ( leaf == 1 )
    {
        out[2] &=
            ~((1U << 3) | (1U << 5) | (1U << 6) | (1U << 17) | (1U << 21) |
              (1U << 24) | (1U << 26) | (1U << 27) | (1U << 28));
        out[2] |= 1U << 31; /* running on a hypervisor */
        /* The initial APIC id is the vCPU's, as Xen reports it. */
        out[1] = (out[1] & 0x00ffffff) | ((v->vcpu_id * 2) << 24);
    }
    else if ( leaf == 0x80000001 )
        out[2] &= ~(1U << 2);
}

bool pv_emulate_forced_cpuid(struct vcpu *v, struct cpu_regs *r)
{
    static const uint8_t sig[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
    uint8_t insn[sizeof(sig)];
    uint32_t out[4];

    if ( copy_from_guest(insn, r->rip, sizeof(insn)) ||
         memcmp(insn, sig, sizeof(sig)) )
        return false;
    pv_cpuid(v, r->rax, r->rcx, out);
    r->rax = out[0];
    r->rbx = out[1];
    r->rcx = out[2];
    r->rdx = out[3];
    r->rip += sizeof(sig);
    return true;
}

static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch ( msr )
    {
    case MSR_FS_BASE:
        *val = rdmsr(MSR_FS_BASE);
        return true;
    case MSR_GS_BASE:
        *val = rdmsr(MSR_GS_BASE);
        return true;
    case MSR_KERNEL_GS_BASE:
        *val =
            v->arch.kernel_mode ? v->arch.gs_base_user : v->arch.gs_base_kernel;
        return true;
    case MSR_EFER:
        *val = EFER_SCE | EFER_LME | (1UL << 10) /* LMA */ |
               (rdmsr(MSR_EFER) & EFER_NXE);
        return true;
    case MSR_TSC:
        *val = rdtsc();
        return true;
    case MSR_MISC_ENABLE:
        *val = 0;
        return true;
    default:
        return false;
    }
}

static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch ( msr )
    {
    case MSR_FS_BASE:
    case MSR_GS_BASE:
        if ( !is_canonical(val) )
            return false;
        wrmsr(msr, val);
        if ( msr == MSR_FS_BASE )
            v->arch.fs_base = val;
        return true;
    case MSR_KERNEL_GS_BASE:
        if ( !is_canonical(val) )
            return false;
        if ( v->arch.kernel_mode )
            v->arch.gs_base_user = val;
        else
            v->arch.gs_base_kernel = val;
        return true;
    default:
        return false;
    }
}

static bool io_allowed(const struct vcpu *v)
{
    return v->arch.iopl >= (v->arch.kernel_mode ? 1U : 3U);
}

static uint64_t guest_cr(const struct vcpu *v, unsigned int n, bool *ok)
{
    *ok = true;
    switch ( n )
    {
    case 0:
        return X86_CR0_PE | X86_CR0_MP | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG |
               (v->arch.fpu_virt_ts ? X86_CR0_TS : 0);
    case 2:
        return v->vcpu_info ? v->vcpu_info->arch.cr2 : 0;
    case 3:
        return v->arch.kernel_mode ? v->arch.guest_table
                                   : v->arch.guest_table_user;
    case 4:
        return X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    default:
        *ok = false;
        return 0;
    }
}

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
    uint64_t *map[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                          &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                          &r->r12, &r->r13, &r->r14, &r->r15 };

    return map[n & 15];
}

static bool emulate_io(struct vcpu *v, struct cpu_regs *r, const uint8_t *b,
                       unsigned int len, bool opsize16)
{
    unsigned int size = (b[0] & 1) ? (opsize16 ? 2 : 4) : 1;
    bool in = !(b[0] & 2);
    uint64_t mask = size == 4 ? 0xffffffffUL : (1UL << (size * 8)) - 1;

    if ( !io_allowed(v) )
        return false;
    if ( in )
        r->rax = (size == 4 ? 0 : (r->rax & ~mask)) | mask; /* all ones */
    /* Writes are dropped: no port is assigned to any domain yet. */
    r->rip += len;
    return true;
}

/* #GP with error code 0 in ring 3: a privileged instruction? */
bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *r)
{
    uint8_t b[16];
    unsigned int i = 0;
    bool opsize16 = false, rex_r = false, rex_b = false, ok;
    uint64_t val;

    if ( copy_from_guest(b, r->rip, sizeof(b)) )
        return false;
    if ( b[i] == 0x66 )
    {
        opsize16 = true;
        i++;
    }
    if ( (b[i] & 0xf0) == 0x40 ) /* REX */
    {
        rex_r = b[i] & 4;
        rex_b = b[i] & 1;
        i++;
    }

    switch ( b[i] )
    {
    case 0xe4: /* in al/eax, imm8 */
    case 0xe5:
    case 0xe6: /* out imm8, al/eax */
    case 0xe7:
        return emulate_io(v, r, b + i, i + 2, opsize16);
    case 0xec: /* in al/eax, dx */
    case 0xed:
    case 0xee: /* out dx, al/eax */
    case 0xef:
        return emulate_io(v, r, b + i, i + 1, opsize16);
    case 0xfa: /* cli */
    case 0xfb: /* sti: no-ops when the virtual IOPL permits */
        if ( !io_allowed(v) )
            return false;
        r->rip += i + 1;
        return true;
    case 0x0f:
        break;
    default:
        return false;
    }

    switch ( b[i + 1] )
    {
    case 0x06: /* clts */
        if ( !v->arch.kernel_mode )
            return false;
        pv_fpu_set_virt_ts(v, false);
        r->rip += i + 2;
        return true;
    case 0x09: /* wbinvd: harmless to skip for a PV kernel */
        if ( !v->arch.kernel_mode )
            return false;
        r->rip += i + 2;
        return true;
    case 0x20: /* mov %crN, reg */
        if ( !v->arch.kernel_mode || (b[i + 2] & 0xc0) != 0xc0 )
            return false;
        val = guest_cr(v, ((b[i + 2] >> 3) & 7) | (rex_r ? 8 : 0), &ok);
        if ( !ok )
            return false;
        *gpr(r, (b[i + 2] & 7) | (rex_b ? 8 : 0)) = val;
        r->rip += i + 3;
        return true;
    case 0x30: /* wrmsr */
        if ( !v->arch.kernel_mode ||
             !msr_write(v, r->rcx, (r->rdx << 32) | (uint32_t)r->rax) )
            return false;
        r->rip += i + 2;
        return true;
    case 0x32: /* rdmsr */
        if ( !v->arch.kernel_mode || !msr_read(v, r->rcx, &val) )
            return false;
        r->rax = (uint32_t)val;
        r->rdx = val >> 32;
        r->rip += i + 2;
        return true;
    default:
        return false;
    }
}

/* int $n from ring 3 arrives as #GP; decode it (QEMU 7.2's error code lies). */
static bool pv_soft_int(struct vcpu *v, struct cpu_regs *r)
{
    uint8_t b[2];
    const struct virt_trap *t;

    if ( copy_from_guest(b, r->rip, 2) || b[0] != 0xcd )
        return false;
    t = &v->arch.trap[b[1]];
    if ( t->address && (t->flags & 3) >= (v->arch.kernel_mode ? 1U : 3U) )
    {
        r->rip += 2;
        pv_bounce(v, r, t->address, -1, t->flags & 4);
    }
    else
        pv_inject_trap(v, r, 13, (b[1] << 3) | 2);
    return true;
}

static bool has_error_code(unsigned int vec)
{
    return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21;
}

void pv_do_trap(struct cpu_regs *r)
{
    struct vcpu *v = current;
    unsigned int vec = r->entry_vector;
    long ec = has_error_code(vec) ? (long)r->error_code : -1;

    switch ( vec )
    {
    case 14:
        if ( pv_ptwr_fault(v, r, read_cr2(), r->error_code) )
            return; /* a write to one of its L1 tables, emulated */
        if ( v->vcpu_info )
            v->vcpu_info->arch.cr2 = read_cr2();
        /* U/S tells the guest's mode, not the hardware CPL (always 3). */
        ec = (ec & ~4L) | (v->arch.kernel_mode ? 0 : 4);
        break;
    case 6:
        if ( pv_emulate_forced_cpuid(v, r) )
            return;
        break;
    case 7:
        pv_fpu_nm(v, r);
        return;
    case 1:
    {
        /* Merge the hardware DR6 into the vCPU's view, then reset it. */
        unsigned long dr6;

        __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
        v->arch.dr[6] |= dr6 & 0xe00f;
        __asm__ volatile("mov %0, %%dr6" ::"r"(0xffff0ff0UL));
        break;
    }
    case 13:
        if ( r->error_code == 0 && pv_emulate_privileged(v, r) )
            return;
        if ( (r->error_code & 7) == 2 && pv_soft_int(v, r) )
            return;
        break;
    case 0x80:
        /* int $0x80 (IDT DPL 3): straight to the guest's handler, if any. */
        if ( v->arch.trap[0x80].address )
        {
            pv_bounce(v, r, v->arch.trap[0x80].address, -1,
                      v->arch.trap[0x80].flags & 4);
            return;
        }
        r->rip -= 2;
        vec = 13;
        ec = (0x80 << 3) | 2;
        break;
    default:
        break;
    }
    pv_inject_trap(v, r, vec, ec);
}
