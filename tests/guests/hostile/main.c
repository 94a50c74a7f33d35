/*
 * hostile: bad pointers, out-of-range numbers and forbidden requests in
 * every PV hypercall of issue #3 (and the memory ones of #4) get the
 * documented error - and the hypervisor survives to see the verdict.
 *
 * Hypercalls outside issue #3 (mmu_update, mmuext_op, memory_op,
 * grant_table_op) may also answer -ENOSYS while not implemented.
 */
#include <string.h>

#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <rt/events.h>
#include <rt/rt.h>
#include <rt/traps.h>

#include "../lib/test.h"

const char test_title[] = "hostile: bad arguments to every hypercall";

#define LOW    0x1000UL              /* unmapped */
#define HYP    HYPERVISOR_VIRT_START /* the hypervisor's hole */
#define NONCAN 0x0000800000000000UL  /* non-canonical */

#define EXPECT(call, want) test_expect_rc(call, want, #call)
/* For hypercalls a later issue implements: the error, or -ENOSYS. */
#define EXPECT_OR_NOSYS(call, want)                                  \
    do                                                               \
    {                                                                \
        long rc_ = (call);                                           \
        test_check(rc_ == (want) || rc_ == -XEN_ENOSYS,              \
                   "%s: got %ld, want %ld (or -ENOSYS)", #call, rc_, \
                   (long)(want));                                    \
    } while ( 0 )

static uint8_t scratch[PAGE_SIZE] __attribute__((aligned(4096)));

/* A raw syscall, for numbers beyond the hypercall page. */
static long raw_hypercall(unsigned long nr)
{
    long rax = (long)nr;

    asm volatile("syscall" : "+a"(rax) : : "rcx", "r11", "memory");
    return rax;
}

static void numbers(void)
{
    static const unsigned long nrs[] = {
        11,  43, 47, 56, 63, 64, 127, 128, 255, 0xffffffffUL, (1UL << 32) | 17,
        ~0UL
    };

    for ( unsigned int i = 0; i < ARRAY_SIZE(nrs); i++ )
        test_check(raw_hypercall(nrs[i]) == -XEN_ENOSYS, "hypercall %#lx: %ld",
                   nrs[i], raw_hypercall(nrs[i]));
}

static void trap_table(void)
{
    struct trap_info t[3] = { 0 };

    EXPECT(HYPERVISOR_set_trap_table(LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_set_trap_table(HYP), -XEN_EFAULT);
    EXPECT(HYPERVISOR_set_trap_table(NONCAN), -XEN_EFAULT);
    t[0] = (struct trap_info){ 0x90, 0, FLAT_KERNEL_CS, 0, NONCAN };
    EXPECT(HYPERVISOR_set_trap_table(XEN_ARG(t)), -XEN_EINVAL);
    /* A handler inside the hypervisor: Xen takes it (0), Tessera refuses. */
    t[0] = (struct trap_info){ 0x91, 0, FLAT_KERNEL_CS, 0, HYP + 0x1000 };
    {
        long rc = HYPERVISOR_set_trap_table(XEN_ARG(t));

        test_check(rc == 0 || rc == -XEN_EINVAL,
                   "trap handler in the hypervisor: %ld", rc);
    }
    /* A list that starts below the mapping. */
    EXPECT(HYPERVISOR_set_trap_table((uintptr_t)__image_start - 16),
           -XEN_EFAULT);
    /* NULL clears the table; put the runtime's back. */
    EXPECT(HYPERVISOR_set_trap_table(0), 0);
    xen_traps_init();
}

static void callbacks(void)
{
    struct callback_register cb = { .type = CALLBACKTYPE_event,
                                    .address = NONCAN };
    struct callback_unregister un = { .type = CALLBACKTYPE_event };

    EXPECT(HYPERVISOR_callback_op(CALLBACKOP_register, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_callback_op(CALLBACKOP_register, HYP), -XEN_EFAULT);
    EXPECT(HYPERVISOR_callback_op(CALLBACKOP_register, XEN_ARG(&cb)),
           -XEN_EINVAL);
    cb.type = 99;
    cb.address = 0x400000;
    EXPECT(HYPERVISOR_callback_op(CALLBACKOP_register, XEN_ARG(&cb)),
           -XEN_ENOSYS);
    EXPECT(HYPERVISOR_callback_op(7, XEN_ARG(&cb)), -XEN_ENOSYS);
    EXPECT(HYPERVISOR_callback_op(CALLBACKOP_unregister, XEN_ARG(&un)),
           -XEN_EINVAL);
    un.type = CALLBACKTYPE_syscall;
    EXPECT(HYPERVISOR_callback_op(CALLBACKOP_unregister, XEN_ARG(&un)),
           -XEN_EINVAL);
    EXPECT(HYPERVISOR_callback_op(CALLBACKOP_unregister, LOW), -XEN_EFAULT);
}

static void sched_ops(void)
{
    struct sched_poll poll = { .ports = LOW, .nr_ports = 1, .timeout = 1 };

    EXPECT(HYPERVISOR_sched_op(99, 0), -XEN_ENOSYS);
    EXPECT(HYPERVISOR_sched_op(SCHEDOP_shutdown, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_sched_op(SCHEDOP_shutdown, HYP), -XEN_EFAULT);
    EXPECT(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_sched_op(SCHEDOP_poll, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_sched_op(SCHEDOP_poll, XEN_ARG(&poll)), -XEN_EFAULT);
    poll.nr_ports = 100000;
    poll.ports = XEN_ARG(scratch);
    EXPECT(HYPERVISOR_sched_op(SCHEDOP_poll, XEN_ARG(&poll)), -XEN_EINVAL);
}

static void vcpu_ops(void)
{
    struct vcpu_register_vcpu_info vi = { .mfn = ~0UL, .offset = 0 };
    struct vcpu_runstate_info rs;
    static struct vcpu_guest_context ctxt;
    long rc;

    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_is_up, 4096, 0), -XEN_ENOENT);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_is_up, ~0UL, 0), -XEN_ENOENT);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, 0), 1);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_up, 4096, 0), -XEN_ENOENT);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_initialise, 0, XEN_ARG(&ctxt)),
           -XEN_EEXIST);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, HYP), -XEN_EFAULT);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, XEN_ARG(&rs)), 0);
    test_check(rs.state == RUNSTATE_running, "runstate %d", rs.state);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, LOW), -XEN_EFAULT);
    /* Not a frame of ours: Xen says -ENXIO, -EINVAL is as good. */
    rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, XEN_ARG(&vi));
    test_check(rc == -XEN_ENXIO || rc == -XEN_EINVAL,
               "register_vcpu_info(mfn ~0): %ld", rc);
    vi.mfn = xen_virt_to_mfn(scratch);
    vi.offset = PAGE_SIZE - 16; /* crosses the end of the frame */
    rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, XEN_ARG(&vi));
    test_check(rc == -XEN_ENXIO || rc == -XEN_EINVAL,
               "register_vcpu_info(offset 4080): %ld", rc);
    EXPECT(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, LOW),
           -XEN_EFAULT);
    EXPECT(HYPERVISOR_vcpu_op(1000, 0, 0), -XEN_ENOSYS);
}

static long evtchn(int cmd, void *arg)
{
    return HYPERVISOR_event_channel_op(cmd, XEN_ARG(arg));
}

static void event_channels(void)
{
    struct evtchn_bind_virq bv = { .virq = NR_VIRQS, .vcpu = 0 };
    struct evtchn_bind_ipi bi = { .vcpu = 4096 };
    struct evtchn_send send = { .port = 0 };
    struct evtchn_close cl = { .port = 0 };
    struct evtchn_unmask um = { .port = ~0U };
    struct evtchn_status st = { .dom = DOMID_SELF, .port = ~0U };
    struct evtchn_bind_vcpu bvc = { .port = 0, .vcpu = 0 };
    struct evtchn_bind_interdomain bid = { .remote_dom = DOMID_SELF,
                                           .remote_port = 0 };
    long port;

    EXPECT(HYPERVISOR_event_channel_op(99, 0), -XEN_ENOSYS);
    EXPECT(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_event_channel_op(EVTCHNOP_send, HYP), -XEN_EFAULT);
    EXPECT(evtchn(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
    bv.virq = ~0U;
    EXPECT(evtchn(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
    bv = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 4096 };
    EXPECT(evtchn(EVTCHNOP_bind_virq, &bv), -XEN_ENOENT);
    bv = (struct evtchn_bind_virq){ .virq = VIRQ_DOM_EXC, .vcpu = 1 };
    EXPECT(evtchn(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
    EXPECT(evtchn(EVTCHNOP_bind_ipi, &bi), -XEN_ENOENT);

    port = xen_evtchn_bind_virq(VIRQ_TIMER, NULL, NULL);
    test_check(port > 0, "bind_virq(VIRQ_TIMER): %ld", port);
    bv = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 0 };
    EXPECT(evtchn(EVTCHNOP_bind_virq, &bv), -XEN_EEXIST);
    st.port = port;
    EXPECT(evtchn(EVTCHNOP_status, &st), 0);
    test_check(st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER,
               "status of the VIRQ_TIMER port: %u/%u", st.status, st.u.virq);
    /* Sending on a VIRQ port is refused. */
    send.port = port;
    EXPECT(evtchn(EVTCHNOP_send, &send), -XEN_EINVAL);

    const uint32_t bad_ports[] = { 0, 4095, 4096, 100000, ~0U };
    for ( unsigned int i = 0; i < ARRAY_SIZE(bad_ports); i++ )
    {
        send.port = cl.port = bad_ports[i];
        test_expect_rc(evtchn(EVTCHNOP_send, &send), -XEN_EINVAL, "send");
        test_expect_rc(evtchn(EVTCHNOP_close, &cl), -XEN_EINVAL, "close");
    }
    EXPECT(evtchn(EVTCHNOP_unmask, &um), -XEN_EINVAL);
    st.port = ~0U;
    EXPECT(evtchn(EVTCHNOP_status, &st), -XEN_EINVAL);
    st = (struct evtchn_status){ .dom = 0x7ff5, .port = 1 };
    EXPECT(evtchn(EVTCHNOP_status, &st), -XEN_ESRCH);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = 0 };
    EXPECT(evtchn(EVTCHNOP_status, &st), 0);
    test_check(st.status == EVTCHNSTAT_closed, "port 0 status %u", st.status);
    EXPECT(evtchn(EVTCHNOP_bind_vcpu, &bvc), -XEN_EINVAL);
    EXPECT(evtchn(EVTCHNOP_bind_interdomain, &bid), -XEN_EINVAL);
    cl.port = port;
    EXPECT(evtchn(EVTCHNOP_close, &cl), 0);
    EXPECT(evtchn(EVTCHNOP_close, &cl), -XEN_EINVAL);
}

static void descriptors(void)
{
    uint64_t maddr = xen_virt_to_mfn(scratch) << PAGE_SHIFT;
    unsigned long frames[1] = { xen_virt_to_mfn(scratch) };
    /* 64-bit call gate (type 0xC) to the hypervisor's 0xe008. */
    uint64_t gate = 0x0000ec0000000000ULL | (0xe008ULL << 16);
    uint64_t tss = 0x0000890000000067ULL;   /* available 64-bit TSS */
    uint64_t code0 = 0x00af9b000000ffffULL; /* DPL 0 64-bit code */

    EXPECT(HYPERVISOR_update_descriptor(maddr + 4, 0), -XEN_EINVAL);
    EXPECT(HYPERVISOR_update_descriptor(maddr, gate), -XEN_EINVAL);
    EXPECT(HYPERVISOR_update_descriptor(maddr + 8, tss), -XEN_EINVAL);
    /* A frame that is not ours (machine frame 0). */
    EXPECT(HYPERVISOR_update_descriptor(0, 0), -XEN_EINVAL);
    /* Accepted with the DPL raised to 3. */
    EXPECT(HYPERVISOR_update_descriptor(maddr + 16, code0), 0);
    test_check(((((uint64_t *)scratch)[2] >> 45) & 3) == 3,
               "descriptor stored with DPL %lu",
               (((uint64_t *)scratch)[2] >> 45) & 3);

    EXPECT(HYPERVISOR_set_gdt(LOW, 1), -XEN_EFAULT);
    EXPECT(HYPERVISOR_set_gdt(XEN_ARG(frames), FIRST_RESERVED_GDT_ENTRY + 1),
           -XEN_EINVAL);
    /* The frame is mapped writable: it cannot become a descriptor page. */
    EXPECT(HYPERVISOR_set_gdt(XEN_ARG(frames), 16), -XEN_EINVAL);
}

static void misc(void)
{
    struct physdev_set_iopl iopl = { .iopl = 4 };
    char buf[16];
    long rc;

    EXPECT(HYPERVISOR_set_debugreg(0, HYP), -XEN_EPERM);
    /* No such debug register: Xen 4.17 says -ENODEV. */
    EXPECT(HYPERVISOR_set_debugreg(9, 0), -XEN_ENODEV);
    EXPECT(HYPERVISOR_get_debugreg(9), -XEN_ENODEV);
    EXPECT(HYPERVISOR_get_debugreg(~0UL), -XEN_ENODEV);

    EXPECT(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, XEN_ARG(&iopl)),
           -XEN_EINVAL);
    EXPECT(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_physdev_op(9999, 0), -XEN_ENOSYS);
    iopl.iopl = 0;
    EXPECT(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, XEN_ARG(&iopl)), 0);

    EXPECT(HYPERVISOR_console_io(CONSOLEIO_write, 16, LOW), -XEN_EFAULT);
    EXPECT(HYPERVISOR_console_io(CONSOLEIO_write, 16, HYP), -XEN_EFAULT);
    /* Xen reads the count as an int: 2^40 + 16 is 16 there. */
    EXPECT(HYPERVISOR_console_io(CONSOLEIO_write, (1UL << 40) + 16, LOW),
           -XEN_EFAULT);
    EXPECT(HYPERVISOR_console_io(99, 0, 0), -XEN_ENOSYS);
    rc = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), XEN_ARG(buf));
    test_check(rc >= 0 || rc == -XEN_EPERM, "console read: %ld", rc);

    EXPECT(HYPERVISOR_vm_assist(2, VMASST_TYPE_writable_pagetables),
           -XEN_ENOSYS);
    EXPECT(HYPERVISOR_vm_assist(VMASST_CMD_enable, 64), -XEN_EINVAL);
    EXPECT(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL);

    EXPECT(HYPERVISOR_multicall(LOW, 1), -XEN_EFAULT);
}

static void memory(void)
{
    uint64_t l4_mfn = xen_virt_to_mfn((void *)xen_start_info->pt_base);
    struct mmu_update mu = { .ptr = (l4_mfn << PAGE_SHIFT) + 256 * 8,
                             .val = (l4_mfn << PAGE_SHIFT) | 0x63 };
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE,
                            .arg1.mfn = xen_virt_to_mfn(scratch) };
    domid_t self = DOMID_SELF;
    long rc;

    EXPECT_OR_NOSYS(HYPERVISOR_mmu_update(LOW, 1, 0, DOMID_SELF), -XEN_EFAULT);
    /* Writing an entry into the hypervisor's L4 slots. */
    EXPECT_OR_NOSYS(HYPERVISOR_mmu_update(XEN_ARG(&mu), 1, 0, DOMID_SELF),
                    -XEN_EINVAL);
    /* Mapping the L4 itself writable: refused (Xen: -EBUSY or -EINVAL). */
    rc = HYPERVISOR_update_va_mapping(
        xen_start_info->pt_base, (l4_mfn << PAGE_SHIFT) | 0x63, UVMF_INVLPG);
    test_check(rc == -XEN_EBUSY || rc == -XEN_EINVAL || rc == -XEN_ENOSYS,
               "writable mapping of the L4: %ld", rc);
    EXPECT_OR_NOSYS(HYPERVISOR_update_va_mapping(HYP, 0, UVMF_INVLPG),
                    -XEN_EINVAL);
    EXPECT_OR_NOSYS(HYPERVISOR_mmuext_op(LOW, 1, 0, DOMID_SELF), -XEN_EFAULT);
    /* A writable data page cannot become a page table. */
    EXPECT_OR_NOSYS(HYPERVISOR_mmuext_op(XEN_ARG(&op), 1, 0, DOMID_SELF),
                    -XEN_EINVAL);
    op.cmd = 99;
    EXPECT_OR_NOSYS(HYPERVISOR_mmuext_op(XEN_ARG(&op), 1, 0, DOMID_SELF),
                    -XEN_ENOSYS);

    EXPECT_OR_NOSYS(HYPERVISOR_memory_op(99, 0), -XEN_ENOSYS);
    EXPECT_OR_NOSYS(HYPERVISOR_memory_op(XENMEM_maximum_reservation, LOW),
                    -XEN_EFAULT);
    rc = HYPERVISOR_memory_op(XENMEM_maximum_reservation, XEN_ARG(&self));
    test_check(rc > 0 || rc == -XEN_ENOSYS, "maximum_reservation: %ld", rc);
    EXPECT_OR_NOSYS(HYPERVISOR_grant_table_op(99, 0, 0), -XEN_ENOSYS);
    EXPECT_OR_NOSYS(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, LOW, 1),
                    -XEN_EFAULT);
}

void test_main(void)
{
    xen_shared_info();
    numbers();
    trap_table();
    callbacks();
    sched_ops();
    vcpu_ops();
    event_channels();
    descriptors();
    misc();
    memory();
    /* Still alive: the runtime's traps and events must still work. */
    {
        uint64_t n = xen_last_trap.count;

        asm volatile("1: ud2; 2:" XEN_EXTABLE(1b, 2b));
        test_check(xen_last_trap.count == n + 1, "traps broken afterwards");
    }
    test_pass_if_clean();
}
