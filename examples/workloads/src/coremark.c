/*
 * coremark.c - an integer mix in the spirit of EEMBC CoreMark (written from its description,
 * not its code): linked-list walking, a small matrix multiply, a text-scanning state machine,
 * and CRC-16 over all intermediate results. Load/store, branch and multiply heavy; no division.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define ITERATIONS 2
#else
#define ITERATIONS 155
#endif
#define LIST_NODES 400
#define MAT_N 20
#define TEXT_LEN 1024

struct node {
    struct node *next;
    int16_t value;
    uint16_t index;
};

static struct node nodes[LIST_NODES];
static int16_t mat_a[MAT_N * MAT_N], mat_b[MAT_N * MAT_N];
static int32_t mat_c[MAT_N * MAT_N];
static char text[TEXT_LEN];

/* CRC-16/CCITT (polynomial 0x1021 reflected = 0x8408), one bit at a time: branchy on purpose. */
static uint16_t crc16_byte(uint8_t b, uint16_t crc)
{
    for (int i = 0; i < 8; i++) {
        uint8_t x = (uint8_t)((b ^ crc) & 1);
        b >>= 1;
        crc >>= 1;
        if (x)
            crc ^= 0x8408;
    }
    return crc;
}

static uint16_t crc16_u32(uint32_t v, uint16_t crc)
{
    crc = crc16_byte((uint8_t)v, crc);
    crc = crc16_byte((uint8_t)(v >> 8), crc);
    crc = crc16_byte((uint8_t)(v >> 16), crc);
    return crc16_byte((uint8_t)(v >> 24), crc);
}

/* ---- linked list ------------------------------------------------------------------------ */

static struct node *list_reverse(struct node *head)
{
    struct node *prev = 0;
    while (head) {
        struct node *next = head->next;
        head->next = prev;
        prev = head;
        head = next;
    }
    return prev;
}

static struct node *list_find(struct node *head, int16_t value)
{
    while (head && head->value != value)
        head = head->next;
    return head;
}

/* Merge sort on the list by value (then index), bottom-up, no recursion. */
static struct node *list_sort(struct node *list)
{
    for (int insize = 1;; insize *= 2) {
        struct node *p = list, *tail = 0;
        int merges = 0;
        list = 0;
        while (p) {
            struct node *q = p;
            int psize = 0, qsize = insize;
            merges++;
            while (psize < insize && q) {
                psize++;
                q = q->next;
            }
            while (psize > 0 || (qsize > 0 && q)) {
                struct node *e;
                if (psize == 0) {
                    e = q; q = q->next; qsize--;
                } else if (qsize == 0 || !q) {
                    e = p; p = p->next; psize--;
                } else if (p->value < q->value || (p->value == q->value && p->index <= q->index)) {
                    e = p; p = p->next; psize--;
                } else {
                    e = q; q = q->next; qsize--;
                }
                if (tail)
                    tail->next = e;
                else
                    list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        if (merges <= 1)
            return list;
    }
}

static uint16_t list_bench(struct node **headp, uint32_t *seed, uint16_t crc)
{
    struct node *head = *headp;
    for (int i = 0; i < 8; i++) {
        int16_t want = (int16_t)(wl_xorshift32(seed) & 0x3FF);
        struct node *n = list_find(head, want);
        crc = crc16_u32(n ? n->index : 0xFFFF, crc);
    }
    head = list_reverse(head);
    crc = crc16_u32(head->index, crc);
    head = list_sort(head);
    uint32_t sum = 0;
    for (struct node *n = head; n; n = n->next)
        sum = sum * 3 + (uint16_t)n->value;
    crc = crc16_u32(sum, crc);
    /* Scramble the values again so the next sort has work to do. */
    for (struct node *n = head; n; n = n->next)
        n->value = (int16_t)((n->value * 7 + n->index) & 0x3FF);
    *headp = head;
    return crc;
}

/* ---- matrix ----------------------------------------------------------------------------- */

static uint16_t matrix_bench(int16_t add, uint16_t crc)
{
    for (int i = 0; i < MAT_N * MAT_N; i++)
        mat_a[i] = (int16_t)(mat_a[i] + add);
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT_N; k++)
                s += (int32_t)mat_a[i * MAT_N + k] * mat_b[k * MAT_N + j];
            mat_c[i * MAT_N + j] = s;
        }
    }
    uint32_t acc = 0;
    for (int i = 0; i < MAT_N * MAT_N; i++) {
        int32_t v = mat_c[i];
        acc += (v > 0 ? (uint32_t)v >> 3 : (uint32_t)(-v) & 0xFF) ^ (uint32_t)i;
    }
    for (int i = 0; i < MAT_N * MAT_N; i++)
        mat_a[i] = (int16_t)(mat_a[i] - add);
    return crc16_u32(acc, crc);
}

/* ---- state machine ---------------------------------------------------------------------- */

enum state { S_START, S_INT, S_SIGN, S_FRAC, S_EXP, S_EXPSIGN, S_SCI, S_INVALID, S_COUNT };

/* Classifies comma-separated tokens: integers, decimals, scientific numbers, invalid. */
static uint16_t state_bench(uint16_t crc)
{
    uint32_t counts[S_COUNT] = {0};
    enum state s = S_START;
    for (int i = 0; i < TEXT_LEN; i++) {
        char c = text[i];
        if (c == ',') {
            counts[s]++;
            s = S_START;
            continue;
        }
        int digit = c >= '0' && c <= '9';
        switch (s) {
        case S_START:
            s = digit ? S_INT : (c == '+' || c == '-') ? S_SIGN : c == '.' ? S_FRAC : S_INVALID;
            break;
        case S_SIGN:
            s = digit ? S_INT : c == '.' ? S_FRAC : S_INVALID;
            break;
        case S_INT:
            s = digit ? S_INT : c == '.' ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP : S_INVALID;
            break;
        case S_FRAC:
            s = digit ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP : S_INVALID;
            break;
        case S_EXP:
            s = digit ? S_SCI : (c == '+' || c == '-') ? S_EXPSIGN : S_INVALID;
            break;
        case S_EXPSIGN:
        case S_SCI:
            s = digit ? S_SCI : S_INVALID;
            break;
        default:
            break;
        }
    }
    counts[s]++;
    for (int i = 0; i < S_COUNT; i++)
        crc = crc16_u32(counts[i], crc);
    /* Mutate the text a little so each iteration sees different tokens. */
    for (int i = 3; i < TEXT_LEN; i += 29)
        text[i] = text[i] == ',' ? '7' : text[i] == '7' ? 'e' : text[i] == 'e' ? '.' : ',';
    return crc;
}

static void init(uint32_t *seed)
{
    for (int i = 0; i < LIST_NODES; i++) {
        nodes[i].index = (uint16_t)i;
        nodes[i].value = (int16_t)(wl_xorshift32(seed) & 0x3FF);
        nodes[i].next = i + 1 < LIST_NODES ? &nodes[i + 1] : 0;
    }
    for (int i = 0; i < MAT_N * MAT_N; i++) {
        mat_a[i] = (int16_t)((wl_xorshift32(seed) & 0xFFF) - 0x800);
        mat_b[i] = (int16_t)((wl_xorshift32(seed) & 0xFFF) - 0x800);
    }
    static const char alphabet[] = "0123456789012345+-.eE,,,x";
    for (int i = 0; i < TEXT_LEN; i++)
        text[i] = alphabet[wl_xorshift32(seed) % (sizeof alphabet - 1)];
}

uint32_t workload(void)
{
    uint32_t seed = 0x12345678u;
    init(&seed);
    struct node *head = &nodes[0];
    uint16_t crc = 0;
    for (int it = 0; it < ITERATIONS; it++) {
        crc = list_bench(&head, &seed, crc);
        crc = matrix_bench((int16_t)(it & 7), crc);
        crc = state_bench(crc);
    }
    return ((uint32_t)crc << 16) ^ wl_xorshift32(&seed);
}
