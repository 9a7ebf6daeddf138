package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * Shifts and rotates: SHL/SAL, SHR, SAR, ROL, ROR, RCL, RCR, SHLD, SHRD (SDM Vol. 2B). The count
 * is masked to 5 bits (6 with a 64-bit operand); a masked count of 0 changes no flag and leaves
 * the destination's value alone — but a 32-bit register destination is still written, so its
 * upper half is cleared in 64-bit mode as for every 32-bit result (SDM Vol. 1 §3.4.1.1; found by
 * the differential test against the host CPU).
 *
 * <p>Undefined flags (the choices and their sources are tabled in docs/undefined-flags.md): AF is
 * cleared; OF for counts above 1 is SHL: MSB(result) XOR CF, SHR: 0, SAR: 0, SHLD: MSB(result) XOR
 * CF, SHRD and rotates: the formula of a 1-bit shift applied to the result; for rotates
 * SF/ZF/PF/AF are untouched.
 */
final class Shifts {
    private Shifts() {}

    static void register(Handler[] t) {
        for (Mnemonic m : new Mnemonic[] {Mnemonic.SHL, Mnemonic.SAL, Mnemonic.SHR, Mnemonic.SAR, Mnemonic.ROL,
            Mnemonic.ROR, Mnemonic.RCL, Mnemonic.RCR}) t[m.ordinal()] = Shifts::shiftRotate;
        t[Mnemonic.SHLD.ordinal()] = Shifts::doubleShift;
        t[Mnemonic.SHRD.ordinal()] = Shifts::doubleShift;
    }

    static int countMask(int size) { return size == 8 ? 0x3F : 0x1F; }

    /**
     * Masked count 0: flags untouched; a 32-bit register is rewritten (zero-extended). A memory
     * destination keeps its value but is still checked as the read-modify-write it is: a
     * destination that may not be written (e.g. through a CS override) faults as for any other
     * count (the host CPU does; found by the differential test).
     */
    private static boolean countZero(Cpu cpu, DecodedInstruction insn, int size, long a) {
        if (Operands.isMemory(insn, 0)) cpu.probeWrite(insn.segment, Operands.effectiveAddress(cpu, insn), size);
        else if (size == 4) Operands.write(cpu, insn, 0, a);
        return Handler.NEXT;
    }

    static boolean shiftRotate(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        int count = (int) Operands.read(cpu, insn, 1) & countMask(size);
        long a = Operands.read(cpu, insn, 0);
        if (count == 0) return countZero(cpu, insn, size, a); // no flags (memory was still read: faults stand)
        int bits = size * 8;
        long mask = Operands.mask(size);
        long r;
        switch (insn.mnemonic) {
            case SHL: case SAL: {
                r = (count >= 64 ? 0 : a << count) & mask;
                long cf = (a << (count - 1)) >>> (bits - 1) & 1;
                Operands.write(cpu, insn, 0, r);
                FlagsUnit.afterShift(s, r, size, cf, FlagsUnit.msb(r, size) ^ cf);
                break;
            }
            case SHR: {
                r = count >= 64 ? 0 : a >>> count;
                long cf = count > 64 ? 0 : (a >>> (count - 1)) & 1;
                Operands.write(cpu, insn, 0, r);
                // OF = original MSB for a 1-bit shift; for more bits the top two result bits are
                // 0, and Intel cores report their XOR, 0 (the Bochs model, docs/undefined-flags.md).
                FlagsUnit.afterShift(s, r, size, cf, count == 1 ? FlagsUnit.msb(a, size) : 0);
                break;
            }
            case SAR: {
                long sa = Operands.signExtend(a, size);
                r = (sa >> Math.min(count, 63)) & mask;
                long cf = (sa >> Math.min(count - 1, 63)) & 1;
                Operands.write(cpu, insn, 0, r);
                FlagsUnit.afterShift(s, r, size, cf, 0);
                break;
            }
            case ROL: case ROR: rotate(cpu, insn, a, count, size); break;
            default: rotateThroughCarry(cpu, insn, a, count, size);
        }
        return Handler.NEXT;
    }

    private static void rotate(Cpu cpu, DecodedInstruction insn, long a, int count, int size) {
        int bits = size * 8;
        int n = count % bits;
        long mask = Operands.mask(size);
        long r = n == 0 ? a : insn.mnemonic == Mnemonic.ROL
            ? ((a << n) | (a >>> (bits - n))) & mask
            : ((a >>> n) | (a << (bits - n))) & mask;
        Operands.write(cpu, insn, 0, r);
        long cf, of;
        if (insn.mnemonic == Mnemonic.ROL) {
            cf = r & 1;                                   // last bit rotated into bit 0
            of = FlagsUnit.msb(r, size) ^ cf;
        } else {
            cf = FlagsUnit.msb(r, size);                  // last bit rotated into the MSB
            of = cf ^ ((r >>> (bits - 2)) & 1);
        }
        FlagsUnit.afterRotate(cpu.state(), cf, of);
    }

    /** RCL/RCR rotate the (size*8+1)-bit quantity CF:dest; done bit by bit (count is at most 63). */
    private static void rotateThroughCarry(Cpu cpu, DecodedInstruction insn, long a, int count, int size) {
        CpuState s = cpu.state();
        int bits = size * 8;
        // 8- and 16-bit forms rotate modulo 9 and 17 (SDM Vol. 2B "RCL" tempCOUNT).
        int n = size == 1 ? count % 9 : size == 2 ? count % 17 : count;
        long cf = FlagsUnit.get(s, CpuState.CF);
        long r = a;
        long mask = Operands.mask(size);
        boolean left = insn.mnemonic == Mnemonic.RCL;
        for (int i = 0; i < n; i++) {
            if (left) {
                long out = (r >>> (bits - 1)) & 1;
                r = ((r << 1) | cf) & mask;
                cf = out;
            } else {
                long out = r & 1;
                r = (r >>> 1) | (cf << (bits - 1));
                cf = out;
            }
        }
        Operands.write(cpu, insn, 0, r);
        // An 8/16-bit count that is a multiple of 9/17 rotates nothing: no flag changes (the SDM
        // leaves OF undefined; Intel cores keep it, docs/undefined-flags.md).
        if (n == 0) return;
        long of = left ? FlagsUnit.msb(r, size) ^ cf : FlagsUnit.msb(r, size) ^ ((r >>> (bits - 2)) & 1);
        FlagsUnit.afterRotate(s, cf, of);
    }

    /**
     * SHLD/SHRD dest, src, count. For 16-bit operands with a count above 16 the SDM leaves the
     * result undefined; we shift through the 48-bit pattern dest:src:dest, as Intel cores do.
     */
    static boolean doubleShift(Cpu cpu, DecodedInstruction insn) {
        int size = insn.opSize[0];
        int count = (int) Operands.read(cpu, insn, 2) & countMask(size);
        long src = Operands.read(cpu, insn, 1);
        long a = Operands.read(cpu, insn, 0);
        if (count == 0) return countZero(cpu, insn, size, a);
        boolean left = insn.mnemonic == Mnemonic.SHLD;
        long r, cf;
        if (size == 8) {
            if (left) { r = (a << count) | (src >>> (64 - count)); cf = (a >>> (64 - count)) & 1; }
            else { r = (a >>> count) | (src << (64 - count)); cf = (a >>> (count - 1)) & 1; }
        } else if (size == 4) {
            if (left) { long v = (a << 32) | src; r = (v >>> (32 - count)) & 0xFFFF_FFFFL; cf = (v >>> (64 - count)) & 1; }
            else { long v = (src << 32) | a; r = (v >>> count) & 0xFFFF_FFFFL; cf = (v >>> (count - 1)) & 1; }
        } else {
            if (left) {
                long v = (a << 32) | (src << 16) | a;
                r = (v >>> (32 - count)) & 0xFFFF;
                cf = (v >>> (48 - count)) & 1;
            } else {
                long v = (a << 32) | (src << 16) | a;
                r = (v >>> count) & 0xFFFF;
                cf = (v >>> (count - 1)) & 1;
            }
        }
        Operands.write(cpu, insn, 0, r);
        // OF: the sign change for a 1-bit shift (SDM); for more bits Intel's value is the 1-bit
        // formula on the result: SHLD MSB(r) XOR CF, SHRD MSB(r) XOR bit size-2 of r.
        long of = left ? FlagsUnit.msb(r, size) ^ cf : FlagsUnit.msb(r, size) ^ ((r >>> (size * 8 - 2)) & 1);
        FlagsUnit.afterShift(cpu.state(), r, size, cf, of);
        return Handler.NEXT;
    }

    /** Count 0: nothing changes, except that a 32-bit register destination is zero-extended. */
}
