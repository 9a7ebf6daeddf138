package org.haxm.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.haxm.emulator.cpu.CpuState;

/**
 * Shifts and rotates by CL at every size against a model that moves one bit at a time (the
 * SDM's own description), so count masking and the modulo-9/17 rule of RCL/RCR are checked
 * rather than restated.
 */
class ShiftProperties {
    private static final String[] NAMES = {"ROL", "ROR", "RCL", "RCR", "SHL", "SHR", "SAL", "SAR"};

    @Property(tries = 2000)
    void shiftByClMatchesBitModel(@ForAll @IntRange(min = 0, max = 7) int op, @ForAll @IntRange(min = 0, max = 3) int sizeIndex,
                                  @ForAll long a, @ForAll @IntRange(min = 0, max = 255) int cl, @ForAll boolean carry,
                                  @ForAll boolean otherFlags) {
        int size = 1 << sizeIndex;
        int bits = size * 8;
        long mask = Operands.mask(size);
        TestMachine m = TestMachine.long64();
        m.code(AluProperties.prefix(size) + (size == 1 ? "D2" : "D3") + String.format("%02x", 0xC0 | op << 3));
        long startFlags = CpuState.RESERVED1 | (carry ? CpuState.CF : 0)
            | (otherFlags ? CpuState.ZF | CpuState.SF | CpuState.PF | CpuState.OF | CpuState.AF : 0);
        m.reg(0, a).reg(1, cl).flags(startFlags).step();

        int count = cl & (size == 8 ? 63 : 31);
        long v = a & mask, cf = carry ? 1 : 0;
        long top = 1L << (bits - 1);
        for (int i = 0; i < count; i++) {
            long msb = (v & top) != 0 ? 1 : 0, lsb = v & 1;
            switch (NAMES[op]) {
                case "ROL": v = ((v << 1) | msb) & mask; cf = v & 1; break;
                case "ROR": v = (v >>> 1) | (lsb << (bits - 1)); cf = (v & top) != 0 ? 1 : 0; break;
                case "RCL": v = ((v << 1) | cf) & mask; cf = msb; break;
                case "RCR": v = (v >>> 1) | (cf << (bits - 1)); cf = lsb; break;
                case "SHL": case "SAL": v = (v << 1) & mask; cf = msb; break;
                case "SHR": v = v >>> 1; cf = lsb; break;
                default: v = (v >>> 1) | (msb << (bits - 1)); cf = lsb; // SAR
            }
        }
        assertEquals(v, m.reg(0) & mask, NAMES[op] + " result, count " + count);
        long flags = m.state.rflags();
        if (count == 0) {
            assertEquals(startFlags & CpuState.STATUS_FLAGS, flags & CpuState.STATUS_FLAGS, "count 0 keeps flags");
            return;
        }
        assertEquals(cf, flags & CpuState.CF, NAMES[op] + " CF");
        boolean rotate = op < 4;
        if (rotate) {
            long untouched = CpuState.ZF | CpuState.SF | CpuState.PF | CpuState.AF;
            assertEquals(startFlags & untouched, flags & untouched, "rotates keep SF/ZF/PF/AF");
        } else {
            assertEquals(v == 0, (flags & CpuState.ZF) != 0, "ZF");
            assertEquals((v & top) != 0, (flags & CpuState.SF) != 0, "SF");
            assertEquals(Long.bitCount(v & 0xFF) % 2 == 0, (flags & CpuState.PF) != 0, "PF");
        }
        if (count == 1) {
            long orig = a & mask;
            long of;
            switch (NAMES[op]) {
                case "ROL": case "RCL": case "SHL": case "SAL": of = ((v & top) != 0 ? 1 : 0) ^ cf; break;
                case "ROR": case "RCR": of = ((v >>> (bits - 1)) ^ (v >>> (bits - 2))) & 1; break;
                case "SHR": of = (orig & top) != 0 ? 1 : 0; break;
                default: of = 0;
            }
            assertEquals(of != 0, (flags & CpuState.OF) != 0, NAMES[op] + " OF for count 1");
        }
    }

    @Property(tries = 1000)
    void doubleShiftMatchesConcatenation(@ForAll boolean left, @ForAll @IntRange(min = 1, max = 2) int sizeIndex,
                                         @ForAll long a, @ForAll long b, @ForAll @IntRange(min = 0, max = 63) int count) {
        int size = 1 << (sizeIndex + 1); // 4 or 8 bytes: results for 16-bit counts > 16 are undefined
        int bits = size * 8;
        long mask = Operands.mask(size);
        TestMachine m = TestMachine.long64();
        // SHLD/SHRD rax, rbx, imm8 : 0F A4 / 0F AC, ModRM D8
        m.code(AluProperties.prefix(size) + (left ? "0FA4D8" : "0FACD8") + String.format("%02x", count));
        m.reg(0, a).reg(3, b).step();
        int c = count & (size == 8 ? 63 : 31);
        long dest = a & mask, src = b & mask;
        long expect = dest, cf = -1;
        for (int i = 0; i < c; i++) {
            if (left) {
                cf = dest >>> (bits - 1) & 1;
                dest = ((dest << 1) | (src >>> (bits - 1) & 1)) & mask;
                src = (src << 1) & mask;
            } else {
                cf = dest & 1;
                dest = (dest >>> 1) | ((src & 1) << (bits - 1));
                src >>>= 1;
            }
            expect = dest;
        }
        assertEquals(expect, m.reg(0) & mask, (left ? "SHLD" : "SHRD") + " count " + c);
        if (c > 0) assertEquals(cf, m.state.rflags() & CpuState.CF, "CF");
    }
}
