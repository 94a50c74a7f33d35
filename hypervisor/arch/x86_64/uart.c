/*
 * 16550 UART console (COM1/COM2).
 *
 * Locking: callers serialise through the console lock (common/console.c);
 * this file keeps no state that changes after uart_init().
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <asm/arch.h>
#include <asm/processor.h>

#define UART_THR      0 /* transmit holding (DLAB=0) */
#define UART_DLL      0 /* divisor low (DLAB=1) */
#define UART_IER      1
#define UART_DLM      1 /* divisor high (DLAB=1) */
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LSR_THRE 0x20
#define UART_LCR_DLAB 0x80

static uint16_t uart_port = 0x3f8; /* COM1 until told otherwise */

static void uart_setup(uint16_t port, unsigned long baud)
{
    unsigned int div = 115200 / baud;

    outb(port + UART_IER, 0); /* polled: no interrupts */
    outb(port + UART_LCR, UART_LCR_DLAB);
    outb(port + UART_DLL, div & 0xff);
    outb(port + UART_DLM, div >> 8);
    outb(port + UART_LCR, 0x03); /* 8N1 */
    outb(port + UART_FCR, 0x07); /* FIFOs on and cleared */
    outb(port + UART_MCR, 0x03); /* DTR, RTS */
}

/*
 * spec: "com1" or "com2", optionally ",BAUD" (a divisor of 115200), or
 * "none".  Returns -EINVAL for anything else (the UART stays on COM1).
 */
int uart_init(const char *spec)
{
    unsigned long long baud = 115200;
    const char *p = spec, *end;
    uint16_t port;

    if ( !strcmp(spec, "none") )
    {
        uart_port = 0;
        return 0;
    }
    if ( !strncmp(p, "com1", 4) )
        port = 0x3f8;
    else if ( !strncmp(p, "com2", 4) )
        port = 0x2f8;
    else
        return -EINVAL;
    p += 4;
    if ( *p == ',' )
    {
        if ( !hv_strtoull(p + 1, &end, 10, &baud) || *end || baud == 0 ||
             baud > 115200 || 115200 % baud )
            return -EINVAL;
    }
    else if ( *p )
        return -EINVAL;

    uart_port = port;
    uart_setup(port, baud);
    return 0;
}

void arch_console_write(const char *s, size_t len)
{
    size_t i;

    if ( !uart_port )
        return;
    for ( i = 0; i < len; i++ )
    {
        if ( s[i] == '\n' )
        {
            while ( !(inb(uart_port + UART_LSR) & UART_LSR_THRE) )
                ;
            outb(uart_port + UART_THR, '\r');
        }
        while ( !(inb(uart_port + UART_LSR) & UART_LSR_THRE) )
            ;
        outb(uart_port + UART_THR, s[i]);
    }
}
