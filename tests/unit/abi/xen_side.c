/*
 * ABI comparison, Xen's side: Debian libxen-dev's public headers as a table
 *
 * Locking: none.  Compiled in a translation unit of its own so Xen's
 * definitions and ours never meet.
 */
#define __XEN_TOOLS__ 1
#include <stdint.h>
#include <stddef.h>
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/callback.h>
#include <xen/physdev.h>
#include <xen/event_channel.h>
#include <xen/elfnote.h>
#include <xen/memory.h>
#include <xen/grant_table.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/errno.h>
#include <xen/io/ring.h>

#include "abi_ring.h"

#include "abi_table.h"

const struct abi_row abi_xen_rows[] = {
#include "abi_items.h"
#include <public/hypercall-list.h>
};
const size_t abi_xen_nr_rows = sizeof(abi_xen_rows) / sizeof(abi_xen_rows[0]);
