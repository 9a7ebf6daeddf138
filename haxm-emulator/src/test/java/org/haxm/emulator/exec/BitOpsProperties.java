package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.haxm.emulator.cpu.CpuState;

/** Bit tests and bit scans on registers at 16/32/64 bits against loop-based models. */
class BitOpsProperties {

    @Property(tries = 1000)
    void btFamilyOnRegisters(@ForAll @IntRange(min = 4, max = 7) int digit, @ForAll @IntRange(min = 1, max = 3) int sizeIndex,
                             @ForAll long value, @ForAll @IntRange(min = 0, max = 255) int offset) {
        int size = 1 << sizeIndex;
        int bits = size * 8;
        long mask = Operands.mask(size);
        TestMachine m = TestMachine.long64();
        // 0F BA /4../7 ib: BT/BTS/BTR/BTC rAX, imm8
        m.code(AluProperties.prefix(size) + "0FBA" + String.format("%02x%02x", 0xC0 | digit << 3, offset));
        m.reg(0, value).step();
        int bit = offset % bits;
        long old = value & mask;
        boolean was = ((old >>> bit) & 1) == 1;
        long expect;
        switch (digit) {
            case 5: expect = old | (1L << bit); break;
            case 6: expect = old & ~(1L << bit); break;
            case 7: expect = old ^ (1L << bit); break;
            default: expect = old;
        }
        assertEquals(expect, m.reg(0) & mask);
        assertEquals(was, m.flag(CpuState.CF));
    }

    @Property(tries = 1000)
    void scansAndCounts(@ForAll @IntRange(min = 0, max = 4) int which, @ForAll @IntRange(min = 1, max = 3) int sizeIndex,
                        @ForAll long source, @ForAll @IntRange(min = 0, max = 63) int keepBits) {
        int size = 1 << sizeIndex;
        int bits = size * 8;
        long mask = Operands.mask(size);
        long src = source & (keepBits == 63 ? -1L : (1L << keepBits) - 1) & mask; // many zeros at the top
        String[] enc = {"0FBCC3", "0FBDC3", "F30FBCC3", "F30FBDC3", "F30FB8C3"}; // bsf bsr tzcnt lzcnt popcnt
        String e = enc[which];
        String prefixed = which >= 2 ? "F3" + AluProperties.prefix(size) + e.substring(2) : AluProperties.prefix(size) + e;
        TestMachine m = TestMachine.long64().code(prefixed).reg(0, 0x5555).reg(3, src);
        m.step();
        int lowest = -1, highest = -1, ones = 0;
        for (int i = 0; i < bits; i++) {
            if (((src >>> i) & 1) != 0) { if (lowest < 0) lowest = i; highest = i; ones++; }
        }
        long result = m.reg(0) & mask;
        switch (which) {
            case 0: case 1:
                assertEquals(src == 0, m.flag(CpuState.ZF));
                if (src != 0) assertEquals(which == 0 ? lowest : highest, result);
                else assertEquals(0x5555 & mask, result, "destination kept for a zero source");
                break;
            case 2: case 3: {
                long expect = src == 0 ? bits : which == 2 ? lowest : bits - 1 - highest;
                assertEquals(expect, result);
                assertEquals(src == 0, m.flag(CpuState.CF));
                assertEquals(expect == 0, m.flag(CpuState.ZF));
                break;
            }
            default:
                assertEquals(ones, result);
                assertEquals(src == 0, m.flag(CpuState.ZF));
        }
    }
}
