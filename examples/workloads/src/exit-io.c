/*
 * exit-io.c - a port-I/O loop: every OUT and IN is a VM exit (I/O instruction, SDM Vol. 3C
 * §26.1.3) that the VMM completes. The bench port device keeps an accumulator the OUTs change
 * and the INs read back, so a lost, repeated or reordered exit changes the checksum.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define N 300
#else
#define N 100000
#endif

uint32_t workload(void)
{
    uint32_t h = 2166136261u;
    wl_outb(WL_PORT_SEED, 0x5A);
    for (uint32_t i = 0; i < N; i++) {
        wl_outb(WL_PORT_MIX, (uint8_t)(i ^ (i >> 8)));
        h = wl_mix(h, wl_inb(WL_PORT_READ));
    }
    return h;
}
