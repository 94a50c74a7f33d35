/*
 * Symbol lookup for backtraces and %pS, over the link-time symbol table.
 *
 * Locking: none; the table is read-only.
 */
#include <hv/lib.h>
#include <hv/symbols.h>

const char *symbols_lookup(unsigned long addr, unsigned long *start,
                           unsigned long *size)
{
    size_t lo = 0, hi = 0, mid;

    while ( symbols_table[hi].addr != ~0UL )
        hi++;
    if ( hi == 0 || addr < symbols_table[0].addr )
        return NULL;

    /* Find the last entry with entry.addr <= addr. */
    while ( hi - lo > 1 )
    {
        mid = lo + (hi - lo) / 2;
        if ( symbols_table[mid].addr <= addr )
            lo = mid;
        else
            hi = mid;
    }
    /* The end of the text segment bounds the last function. */
    if ( symbols_table[lo + 1].addr == ~0UL )
        return NULL;
    if ( start )
        *start = symbols_table[lo].addr;
    if ( size )
        *size = symbols_table[lo + 1].addr - symbols_table[lo].addr;
    return symbols_table[lo].name;
}
