/*
 * sha256.c - SHA-256 (FIPS 180-4, written from the standard) over a pseudo-random buffer,
 * repeated. 32-bit rotates, shifts, additions and table loads: a pure ALU workload. A known
 * answer test ("abc", FIPS 180-4 example) is folded into the checksum, so a wrong rotate or
 * carry anywhere shows up as a wrong checksum.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define BUF 1024
#define ROUNDS 4
#else
#define BUF 8192
#define ROUNDS 60
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint8_t buffer[BUF];

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* FIPS 180-4 §6.2.2: one 512-bit block. */
static void compress(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* SHA-256 of msg[0..len), len < 2^29 bytes; padding per FIPS 180-4 §5.1.1. */
static void sha256(const uint8_t *msg, uint32_t len, uint32_t out[8])
{
    static const uint32_t init[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    uint8_t last[128];
    for (int i = 0; i < 8; i++)
        out[i] = init[i];
    uint32_t full = len & ~63u;
    for (uint32_t off = 0; off < full; off += 64)
        compress(out, msg + off);
    uint32_t rest = len - full;
    wl_memset(last, 0, sizeof last);
    wl_memcpy(last, msg + full, rest);
    last[rest] = 0x80;
    uint32_t tail = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        last[tail - 1 - i] = (uint8_t)(bits >> (8 * i));
    compress(out, last);
    if (tail == 128)
        compress(out, last + 64);
}

uint32_t workload(void)
{
    static const uint32_t abc[8] = {
        0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223, 0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad,
    };
    uint32_t d[8];
    uint32_t h = 2166136261u;
    sha256((const uint8_t *)"abc", 3, d);
    uint32_t wrong = 0;
    for (int i = 0; i < 8; i++)
        wrong |= d[i] ^ abc[i];
    h = wl_mix(h, wrong ? 0xBAD : 0x600D);

    uint32_t seed = 0x5EED5EEDu;
    for (int i = 0; i < BUF; i++)
        buffer[i] = (uint8_t)wl_xorshift32(&seed);
    for (int r = 0; r < ROUNDS; r++) {
        sha256(buffer, BUF - (uint32_t)r * 13, d); /* varying lengths exercise both padding cases */
        for (int i = 0; i < 8; i++)
            h = wl_mix(h, d[i]);
        buffer[r * 97 % BUF] ^= (uint8_t)d[0];
    }
    return h;
}
