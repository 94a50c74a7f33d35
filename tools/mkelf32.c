/*
 * mkelf32: make an ELF32 copy of the hypervisor's ELF64 image for loaders
 * that accept only 32-bit multiboot kernels (QEMU's -kernel among them).
 *
 * Every PT_LOAD becomes a 32-bit program header whose virtual and physical
 * addresses are the segment's physical (load) address; the entry point is
 * the ELF64's e_entry translated through the segment that holds it.  The
 * segment bytes keep their file offsets, so the multiboot headers stay where
 * they were.  Input is checked: anything above 4 GiB is an error.
 */
#include <elf.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PHDRS 16

static void *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    void *buf;
    long n;

    if ( !f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
         fseek(f, 0, SEEK_SET) )
    {
        fprintf(stderr, "mkelf32: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    buf = malloc(n ? n : 1);
    if ( !buf || fread(buf, 1, n, f) != (size_t)n )
    {
        fprintf(stderr, "mkelf32: %s: read failed\n", path);
        exit(1);
    }
    fclose(f);
    *len = n;
    return buf;
}

static void die(const char *path, const char *why)
{
    fprintf(stderr, "mkelf32: %s: %s\n", path, why);
    exit(1);
}

int main(int argc, char **argv)
{
    size_t len, hdr_end;
    unsigned char *img;
    Elf64_Ehdr *eh;
    Elf64_Phdr *ph;
    Elf32_Ehdr e32;
    Elf32_Phdr p32[MAX_PHDRS];
    unsigned int i, n = 0;
    uint64_t entry = 0;
    FILE *out;

    if ( argc != 3 )
    {
        fprintf(stderr, "usage: mkelf32 IN.elf64 OUT.elf32\n");
        return 2;
    }
    img = read_file(argv[1], &len);
    eh = (Elf64_Ehdr *)img;
    if ( len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
         eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 )
        die(argv[1], "not an x86-64 ELF64 image");
    if ( eh->e_phentsize != sizeof(*ph) || eh->e_phnum > MAX_PHDRS ||
         eh->e_phoff > len || len - eh->e_phoff < eh->e_phnum * sizeof(*ph) )
        die(argv[1], "bad program header table");
    ph = (Elf64_Phdr *)(img + eh->e_phoff);
    for ( i = 0; i < eh->e_phnum; i++ )
    {
        if ( ph[i].p_type != PT_LOAD )
            continue;
        if ( (ph[i].p_paddr + ph[i].p_memsz) >> 32 ||
             ph[i].p_offset + ph[i].p_filesz > len )
            die(argv[1], "segment above 4 GiB or outside the file");
        memset(&p32[n], 0, sizeof(p32[n]));
        p32[n].p_type = PT_LOAD;
        p32[n].p_offset = ph[i].p_offset;
        p32[n].p_vaddr = p32[n].p_paddr = ph[i].p_paddr;
        p32[n].p_filesz = ph[i].p_filesz;
        p32[n].p_memsz = ph[i].p_memsz;
        p32[n].p_flags = ph[i].p_flags;
        p32[n].p_align = ph[i].p_align;
        n++;
    }
    if ( n == 0 )
        die(argv[1], "no loadable segments");

    /* The ELF64 entry is virtual (GRUB wants it in a segment): translate. */
    for ( i = 0; i < eh->e_phnum; i++ )
        if ( ph[i].p_type == PT_LOAD && eh->e_entry >= ph[i].p_vaddr &&
             eh->e_entry - ph[i].p_vaddr < ph[i].p_memsz )
        {
            entry = eh->e_entry - ph[i].p_vaddr + ph[i].p_paddr;
            break;
        }
    if ( i == eh->e_phnum || entry >> 32 )
        die(argv[1],
            "entry point outside the loadable segments or above 4 GiB");

    memset(&e32, 0, sizeof(e32));
    memcpy(e32.e_ident, eh->e_ident, EI_NIDENT);
    e32.e_ident[EI_CLASS] = ELFCLASS32;
    e32.e_type = ET_EXEC;
    e32.e_machine = EM_386;
    e32.e_version = EV_CURRENT;
    e32.e_entry = (Elf32_Addr)entry;
    e32.e_phoff = sizeof(e32);
    e32.e_ehsize = sizeof(e32);
    e32.e_phentsize = sizeof(Elf32_Phdr);
    e32.e_phnum = n;

    /* The new headers must fit below the first segment's bytes. */
    hdr_end = sizeof(e32) + n * sizeof(Elf32_Phdr);
    for ( i = 0; i < n; i++ )
        if ( p32[i].p_filesz && p32[i].p_offset < hdr_end )
            die(argv[1], "no room for ELF32 headers before the first segment");

    out = fopen(argv[2], "wb");
    if ( !out )
        die(argv[2], strerror(errno));
    memset(img, 0, hdr_end > len ? len : hdr_end);
    memcpy(img, &e32, sizeof(e32));
    memcpy(img + sizeof(e32), p32, n * sizeof(Elf32_Phdr));
    /* Drop section headers: they describe the ELF64 layout. */
    if ( fwrite(img, 1, len, out) != len || fclose(out) )
        die(argv[2], "write failed");
    free(img);
    return 0;
}
