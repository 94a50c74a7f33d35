/*
 * The hypervisor's function symbol table, generated at link time by
 * scripts/gen-symbols.sh: sorted by address, ended by an entry at ~0UL.
 */
#ifndef HV_SYMBOLS_H
#define HV_SYMBOLS_H

struct symbol_entry
{
    unsigned long addr;
    const char *name;
};

extern const struct symbol_entry symbols_table[];

#endif /* HV_SYMBOLS_H */
