/*
 * Native side of the emulator's differential test (org.haxm.emulator.diff.DifferentialTest).
 *
 * Reads fixed-size case records from stdin, runs each case's one instruction on the host CPU and
 * writes one result record per case to stdout. Built by the test with gcc, as a 64-bit program and
 * (where gcc -m32 links) as a 32-bit one; the same source serves both.
 *
 * Memory layout (the engine uses the same addresses as identity-mapped flat memory):
 *   CODE 0x40000  one RWX page: the instruction, then two "landing" stubs that record where
 *                 execution continued (fall-through at +len, branch target at +len+0x20)
 *   DATA 0x50000  two RW pages, zeroed per case; the first WINDOW bytes come from the case and go
 *                 back in the result; a write anywhere else in the two pages is reported
 *   CTL  0x60000  control block: input/output registers, host stack pointer, jump pointers
 * They are below 4 GiB so 32-bit code can reach them, and fixed so absolute addresses can be
 * encoded in the landing stubs. Faults arrive as signals; the handler takes the vector from the
 * kernel's trap number (REG_TRAPNO), so #DE, #UD, #GP, #PF, #AC, #BR... are told apart.
 *
 * Record in (little-endian): u8 len, u8 code[15], u64 regs[16], u64 rflags, u8 window[WINDOW]
 * Record out: u64 regs[16], u64 rflags, u64 rip, i32 vector (-1 = none), i32 outside, u8 window[WINDOW]
 * A first record out (before any case) carries the host's segment selectors in regs[0..5]
 * (ES CS SS DS FS GS), so the engine can use the same values, in regs[6] 1 when the data
 * pages are also mapped at LOW (0x8000) for 16-bit addressing, and in regs[7] 1 when the 32-bit
 * build was started with the argument "16" and could install a 16-bit code segment (LDT entry 0,
 * base CODE, via modify_ldt): cases then run as 16-bit code at CS:0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>
#ifdef __x86_64__
#include <asm/prctl.h>
#endif

#define CODE 0x40000UL
#define DATA 0x50000UL
#define DATA_SIZE 0x2000
#define CTL 0x60000UL
#define WINDOW 512
#define TAKEN 0x20
/* 64-bit: GS base (unused by the C library there) points into the data area, so GS overrides
 * can be tested; the engine uses the same base. */
#define GS_BASE (DATA + 0x40)
/* The data pages are also mapped at LOW (the same memory, through a memfd), so 32-bit code can
 * reach them with 16-bit addresses (0x67). Optional: vm.mmap_min_addr may forbid it. */
#define LOW 0x8000UL

/* Control block offsets (also used by the asm below as absolute addresses). */
#define C_IN 0x000      /* 16 x u64 + flags at 0x80 */
#define C_OUT 0x100     /* 16 x u64 + flags at 0x180 */
#define C_HOSTSP 0x200
#define C_CODEPTR 0x208
#define C_EXITPTR 0x210
#define C_RIP 0x218
#define C_FARCODE 0x220 /* 32-bit build, 16-bit code: m16:32 pointer to the 16-bit code segment */
#define C_FAREXIT 0x228 /* m16:32 pointer back to guest_exit in the 32-bit code segment */
#define LDT_CODE16 0x07 /* LDT entry 0, RPL 3 */

#define S(x) #x
#define X(x) S(x)

struct in_rec { uint8_t len; uint8_t code[15]; uint64_t regs[16]; uint64_t rflags; uint8_t window[WINDOW]; } __attribute__((packed));
struct out_rec { uint64_t regs[16]; uint64_t rflags; uint64_t rip; int32_t vector; int32_t outside; uint8_t window[WINDOW]; } __attribute__((packed));

void guest_enter(void);
void guest_exit(void);

#ifdef __x86_64__
/* Saves the host's callee-saved registers, loads every GPR and RFLAGS, jumps to the code page. */
__asm__(
  ".text\n.globl guest_enter\nguest_enter:\n"
  "push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"
  "mov %rsp, " X(CTL + C_HOSTSP) "\n"
  "pushq " X(CTL + C_IN + 0x80) "\npopfq\n"
  "mov " X(CTL + C_IN + 0x00) ", %rax\nmov " X(CTL + C_IN + 0x08) ", %rcx\n"
  "mov " X(CTL + C_IN + 0x10) ", %rdx\nmov " X(CTL + C_IN + 0x18) ", %rbx\n"
  "mov " X(CTL + C_IN + 0x28) ", %rbp\nmov " X(CTL + C_IN + 0x30) ", %rsi\n"
  "mov " X(CTL + C_IN + 0x38) ", %rdi\nmov " X(CTL + C_IN + 0x40) ", %r8\n"
  "mov " X(CTL + C_IN + 0x48) ", %r9\nmov " X(CTL + C_IN + 0x50) ", %r10\n"
  "mov " X(CTL + C_IN + 0x58) ", %r11\nmov " X(CTL + C_IN + 0x60) ", %r12\n"
  "mov " X(CTL + C_IN + 0x68) ", %r13\nmov " X(CTL + C_IN + 0x70) ", %r14\n"
  "mov " X(CTL + C_IN + 0x78) ", %r15\nmov " X(CTL + C_IN + 0x20) ", %rsp\n"
  "jmp *" X(CTL + C_CODEPTR) "\n"
  ".globl guest_exit\nguest_exit:\n"
  "mov %rax, " X(CTL + C_OUT + 0x00) "\nmov %rcx, " X(CTL + C_OUT + 0x08) "\n"
  "mov %rdx, " X(CTL + C_OUT + 0x10) "\nmov %rbx, " X(CTL + C_OUT + 0x18) "\n"
  "mov %rsp, " X(CTL + C_OUT + 0x20) "\nmov %rbp, " X(CTL + C_OUT + 0x28) "\n"
  "mov %rsi, " X(CTL + C_OUT + 0x30) "\nmov %rdi, " X(CTL + C_OUT + 0x38) "\n"
  "mov %r8, " X(CTL + C_OUT + 0x40) "\nmov %r9, " X(CTL + C_OUT + 0x48) "\n"
  "mov %r10, " X(CTL + C_OUT + 0x50) "\nmov %r11, " X(CTL + C_OUT + 0x58) "\n"
  "mov %r12, " X(CTL + C_OUT + 0x60) "\nmov %r13, " X(CTL + C_OUT + 0x68) "\n"
  "mov %r14, " X(CTL + C_OUT + 0x70) "\nmov %r15, " X(CTL + C_OUT + 0x78) "\n"
  "mov " X(CTL + C_HOSTSP) ", %rsp\n"
  "pushfq\npopq " X(CTL + C_OUT + 0x80) "\ncld\n"
  "pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\nret\n");
#define TRAPNO(uc) ((uc)->uc_mcontext.gregs[REG_TRAPNO])
#else
#define ENTER32(name, jump) \
  ".text\n.globl " name "\n" name ":\n" \
  "push %ebx\npush %ebp\npush %esi\npush %edi\n" \
  "mov %esp, " X(CTL + C_HOSTSP) "\n" \
  "pushl " X(CTL + C_IN + 0x80) "\npopfl\n" \
  "mov " X(CTL + C_IN + 0x00) ", %eax\nmov " X(CTL + C_IN + 0x08) ", %ecx\n" \
  "mov " X(CTL + C_IN + 0x10) ", %edx\nmov " X(CTL + C_IN + 0x18) ", %ebx\n" \
  "mov " X(CTL + C_IN + 0x28) ", %ebp\nmov " X(CTL + C_IN + 0x30) ", %esi\n" \
  "mov " X(CTL + C_IN + 0x38) ", %edi\nmov " X(CTL + C_IN + 0x20) ", %esp\n" \
  jump "\n"
void guest_enter16(void);
__asm__(
  ENTER32("guest_enter16", "ljmp *" X(CTL + C_FARCODE))
  ENTER32("guest_enter", "jmp *" X(CTL + C_CODEPTR))
  ".globl guest_exit\nguest_exit:\n"
  "mov %eax, " X(CTL + C_OUT + 0x00) "\nmov %ecx, " X(CTL + C_OUT + 0x08) "\n"
  "mov %edx, " X(CTL + C_OUT + 0x10) "\nmov %ebx, " X(CTL + C_OUT + 0x18) "\n"
  "mov %esp, " X(CTL + C_OUT + 0x20) "\nmov %ebp, " X(CTL + C_OUT + 0x28) "\n"
  "mov %esi, " X(CTL + C_OUT + 0x30) "\nmov %edi, " X(CTL + C_OUT + 0x38) "\n"
  "mov " X(CTL + C_HOSTSP) ", %esp\n"
  "pushfl\npopl " X(CTL + C_OUT + 0x80) "\ncld\n"
  /* a case may have loaded a null selector into ES: the C library needs it flat again */
  "push %ss\npop %es\n"
  "pop %edi\npop %esi\npop %ebp\npop %ebx\nret\n");
#define TRAPNO(uc) ((uc)->uc_mcontext.gregs[REG_TRAPNO])
#endif

static sigjmp_buf escape;
static volatile int32_t fault_vector;

static void on_fault(int sig, siginfo_t *si, void *ctx) {
    (void) sig; (void) si;
    fault_vector = (int32_t) TRAPNO((ucontext_t *) ctx);
    siglongjmp(escape, 1);
}

static void *map_fixed(unsigned long at, size_t size, int prot) {
    void *p = mmap((void *) at, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *) at) { perror("mmap"); exit(2); }
    return p;
}

static int code16;

/* mov dword [CTL+C_RIP], CODE+off ; jmp [CTL+C_EXITPTR] — changes no register and no flag. */
static void landing(uint8_t *code, unsigned off) {
    uint8_t *p = code + off;
    uint32_t rip = (uint32_t) (CODE + off), rloc = (uint32_t) (CTL + C_RIP), eloc = (uint32_t) (CTL + C_EXITPTR);
    if (code16) {
        /* 16-bit code: the same with 0x66/0x67, then a far jump back to the 32-bit exit */
        uint32_t floc = (uint32_t) (CTL + C_FAREXIT);
        *p++ = 0x66; *p++ = 0x67; *p++ = 0xC7; *p++ = 0x05;
        memcpy(p, &rloc, 4); p += 4; memcpy(p, &rip, 4); p += 4;
        *p++ = 0x66; *p++ = 0x67; *p++ = 0xFF; *p++ = 0x2D;
        memcpy(p, &floc, 4);
        return;
    }
#ifdef __x86_64__
    *p++ = 0xC7; *p++ = 0x04; *p++ = 0x25;
#else
    *p++ = 0xC7; *p++ = 0x05;
#endif
    memcpy(p, &rloc, 4); p += 4; memcpy(p, &rip, 4); p += 4;
#ifdef __x86_64__
    *p++ = 0xFF; *p++ = 0x24; *p++ = 0x25;
#else
    *p++ = 0xFF; *p++ = 0x25;
#endif
    memcpy(p, &eloc, 4);
}

static __attribute__((unused)) uint16_t sel_cs(void) { uint16_t v; __asm__ volatile("mov %%cs, %0" : "=r"(v)); return v; }

static uint16_t sel(int i) {
    uint16_t v = 0;
    switch (i) {
    case 0: __asm__ volatile("mov %%es, %0" : "=r"(v)); break;
    case 1: __asm__ volatile("mov %%cs, %0" : "=r"(v)); break;
    case 2: __asm__ volatile("mov %%ss, %0" : "=r"(v)); break;
    case 3: __asm__ volatile("mov %%ds, %0" : "=r"(v)); break;
    case 4: __asm__ volatile("mov %%fs, %0" : "=r"(v)); break;
    default: __asm__ volatile("mov %%gs, %0" : "=r"(v)); break;
    }
    return v;
}

#ifndef __x86_64__
#include <asm/ldt.h>
/* A 16-bit code segment at CODE (limit 64 KiB, DPL 3) in the LDT, for 16-bit code cases. */
static int setup_code16(uint8_t *ctl) {
    struct user_desc d;
    memset(&d, 0, sizeof d);
    d.entry_number = 0;
    d.base_addr = CODE;
    d.limit = 0xFFFF;
    d.seg_32bit = 0;
    d.contents = 2; /* code */
    d.read_exec_only = 0;
    d.useable = 1;
    if (syscall(SYS_modify_ldt, 1, &d, sizeof d) != 0) return 0;
    uint32_t off = 0;
    uint16_t sel = LDT_CODE16, cs = sel_cs();
    uint32_t exit_off = (uint32_t) (uintptr_t) guest_exit;
    memcpy(ctl + C_FARCODE, &off, 4); memcpy(ctl + C_FARCODE + 4, &sel, 2);
    memcpy(ctl + C_FAREXIT, &exit_off, 4); memcpy(ctl + C_FAREXIT + 4, &cs, 2);
    return 1;
}
#endif

int main(int argc, char **argv) {
    uint8_t *code = map_fixed(CODE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    int fd = memfd_create("diffharness-data", 0);
    if (fd < 0 || ftruncate(fd, DATA_SIZE) != 0) { perror("memfd"); return 2; }
    uint8_t *data = mmap((void *) DATA, DATA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    if (data != (void *) DATA) { perror("mmap data"); return 2; }
    int low = mmap((void *) LOW, DATA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0) == (void *) LOW;
    uint8_t *ctl = map_fixed(CTL, 4096, PROT_READ | PROT_WRITE);
    static uint8_t altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) != 0) { perror("sigaltstack"); return 2; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    int sigs[] = { SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGTRAP };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);

#ifdef __x86_64__
    if (syscall(SYS_arch_prctl, ARCH_SET_GS, GS_BASE) != 0) { perror("arch_prctl"); return 2; }
#endif
    *(uintptr_t *) (ctl + C_CODEPTR) = CODE;
    int code16_ok = 0;
#ifndef __x86_64__
    code16 = argc > 1 && strcmp(argv[1], "16") == 0;
    if (code16) code16_ok = setup_code16(ctl);
#else
    (void) argc; (void) argv;
#endif
    *(uintptr_t *) (ctl + C_EXITPTR) = (uintptr_t) guest_exit;

    static struct in_rec in;
    static struct out_rec out;
    memset(&out, 0, sizeof out);
    for (int i = 0; i < 6; i++) out.regs[i] = sel(i);
    out.regs[6] = low;
    out.regs[7] = code16_ok;
    out.vector = -1;
    if (fwrite(&out, sizeof out, 1, stdout) != 1) return 2;

    /* A case may load DS/ES/SS (SS only with its own value): DS and ES are restored after each. */
    uint16_t ds0 = sel(3), es0 = sel(0);
    while (fread(&in, sizeof in, 1, stdin) == 1) {
        memset(code, 0xCC, 0x80);
        memcpy(code, in.code, in.len);
        landing(code, in.len);
        landing(code, in.len + TAKEN);
        memset(data, 0, DATA_SIZE);
        memcpy(data, in.window, WINDOW);
        memcpy(ctl + C_IN, in.regs, sizeof in.regs);
        memcpy(ctl + C_IN + 0x80, &in.rflags, 8);
        memset(ctl + C_OUT, 0, 0x88);
        *(uintptr_t *) (ctl + C_RIP) = 0;
        memset(&out, 0, sizeof out);
        fault_vector = -1;
        if (sigsetjmp(escape, 1) == 0) {
#ifndef __x86_64__
            if (code16) guest_enter16(); else
#endif
            guest_enter();
        }
        __asm__ volatile("mov %0, %%ds\n\tmov %1, %%es" : : "r"(ds0), "r"(es0));
        out.vector = fault_vector;
        if (fault_vector < 0) {
#ifdef __x86_64__
            memcpy(out.regs, ctl + C_OUT, 16 * 8);
            memcpy(&out.rflags, ctl + C_OUT + 0x80, 8);
#else
            for (int r = 0; r < 8; r++) out.regs[r] = *(uint32_t *) (ctl + C_OUT + 8 * r);
            out.rflags = *(uint32_t *) (ctl + C_OUT + 0x80);
#endif
            out.rip = *(uint32_t *) (ctl + C_RIP);
        }
        memcpy(out.window, data, WINDOW);
        for (unsigned b = WINDOW; b < DATA_SIZE; b++) if (data[b]) { out.outside = 1; break; }
        if (fwrite(&out, sizeof out, 1, stdout) != 1) return 2;
    }
    fflush(stdout);
    return 0;
}
