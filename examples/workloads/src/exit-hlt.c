/*
 * exit-hlt.c - a loop of HLT woken by interrupts: each STI;HLT is a HLT exit (SDM Vol. 3C
 * §26.1.3); the VMM injects vector 0x20 (HAXM's interrupt ioctl) and resumes; the guest's
 * handler (crt-*.S) counts. The checksum folds in the count after every wake-up, so a lost or
 * extra interrupt changes it. At the end an OUT to port 0x513 tells the VMM the loop is over, so
 * the crt's final HLT (interrupts off) ends the run instead of being woken.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define N 300
#else
#define N 200000
#endif

uint32_t workload(void)
{
    uint32_t h = 2166136261u;
    wl_irq_count = 0;
    wl_irq_setup();
    for (uint32_t i = 0; i < N; i++) {
        wl_hlt_wait();
        h = wl_mix(h, wl_irq_count);
    }
    wl_outb(WL_PORT_DONE, 1);
    return wl_mix(h, wl_irq_count);
}
