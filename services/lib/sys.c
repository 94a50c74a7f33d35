/*
 * newlib system-call glue: console I/O, a .bss heap, exit by shutdown
 *
 * Locking: none; single vCPU.  newlib for x86_64-elf calls these plain
 * names.  stdout/stderr go to the hypervisor console, there is no input
 * yet, the heap is the [__heap_start, __heap_end) region the linker script
 * reserves in .bss (the bootstrap mapping is all that is mapped at start
 * of day) and then on-demand memory (rt/mm.h), and _exit() shuts the
 * domain down.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>

#include <public/sched.h>
#include <rt/console.h>
#include <rt/mm.h>
#include <rt/rt.h>
#include <rt/time.h>

#undef errno
extern int errno;

char *__env[1] = { NULL };
char **environ = __env;

int write(int fd, const void *buf, size_t len);
int read(int fd, void *buf, size_t len);
int close(int fd);
int fstat(int fd, struct stat *st);
int isatty(int fd);
off_t lseek(int fd, off_t off, int whence);
void *sbrk(ptrdiff_t incr);
int kill(int pid, int sig);
int getpid(void);
int open(const char *path, int flags, ...);
int gettimeofday(struct timeval *tv, void *tz);
int unlink(const char *path);
void _exit(int status);
void _init(void);
void _fini(void);

int write(int fd, const void *buf, size_t len)
{
    long rc;

    if ( fd != 1 && fd != 2 )
    {
        errno = EBADF;
        return -1;
    }
    rc = xen_console_write(buf, len);
    if ( rc < 0 )
    {
        errno = EIO;
        return -1;
    }
    return (int)rc;
}

int read(int fd, void *buf, size_t len)
{
    (void)fd, (void)buf, (void)len;
    return 0; /* no console input yet: end of file */
}

int open(const char *path, int flags, ...)
{
    (void)path, (void)flags;
    errno = ENOENT;
    return -1;
}

int close(int fd)
{
    (void)fd;
    return 0;
}

int fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

off_t lseek(int fd, off_t off, int whence)
{
    (void)fd, (void)off, (void)whence;
    return 0;
}

/*
 * The static heap first; once a request does not fit there, the heap
 * continues in on-demand memory beyond the bootstrap region (rt/mm.h) and
 * stays there.  newlib's malloc copes with the gap between the two.
 */
void *sbrk(ptrdiff_t incr)
{
    static char *brk = __heap_start;
    static int beyond;
    char *old = brk;

    if ( !beyond )
    {
        if ( incr <= __heap_end - brk && incr >= __heap_start - brk )
        {
            brk += incr;
            return old;
        }
        if ( incr > 0 && (old = xen_mm_sbrk(incr)) != NULL )
        {
            beyond = 1;
            return old;
        }
        errno = ENOMEM;
        return (void *)-1;
    }
    old = xen_mm_sbrk(incr);
    if ( !old )
    {
        errno = ENOMEM;
        return (void *)-1;
    }
    return old;
}

int kill(int pid, int sig)
{
    (void)pid, (void)sig;
    errno = EINVAL;
    return -1;
}

int getpid(void)
{
    return 1;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    uint64_t sec;
    uint32_t nsec;

    (void)tz;
    xen_wallclock_now(&sec, &nsec);
    tv->tv_sec = sec;
    tv->tv_usec = nsec / 1000;
    return 0;
}

int unlink(const char *path)
{
    (void)path;
    errno = ENOENT;
    return -1;
}

void _exit(int status)
{
    xen_shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void _init(void)
{
}

void _fini(void)
{
}
