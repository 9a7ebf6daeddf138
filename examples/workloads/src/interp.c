/*
 * interp.c - a bytecode interpreter loop: a tiny register machine (8 registers, 4-byte
 * instructions) dispatched by a switch, which the compiler turns into an indirect jump through
 * a table. The bytecode program computes Collatz sequence lengths, so the interpreted branches
 * are data-dependent too. This is the shape of every emulator's and scripting VM's inner loop.
 */
#include "wl.h"

#ifdef WL_SMALL /* the test build (build.sh --small): the same code on tiny inputs */
#define LIMIT 100
#else
#define LIMIT 3600
#endif

enum op { OP_LI, OP_MOV, OP_ADD, OP_SUB, OP_AND, OP_XOR, OP_SHR, OP_JZ, OP_JNZ, OP_JLT, OP_JMP, OP_HALT };

/* op, d, s, t. LI: imm16 = s | t << 8. JZ/JNZ: test s, target t. JLT: if d < s goto t. JMP: t. */
struct insn {
    uint8_t op, d, s, t;
};

#define LI(d, imm) { OP_LI, d, (uint8_t)(imm), (uint8_t)((imm) >> 8) }
#define R3(o, d, s, t) { o, d, s, t }

/* Labels: the instruction indexes the jumps name. */
#define L_N 4
#define L_INNER 6
#define L_ODD 13
#define L_DONE 18

static const struct insn program[] = {
    /*  0 */ LI(0, 1),                 /* r0 = n = 1                     */
    /*  1 */ LI(1, LIMIT),             /* r1 = limit                     */
    /*  2 */ LI(7, 0),                 /* r7 = accumulator               */
    /*  3 */ LI(6, 1),                 /* r6 = constant 1                */
    /*  4 */ R3(OP_MOV, 2, 0, 0),      /* L_N: r2 = x = n                */
    /*  5 */ LI(3, 0),                 /* r3 = steps = 0                 */
    /*  6 */ R3(OP_SUB, 4, 2, 6),      /* L_INNER: r4 = x - 1            */
    /*  7 */ R3(OP_JZ, 0, 4, L_DONE),  /* x == 1: done                   */
    /*  8 */ R3(OP_AND, 5, 2, 6),      /* r5 = x & 1                     */
    /*  9 */ R3(OP_JNZ, 0, 5, L_ODD),
    /* 10 */ R3(OP_SHR, 2, 2, 6),      /* x >>= 1                        */
    /* 11 */ R3(OP_ADD, 3, 3, 6),      /* steps++                        */
    /* 12 */ R3(OP_JMP, 0, 0, L_INNER),
    /* 13 */ R3(OP_ADD, 4, 2, 2),      /* L_ODD: r4 = 2x                 */
    /* 14 */ R3(OP_ADD, 2, 4, 2),      /* x = 3x                         */
    /* 15 */ R3(OP_ADD, 2, 2, 6),      /* x = 3x + 1                     */
    /* 16 */ R3(OP_ADD, 3, 3, 6),      /* steps++                        */
    /* 17 */ R3(OP_JMP, 0, 0, L_INNER),
    /* 18 */ R3(OP_ADD, 7, 7, 3),      /* L_DONE: acc += steps           */
    /* 19 */ R3(OP_XOR, 7, 7, 0),      /* acc ^= n                       */
    /* 20 */ R3(OP_ADD, 0, 0, 6),      /* n++                            */
    /* 21 */ R3(OP_JLT, 0, 1, L_N),    /* n < limit: next n              */
    /* 22 */ R3(OP_HALT, 0, 0, 0),
};

/* Runs the program; returns r7 and counts the executed bytecode instructions. */
static uint32_t run(const struct insn *code, uint32_t *executed)
{
    uint32_t r[8] = {0};
    uint32_t pc = 0, n = 0;
    for (;;) {
        const struct insn *i = &code[pc++];
        n++;
        switch (i->op) {
        case OP_LI:  r[i->d & 7] = (uint32_t)i->s | (uint32_t)i->t << 8; break;
        case OP_MOV: r[i->d & 7] = r[i->s & 7]; break;
        case OP_ADD: r[i->d & 7] = r[i->s & 7] + r[i->t & 7]; break;
        case OP_SUB: r[i->d & 7] = r[i->s & 7] - r[i->t & 7]; break;
        case OP_AND: r[i->d & 7] = r[i->s & 7] & r[i->t & 7]; break;
        case OP_XOR: r[i->d & 7] = r[i->s & 7] ^ r[i->t & 7]; break;
        case OP_SHR: r[i->d & 7] = r[i->s & 7] >> (r[i->t & 7] & 31); break;
        case OP_JZ:  if (r[i->s & 7] == 0) pc = i->t; break;
        case OP_JNZ: if (r[i->s & 7] != 0) pc = i->t; break;
        case OP_JLT: if (r[i->d & 7] < r[i->s & 7]) pc = i->t; break;
        case OP_JMP: pc = i->t; break;
        case OP_HALT:
            *executed = n;
            return r[7];
        default: /* an invalid opcode ends the program with a recognisable result */
            *executed = n;
            return 0xDEADBEEFu;
        }
    }
}

uint32_t workload(void)
{
    uint32_t executed = 0;
    uint32_t acc = run(program, &executed);
    return wl_mix(wl_mix(2166136261u, acc), executed);
}
