/*
 * exit-mmio.c - an MMIO loop: 32-bit stores and loads to a window at guest-physical 0xD0000000
 * with no RAM behind it. Each access is an EPT violation (SDM Vol. 3C §29.3.3) the VMM completes
 * as a FAST_MMIO exit. The bench MMIO device keeps an accumulator the stores change and the
 * loads read back, so a lost, repeated or reordered access changes the checksum.
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
    wl_mmio_write32(WL_MMIO_SEED, 0x13579BDFu);
    for (uint32_t i = 0; i < N; i++) {
        wl_mmio_write32(WL_MMIO_MIX, i * 2654435761u);
        h = wl_mix(h, wl_mmio_read32(WL_MMIO_READ));
    }
    return h;
}
