/*
 * wl.h - the whole "runtime" of the benchmark workloads: fixed-width types, a PRNG, memory
 * helpers, and the device accessors of the exit-heavy workloads.
 *
 * Every workload is one freestanding C99 file defining  uint32_t workload(void)  that returns a
 * checksum. The same file is built twice:
 *   - as a guest (build.sh, -ffreestanding, no libc): the device accessors are real IN/OUT
 *     instructions, MMIO loads/stores and STI;HLT, which leave the guest as VM exits;
 *   - as a Linux program (WL_NATIVE defined, linked with native_main.c): the accessors call stub
 *     devices below that behave exactly like the bench VMM's devices, so the native run gives
 *     the checksum the guest must reproduce.
 * The device contract (also implemented in Java by org.haxm.examples.bench.BenchPortDevice and
 * BenchMmioDevice) is in examples/workloads/README.md.
 */
#ifndef WL_H
#define WL_H

typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef int int32_t;
typedef short int16_t;
typedef __SIZE_TYPE__ wl_size_t;

typedef char wl_check_u32[sizeof(uint32_t) == 4 ? 1 : -1];
typedef char wl_check_u64[sizeof(uint64_t) == 8 ? 1 : -1];

uint32_t workload(void);

/* ---- deterministic pseudo-random numbers (Marsaglia xorshift32) ------------------------- */

static inline uint32_t wl_xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* A 32-bit mixing step (FNV-1a style) used to fold values into checksums. */
static inline uint32_t wl_mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 16777619u;
    return h ^ (h >> 15);
}

/* ---- memory: plain loops (the compiler must not turn them into library calls) ------------ */

static inline void wl_memcpy(void *dst, const void *src, wl_size_t n)
{
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    while (n--)
        *d++ = *s++;
}

static inline void wl_memset(void *dst, int v, wl_size_t n)
{
    uint8_t *d = (uint8_t *)dst;
    while (n--)
        *d++ = (uint8_t)v;
}

/* Word-at-a-time copy and fill (n counts 32-bit words). */
static inline void wl_copy32(uint32_t *dst, const uint32_t *src, wl_size_t n)
{
    while (n--)
        *dst++ = *src++;
}

static inline void wl_fill32(uint32_t *dst, uint32_t v, wl_size_t n)
{
    while (n--)
        *dst++ = v;
}

/* ---- memory: string instructions (REP MOVS / REP STOS, SDM Vol. 2B "MOVS", "STOS") ------- */
/* Direction flag is clear (the crt and the SysV ABI guarantee DF = 0 on entry to a function). */

static inline void wl_rep_movsb(void *dst, const void *src, wl_size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static inline void wl_rep_movsd(void *dst, const void *src, wl_size_t words)
{
    __asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
}

static inline void wl_rep_stosb(void *dst, uint8_t v, wl_size_t n)
{
    __asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(v) : "memory");
}

static inline void wl_rep_stosd(void *dst, uint32_t v, wl_size_t words)
{
    __asm__ volatile("rep stosl" : "+D"(dst), "+c"(words) : "a"(v) : "memory");
}

/* ---- devices of the exit-heavy workloads ------------------------------------------------- */

/* The bench port device (I/O ports 0x510..0x513). */
#define WL_PORT_MIX   0x510 /* OUT: acc = acc * 33 + value                                      */
#define WL_PORT_READ  0x511 /* IN:  returns acc & 0xFF, then acc = acc rotated right by 8       */
#define WL_PORT_SEED  0x512 /* OUT: acc = value                                                  */
#define WL_PORT_DONE  0x513 /* OUT: the exit-hlt loop is over (the next HLT ends the run)       */

/* The bench MMIO device, a 4-KiB window at guest-physical 0xD0000000. */
#define WL_MMIO_BASE  0xD0000000u
#define WL_MMIO_MIX   0x0   /* write32: acc = acc * 33 + value                                   */
#define WL_MMIO_READ  0x4   /* read32:  returns acc, then acc = rotl(acc, 7) ^ 0x9E3779B9        */
#define WL_MMIO_SEED  0x8   /* write32: acc = value                                              */

/* The interrupt vector the bench VMM injects at every HLT of exit-hlt. */
#define WL_IRQ_VECTOR 0x20

/* Counted by the interrupt handler (guest: crt-*.S; native: native_main.c). */
extern volatile uint32_t wl_irq_count;

#ifdef WL_NATIVE

/* Stub devices with the bench VMM's behaviour (see the register comments above). */
static uint32_t wl_native_port_acc, wl_native_mmio_acc;

static inline void wl_outb(uint16_t port, uint8_t v)
{
    if (port == WL_PORT_MIX)
        wl_native_port_acc = wl_native_port_acc * 33u + v;
    else if (port == WL_PORT_SEED)
        wl_native_port_acc = v;
}

static inline uint8_t wl_inb(uint16_t port)
{
    uint32_t a = wl_native_port_acc;
    if (port != WL_PORT_READ)
        return 0xFF; /* unclaimed ports read all ones */
    wl_native_port_acc = (a >> 8) | (a << 24);
    return (uint8_t)a;
}

static inline void wl_mmio_write32(uint32_t offset, uint32_t v)
{
    if (offset == WL_MMIO_MIX)
        wl_native_mmio_acc = wl_native_mmio_acc * 33u + v;
    else if (offset == WL_MMIO_SEED)
        wl_native_mmio_acc = v;
}

static inline uint32_t wl_mmio_read32(uint32_t offset)
{
    uint32_t a = wl_native_mmio_acc;
    if (offset != WL_MMIO_READ)
        return 0;
    wl_native_mmio_acc = ((a << 7) | (a >> 25)) ^ 0x9E3779B9u;
    return a;
}

/* Natively nothing interrupts us: the "interrupt" arrives at once. */
static inline void wl_irq_setup(void) {}
static inline void wl_hlt_wait(void) { wl_irq_count++; }

#else /* guest */

static inline void wl_outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t wl_inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* The window has no RAM behind it: every access is an EPT violation completed by the VMM. */
static inline void wl_mmio_write32(uint32_t offset, uint32_t v)
{
    *(volatile uint32_t *)(wl_size_t)(WL_MMIO_BASE + offset) = v;
}

static inline uint32_t wl_mmio_read32(uint32_t offset)
{
    return *(volatile uint32_t *)(wl_size_t)(WL_MMIO_BASE + offset);
}

/* Installs the IDT gate for WL_IRQ_VECTOR (crt-*.S); interrupts stay disabled. */
void wl_irq_setup(void);

/*
 * Halts until an interrupt: STI's interrupt shadow covers HLT (SDM Vol. 2B "STI"), so no
 * interrupt can slip in between them and be lost; CLI right after keeps the rest of the loop
 * uninterruptible.
 */
static inline void wl_hlt_wait(void)
{
    __asm__ volatile("sti; hlt; cli" : : : "memory");
}

#endif /* WL_NATIVE */

#endif /* WL_H */
