/*
 * Exceptions: trap table, callbacks, dispatch, fix-ups, register dumps
 *
 * Locking: none; the tables are written before any secondary vCPU runs
 * and only read afterwards; handlers run with events masked.
 */
#include <string.h>

#include <public/callback.h>
#include <rt/console.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/smp.h>
#include <rt/traps.h>

/* Entry stubs (entry.S). */
extern char xen_entry_de[], xen_entry_db[], xen_entry_nmi[], xen_entry_bp[],
    xen_entry_of[], xen_entry_br[], xen_entry_ud[], xen_entry_nm[],
    xen_entry_df[], xen_entry_cso[], xen_entry_ts[], xen_entry_np[],
    xen_entry_ss[], xen_entry_gp[], xen_entry_pf[], xen_entry_spurious[],
    xen_entry_mf[], xen_entry_ac[], xen_entry_mc[], xen_entry_xm[],
    xen_entry_int80[], xen_entry_event[], xen_entry_failsafe[],
    xen_entry_syscall[];
extern char __stack_top[];

struct extable_entry
{
    uint64_t from, to;
};
extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

volatile struct xen_trap_record xen_last_trap;
static xen_trap_hook_t trap_hooks[256];

void xen_trap_handler(struct trap_frame *frame);
void xen_failsafe_handler(const uint64_t *frame);
void xen_syscall_handler(const uint64_t *frame);

#define TI_IF 4 /* mask events on entry */

/* clang-format off */
static const struct trap_info trap_table[] = {
    { 0, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_de },
    { 1, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_db },
    { 2, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_nmi },
    { 3, TI_IF | 3, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_bp },
    { 4, TI_IF | 3, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_of },
    { 5, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_br },
    { 6, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_ud },
    { 7, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_nm },
    { 8, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_df },
    { 9, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_cso },
    { 10, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_ts },
    { 11, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_np },
    { 12, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_ss },
    { 13, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_gp },
    { 14, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_pf },
    { 15, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_spurious },
    { 16, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_mf },
    { 17, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_ac },
    { 18, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_mc },
    { 19, TI_IF, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_xm },
    { 0x80, TI_IF | 3, FLAT_KERNEL_CS, 0, (uint64_t)xen_entry_int80 },
    { 0, 0, 0, 0, 0 } /* end of list */
};
/* clang-format on */

static void register_callback(uint16_t type, const void *entry, uint16_t flags)
{
    struct callback_register cb = { .type = type,
                                    .flags = flags,
                                    .address = (uint64_t)entry };
    long rc = HYPERVISOR_callback_op(CALLBACKOP_register, XEN_ARG(&cb));

    if ( rc )
        xen_panic("callback_op(register, type %u): %ld", type, rc);
}

void xen_traps_init(void)
{
    long rc = HYPERVISOR_set_trap_table(XEN_ARG(trap_table));

    if ( rc )
        xen_panic("set_trap_table: %ld", rc);
    register_callback(CALLBACKTYPE_event, xen_entry_event, 0);
    register_callback(CALLBACKTYPE_failsafe, xen_entry_failsafe,
                      CALLBACKF_mask_events);
    register_callback(CALLBACKTYPE_syscall, xen_entry_syscall,
                      CALLBACKF_mask_events);
    rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS, XEN_ARG(__stack_top));
    if ( rc )
        xen_panic("stack_switch: %ld", rc);
}

/* A secondary vCPU gets what xen_traps_init() gave vCPU 0. */
void xen_traps_fill_context(struct vcpu_guest_context *c)
{
    /* trap_ctxt is indexed by vector (Xen copies the array as it is). */
    for ( const struct trap_info *t = trap_table; t->address; t++ )
        c->trap_ctxt[t->vector] = *t;
    c->event_callback_eip = (uint64_t)xen_entry_event;
    c->failsafe_callback_eip = (uint64_t)xen_entry_failsafe;
    c->syscall_callback_eip = (uint64_t)xen_entry_syscall;
    c->flags |= VGCF_failsafe_disables_events | VGCF_syscall_disables_events;
}

void xen_trap_set_hook(unsigned int vector, xen_trap_hook_t hook)
{
    if ( vector < ARRAY_SIZE(trap_hooks) )
        trap_hooks[vector] = hook;
}

void xen_dump_frame(const struct trap_frame *f)
{
    xen_printk("vector %#lx error %#lx rip %#lx cs %#lx rflags %#lx\n",
               f->vector, f->error_code, f->rip, f->cs, f->rflags);
    xen_printk("rsp %#lx ss %#lx rax %#lx rbx %#lx rcx %#lx rdx %#lx\n", f->rsp,
               f->ss, f->rax, f->rbx, f->rcx, f->rdx);
    xen_printk("rsi %#lx rdi %#lx rbp %#lx r8 %#lx r9 %#lx r10 %#lx\n", f->rsi,
               f->rdi, f->rbp, f->r8, f->r9, f->r10);
    xen_printk("r11 %#lx r12 %#lx r13 %#lx r14 %#lx r15 %#lx\n", f->r11, f->r12,
               f->r13, f->r14, f->r15);
}

static const struct extable_entry *extable_find(uint64_t rip)
{
    for ( const struct extable_entry *e = __start_ex_table; e < __stop_ex_table;
          e++ )
        if ( e->from == rip )
            return e;
    return NULL;
}

void xen_trap_handler(struct trap_frame *f)
{
    const struct extable_entry *fix;
    uint64_t cr2 = 0;

    if ( f->vector == XEN_EVENT_VECTOR )
    {
        xen_event_upcall(f);
        return;
    }
    if ( f->vector == X86_EXC_PF )
        cr2 = xen_vcpu_info()->arch.cr2;

    fix = extable_find(f->rip);
    if ( fix )
    {
        xen_last_trap.vector = f->vector;
        xen_last_trap.error_code = f->error_code;
        xen_last_trap.rip = f->rip;
        xen_last_trap.cr2 = cr2;
        xen_last_trap.cs = f->cs;
        xen_last_trap.rflags = f->rflags;
        xen_last_trap.count++;
        f->rip = fix->to;
        return;
    }
    if ( f->vector < ARRAY_SIZE(trap_hooks) && trap_hooks[f->vector] &&
         trap_hooks[f->vector](f) )
        return;
    if ( f->vector == X86_EXC_PF )
        xen_printk("page fault at %#lx\n", cr2);
    xen_panic_frame(f, "unhandled exception %lu at %#lx", f->vector, f->rip);
}

void xen_failsafe_handler(const uint64_t *w)
{
    xen_printk("failsafe: ds %#lx es %#lx fs %#lx gs %#lx\n", w[2], w[3], w[4],
               w[5]);
    xen_panic("failsafe callback at rip %#lx cs %#lx", w[6], w[7]);
}

void xen_syscall_handler(const uint64_t *w)
{
    xen_panic("syscall from user mode at rip %#lx (no user mode)", w[2]);
}
