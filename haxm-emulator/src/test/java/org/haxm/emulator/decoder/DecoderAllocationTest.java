package org.haxm.emulator.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Decoding is on the per-instruction hot path, so it must not allocate (project standard). */
class DecoderAllocationTest {
    /** A mix of forms: SIB, RIP-relative, imm64, groups, prefixes, 0F/0F38/VEX, a #UD and a #GP. */
    private static final byte[] CODE = {
        0x48, (byte) 0x8b, 0x44, 0x24, 0x08,                       // mov rax,[rsp+8]
        0x48, (byte) 0x8b, 0x05, 0x10, 0, 0, 0,                    // mov rax,[rip+0x10]
        0x48, (byte) 0xb8, 1, 2, 3, 4, 5, 6, 7, 8,                 // mov rax,imm64
        (byte) 0xf0, 0x0f, (byte) 0xc1, 0x0a,                      // lock xadd [rdx],ecx
        (byte) 0xf7, (byte) 0xd8,                                  // neg eax
        0x66, (byte) 0xf2, 0x0f, 0x38, (byte) 0xf1, (byte) 0xc1,   // crc32 eax,cx
        (byte) 0xc4, (byte) 0xe2, 0x70, (byte) 0xf2, (byte) 0xc2,  // andn eax,ecx,edx
        0x06,                                                      // #UD in 64-bit mode
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, (byte) 0x90,
    };

    @Test
    void decodingAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
            "per-thread allocation counters not available: skipping");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Decoder decoder = new Decoder();
        DecodedInstruction insn = new DecodedInstruction();
        int[] start = new int[1];
        CodeFetcher fetcher = off -> CODE[start[0] + off] & 0xFF;
        int decoded = run(decoder, insn, start, fetcher);   // warm-up: class init, lambda linkage
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int round = 0; round < 200; round++) decoded += run(decoder, insn, start, fetcher);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(decoded > 1000);
        // A few bytes of slack for the counter itself; one allocation per instruction would be >10 KB.
        assertTrue(allocated < 1024, "decoder allocated " + allocated + " bytes for " + decoded + " instructions");
    }

    private static int run(Decoder decoder, DecodedInstruction insn, int[] start, CodeFetcher fetcher) {
        int count = 0, faults = 0;
        start[0] = 0;
        while (start[0] < CODE.length) {
            decoder.decode(fetcher, 64, insn);
            if (insn.fault != DecodedInstruction.FAULT_NONE) faults++;
            start[0] += insn.fault == DecodedInstruction.FAULT_UD ? 1 : insn.length;
            count++;
        }
        assertEquals(2, faults, "one #UD and one #GP (16-byte instruction) per pass");
        return count;
    }
}
