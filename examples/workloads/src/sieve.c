/*
 * sieve.c - the sieve of Eratosthenes over a byte array, repeated: a tight store loop with a
 * data-dependent stride, then a counting scan. Memory-bound and branchy.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define LIMIT 20000
#define ROUNDS 2
#else
#define LIMIT 400000
#define ROUNDS 5
#endif

static uint8_t composite[LIMIT + 1];

uint32_t workload(void)
{
    uint32_t h = 2166136261u;
    for (int r = 0; r < ROUNDS; r++) {
        /* Each round sieves a slightly different range so no round repeats another's work exactly. */
        uint32_t limit = LIMIT - (uint32_t)r * 1000;
        for (uint32_t i = 0; i <= limit; i++)
            composite[i] = 0;
        composite[0] = composite[1] = 1;
        for (uint32_t p = 2; p * p <= limit; p++) {
            if (composite[p])
                continue;
            for (uint32_t m = p * p; m <= limit; m += p)
                composite[m] = 1;
        }
        uint32_t count = 0, last = 0;
        for (uint32_t i = 2; i <= limit; i++) {
            if (!composite[i]) {
                count++;
                last = i;
            }
        }
        h = wl_mix(h, count);
        h = wl_mix(h, last);
    }
    return h;
}
