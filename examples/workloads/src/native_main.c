/*
 * native_main.c - runs one workload as an ordinary Linux program, to get the checksum the guest
 * must reproduce and the native time to compare with.
 *
 *   ./<name> [reps]     runs workload() reps times (default 5) and prints exactly two lines:
 *   checksum 0x%08x
 *   seconds %.6f        (the fastest single run, CLOCK_MONOTONIC)
 *
 * Every run must return the same checksum (a workload keeps no state between calls);
 * otherwise the program says so on stderr and exits with status 1.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

unsigned int workload(void);

/* The exit-hlt workload's interrupt counter (in a guest it lives in the crt's .bss). */
volatile unsigned int wl_irq_count;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1) {
        fprintf(stderr, "usage: %s [reps >= 1]\n", argv[0]);
        return 2;
    }
    unsigned int first = 0;
    double best = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        unsigned int c = workload();
        double t = now() - t0;
        if (r == 0) {
            first = c;
            best = t;
        } else if (c != first) {
            fprintf(stderr, "%s: run %d returned 0x%08x, run 0 returned 0x%08x\n", argv[0], r, c, first);
            return 1;
        } else if (t < best) {
            best = t;
        }
    }
    printf("checksum 0x%08x\n", first);
    printf("seconds %.6f\n", best);
    return 0;
}
