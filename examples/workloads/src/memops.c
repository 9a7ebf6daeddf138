/*
 * memops.c - memory copying and filling, both ways a program does it: the string instructions
 * (REP MOVSB/MOVSD, REP STOSB/STOSD, SDM Vol. 2B) and plain byte/word loops. Offsets vary per
 * round so copies are also unaligned. The checksum samples the buffers after each step.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define SIZE 4096
#define ROUNDS 4
#else
#define SIZE 65536
#define ROUNDS 45
#endif

static uint8_t src[SIZE + 64], dst[SIZE + 64];

static uint32_t sample(uint32_t h, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 61)
        h = wl_mix(h, p[i]);
    return h;
}

uint32_t workload(void)
{
    uint32_t seed = 0x0BADF00Du;
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < SIZE + 64; i++)
        src[i] = (uint8_t)wl_xorshift32(&seed);
    for (uint32_t r = 0; r < ROUNDS; r++) {
        uint32_t so = r & 7, doff = (r * 3) & 7;
        /* string instructions */
        wl_rep_stosd(dst, 0x01010101u * r, SIZE / 4);
        h = sample(h, dst, SIZE);
        wl_rep_movsb(dst + doff, src + so, SIZE - 8);
        h = sample(h, dst, SIZE);
        wl_rep_movsd(dst, src + so, SIZE / 4 - 2);
        h = sample(h, dst, SIZE);
        wl_rep_stosb(dst + doff, (uint8_t)(r * 7), SIZE / 2);
        h = sample(h, dst, SIZE);
        /* plain loops */
        wl_memcpy(dst + doff, src + so, SIZE - 8);
        h = sample(h, dst, SIZE);
        wl_memset(dst + so, (int)(r ^ 0x5A), SIZE / 2);
        h = sample(h, dst, SIZE);
        wl_copy32((uint32_t *)dst, (const uint32_t *)src, SIZE / 4);
        h = sample(h, dst, SIZE);
        wl_fill32((uint32_t *)(dst + 8), 0xA5A5A5A5u ^ r, SIZE / 8);
        h = sample(h, dst, SIZE);
        /* feed the result back so every round copies different data */
        src[(r * 4099) % SIZE] ^= dst[(r * 577) % SIZE];
    }
    return h;
}
