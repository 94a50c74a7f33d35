/*
 * Hypercall list: Xen's numbers, names and argument counts, one X-macro
 *
 * Locking: none.  Include this file with HYPERCALL(nr, name, nargs) defined;
 * every entry expands once.  The hypervisor's dispatch table, the
 * __HYPERVISOR_* numbers in xen.h and the guest stubs in services/lib are
 * all expanded from this list.  Numbers are Xen's and are never reused; a
 * number that is not implemented still appears here and answers -ENOSYS.
 * Number 11 is unused in Xen; 48..55 (arch_0..arch_7) are architecture
 * specific and listed in xen.h only.  nargs is the number of register
 * arguments (rdi, rsi, rdx, r10, r8 in that order); iret takes its
 * arguments from the guest stack.  One entry per line: assembly expands it.
 */
/* clang-format off */
HYPERCALL(0, set_trap_table, 1)
HYPERCALL(1, mmu_update, 4)
HYPERCALL(2, set_gdt, 2)
HYPERCALL(3, stack_switch, 2)
HYPERCALL(4, set_callbacks, 3)
HYPERCALL(5, fpu_taskswitch, 1)
HYPERCALL(6, sched_op_compat, 2)
HYPERCALL(7, platform_op, 1)
HYPERCALL(8, set_debugreg, 2)
HYPERCALL(9, get_debugreg, 1)
HYPERCALL(10, update_descriptor, 2)
HYPERCALL(12, memory_op, 2)
HYPERCALL(13, multicall, 2)
HYPERCALL(14, update_va_mapping, 3)
HYPERCALL(15, set_timer_op, 1)
HYPERCALL(16, event_channel_op_compat, 1)
HYPERCALL(17, xen_version, 2)
HYPERCALL(18, console_io, 3)
HYPERCALL(19, physdev_op_compat, 1)
HYPERCALL(20, grant_table_op, 3)
HYPERCALL(21, vm_assist, 2)
HYPERCALL(22, update_va_mapping_otherdomain, 4)
HYPERCALL(23, iret, 0)
HYPERCALL(24, vcpu_op, 3)
HYPERCALL(25, set_segment_base, 2)
HYPERCALL(26, mmuext_op, 4)
HYPERCALL(27, xsm_op, 1)
HYPERCALL(28, nmi_op, 2)
HYPERCALL(29, sched_op, 2)
HYPERCALL(30, callback_op, 2)
HYPERCALL(31, xenoprof_op, 2)
HYPERCALL(32, event_channel_op, 2)
HYPERCALL(33, physdev_op, 2)
HYPERCALL(34, hvm_op, 2)
HYPERCALL(35, sysctl, 1)
HYPERCALL(36, domctl, 1)
HYPERCALL(37, kexec_op, 2)
HYPERCALL(38, tmem_op, 1)
HYPERCALL(39, argo_op, 5)
HYPERCALL(40, xenpmu_op, 2)
HYPERCALL(41, dm_op, 3)
HYPERCALL(42, hypfs_op, 5)
/* clang-format on */
