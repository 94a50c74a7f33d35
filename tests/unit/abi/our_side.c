/*
 * ABI comparison, our side: include/public as a table
 *
 * Locking: none.  Compiled in a translation unit of its own.
 */
#include <public/xen.h>
#include <public/version.h>
#include <public/features.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/callback.h>
#include <public/physdev.h>
#include <public/event_channel.h>
#include <public/elfnote.h>
#include <public/memory.h>
#include <public/grant_table.h>
#include <public/errno.h>
#include <public/io/ring.h>

#include "abi_ring.h"

#include "abi_table.h"

const struct abi_row abi_our_rows[] = {
#include "abi_items.h"
#include <public/hypercall-list.h>
};
const size_t abi_our_nr_rows = sizeof(abi_our_rows) / sizeof(abi_our_rows[0]);
