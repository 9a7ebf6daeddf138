/*
 * qsort.c - recursive quicksort (median-of-three pivot, insertion sort for short runs) of
 * pseudo-random 32-bit keys, then a check that the result is ordered. Unpredictable branches,
 * recursion (CALL/RET, stack traffic) and array loads/stores.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define N 2000
#define ROUNDS 3
#else
#define N 70000
#define ROUNDS 3
#endif

static uint32_t keys[N];

static void insertion_sort(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void swap(uint32_t *a, int i, int j)
{
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void quicksort(uint32_t *a, int n)
{
    while (n > 16) {
        int mid = n / 2;
        if (a[mid] < a[0]) swap(a, mid, 0);
        if (a[n - 1] < a[0]) swap(a, n - 1, 0);
        if (a[n - 1] < a[mid]) swap(a, n - 1, mid);
        uint32_t pivot = a[mid];
        int i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            swap(a, i, j);
            i++;
            j--;
        }
        /* Recurse into the smaller part, loop on the larger: stack depth stays O(log n). */
        int left = j + 1;
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

uint32_t workload(void)
{
    uint32_t seed = 0xC0FFEE01u;
    uint32_t h = 2166136261u;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++)
            keys[i] = wl_xorshift32(&seed) >> (r * 4); /* later rounds: more duplicate keys */
        quicksort(keys, N);
        uint32_t unordered = 0;
        for (int i = 1; i < N; i++)
            unordered += keys[i - 1] > keys[i];
        h = wl_mix(h, unordered);
        for (int i = 0; i < N; i += 997)
            h = wl_mix(h, keys[i]);
    }
    return h;
}
