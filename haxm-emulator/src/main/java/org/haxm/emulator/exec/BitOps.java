package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Bit tests and scans (BT/BTS/BTR/BTC, BSF/BSR, LZCNT/TZCNT, POPCNT), the BMI1/BMI2 group, ADCX/
 * ADOX and CRC32 (SDM Vol. 2).
 *
 * <p>Undefined flags (docs/undefined-flags.md): BT* (OF, SF, AF, PF) and LZCNT/TZCNT (OF, SF, AF,
 * PF) are left unchanged; BSF/BSR with a non-zero source set CF, OF, SF, AF to 0 and PF from the
 * bit index (as after a logical operation on it), with a zero source they leave them unchanged;
 * BMI1 clears AF and leaves PF unchanged, except BEXTR, which sets PF (and SF) from its result.
 * BSF/BSR with a zero source leave the destination's value unchanged, as Intel cores do (a 32-bit
 * register destination is still zero-extended).
 */
final class BitOps {
    private BitOps() {}

    static void register(Handler[] t) {
        for (Mnemonic m : new Mnemonic[] {Mnemonic.BT, Mnemonic.BTS, Mnemonic.BTR, Mnemonic.BTC}) t[m.ordinal()] = BitOps::bitTest;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.BSF, Mnemonic.BSR, Mnemonic.LZCNT, Mnemonic.TZCNT, Mnemonic.POPCNT}) {
            t[m.ordinal()] = BitOps::scan;
        }
        for (Mnemonic m : new Mnemonic[] {Mnemonic.ANDN, Mnemonic.BEXTR, Mnemonic.BLSI, Mnemonic.BLSMSK, Mnemonic.BLSR,
            Mnemonic.BZHI}) t[m.ordinal()] = BitOps::bmi1;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.MULX, Mnemonic.PDEP, Mnemonic.PEXT, Mnemonic.RORX, Mnemonic.SARX,
            Mnemonic.SHLX, Mnemonic.SHRX}) t[m.ordinal()] = BitOps::bmi2;
        t[Mnemonic.ADCX.ordinal()] = BitOps::adcxAdox;
        t[Mnemonic.ADOX.ordinal()] = BitOps::adcxAdox;
        t[Mnemonic.CRC32.ordinal()] = BitOps::crc32;
    }

    /**
     * BT, BTS, BTR, BTC. With a register bit offset and a memory operand the offset is a signed
     * number that may reach far outside the addressed operand (SDM Vol. 2A "BT": bit base
     * addressing): the operand actually accessed is at ea + (offset >> log2(bits)) * size.
     */
    static boolean bitTest(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        int bits = size * 8;
        long offset = Operands.read(cpu, insn, 1);
        boolean memory = insn.opKind[0] == OperandKind.MEM;
        long address = 0;
        if (memory) {
            address = Operands.effectiveAddress(cpu, insn);
            if (insn.opKind[1] != OperandKind.IMM) {
                long signed = Operands.signExtend(offset, size);
                address = (address + (signed >> Integer.numberOfTrailingZeros(bits)) * size) & Operands.mask(insn.addressSize);
            }
        }
        int bit = (int) (offset & (bits - 1));
        Mnemonic m = insn.mnemonic;
        long old, r;
        while (true) {
            old = memory ? cpu.readMemory(insn.segment, address, size) : Operands.read(cpu, insn, 0);
            switch (m) {
                case BTS: r = old | (1L << bit); break;
                case BTR: r = old & ~(1L << bit); break;
                case BTC: r = old ^ (1L << bit); break;
                default: r = old;
            }
            if (m == Mnemonic.BT) break;
            if (!memory) { Operands.write(cpu, insn, 0, r); break; }
            if (!insn.hasPrefix(DecodedInstruction.PREFIX_LOCK)) { cpu.writeMemory(insn.segment, address, size, r); break; }
            if (cpu.lockedCompareExchange(insn.segment, address, size, old, r) == old) break;
        }
        FlagsUnit.setCarry(s, ((old >>> bit) & 1) != 0);
        return Handler.NEXT;
    }

    static boolean scan(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        int bits = size * 8;
        long src = Operands.read(cpu, insn, 1) & Operands.mask(size);
        switch (insn.mnemonic) {
            case BSF: case BSR:
                if (src != 0) {
                    long index = insn.mnemonic == Mnemonic.BSF
                        ? Long.numberOfTrailingZeros(src) : 63 - Long.numberOfLeadingZeros(src);
                    Operands.write(cpu, insn, 0, index);
                    // As after a logical operation on the index, but ZF = 0: the source was not zero.
                    FlagsUnit.set(s, CpuState.STATUS_FLAGS, FlagsUnit.zsp(index, size) & ~CpuState.ZF);
                } else {
                    // The destination keeps its value, but Intel cores write it back, so a 32-bit
                    // register loses bits 63:32 (Linux x86 bitops.h, quoting an Intel architect).
                    if (size == 4 && insn.opKind[0] == OperandKind.GPR) Operands.write(cpu, insn, 0, Operands.read(cpu, insn, 0));
                    FlagsUnit.setZero(s, true);
                }
                break;
            case LZCNT: case TZCNT: {
                long r = src == 0 ? bits : insn.mnemonic == Mnemonic.TZCNT
                    ? Long.numberOfTrailingZeros(src) : Long.numberOfLeadingZeros(src) - (64 - bits);
                Operands.write(cpu, insn, 0, r);
                FlagsUnit.set(s, CpuState.CF | CpuState.ZF, (src == 0 ? CpuState.CF : 0) | (r == 0 ? CpuState.ZF : 0));
                break;
            }
            default: { // POPCNT: ZF = (src == 0), OF SF AF CF PF cleared
                Operands.write(cpu, insn, 0, Long.bitCount(src));
                FlagsUnit.set(s, CpuState.STATUS_FLAGS, src == 0 ? CpuState.ZF : 0);
            }
        }
        return Handler.NEXT;
    }

    /** BMI1: ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI. Operands in Intel order. */
    static boolean bmi1(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        int bits = size * 8;
        long mask = Operands.mask(size);
        long r;
        boolean cf = false;
        switch (insn.mnemonic) {
            case ANDN: r = ~Operands.read(cpu, insn, 1) & Operands.read(cpu, insn, 2); break;
            case BEXTR: {
                long src = Operands.read(cpu, insn, 1), ctl = Operands.read(cpu, insn, 2);
                int start = (int) (ctl & 0xFF), len = (int) ((ctl >>> 8) & 0xFF);
                r = start >= bits ? 0 : src >>> start;
                if (len < 64) r &= (1L << len) - 1;
                break;
            }
            case BZHI: {
                long src = Operands.read(cpu, insn, 1);
                int n = (int) (Operands.read(cpu, insn, 2) & 0xFF);
                cf = n > bits - 1;
                r = cf ? src : src & ((1L << n) - 1);
                break;
            }
            default: {
                long src = Operands.read(cpu, insn, 1);
                cf = insn.mnemonic == Mnemonic.BLSI ? src != 0 : src == 0;
                r = insn.mnemonic == Mnemonic.BLSI ? -src & src
                    : insn.mnemonic == Mnemonic.BLSMSK ? (src - 1) ^ src : (src - 1) & src;
            }
        }
        r &= mask;
        Operands.write(cpu, insn, 0, r);
        long zf = r == 0 && insn.mnemonic != Mnemonic.BLSMSK ? CpuState.ZF : 0; // BLSMSK clears ZF
        long sf = FlagsUnit.msb(r, size) != 0 ? CpuState.SF : 0;
        // AF (undefined) is cleared as after every logical operation; PF (undefined) is kept,
        // except by BEXTR, which sets it from the result (docs/undefined-flags.md).
        long which = CpuState.CF | CpuState.ZF | CpuState.SF | CpuState.OF | CpuState.AF
            | (insn.mnemonic == Mnemonic.BEXTR ? CpuState.PF : 0);
        FlagsUnit.set(s, which, (cf ? CpuState.CF : 0) | zf | sf | FlagsUnit.zsp(r, size) & CpuState.PF);
        return Handler.NEXT;
    }

    /** BMI2: MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX; none of them affects flags. */
    static boolean bmi2(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        int bits = size * 8;
        long mask = Operands.mask(size);
        switch (insn.mnemonic) {
            case MULX: {
                long a = s.gpr[2] & mask, b = Operands.read(cpu, insn, 2);
                long lo, hi;
                if (size == 8) { lo = a * b; hi = MulDiv.unsignedMultiplyHigh(a, b); }
                else { long p = a * b; lo = p & mask; hi = p >>> 32; }
                // Low half first so that the high half wins when both destinations are the same register.
                Operands.write(cpu, insn, 1, lo);
                Operands.write(cpu, insn, 0, hi);
                return Handler.NEXT;
            }
            case PDEP: case PEXT: {
                long src = Operands.read(cpu, insn, 1), sel = Operands.read(cpu, insn, 2);
                Operands.write(cpu, insn, 0, insn.mnemonic == Mnemonic.PDEP ? deposit(src, sel) : extract(src, sel));
                return Handler.NEXT;
            }
            case RORX: {
                long a = Operands.read(cpu, insn, 1);
                int n = (int) (insn.imm & (bits - 1));
                Operands.write(cpu, insn, 0, n == 0 ? a : ((a >>> n) | (a << (bits - n))) & mask);
                return Handler.NEXT;
            }
            default: {
                long a = Operands.read(cpu, insn, 1);
                int n = (int) (Operands.read(cpu, insn, 2) & (bits - 1));
                long r = insn.mnemonic == Mnemonic.SHLX ? a << n
                    : insn.mnemonic == Mnemonic.SHRX ? a >>> n : Operands.signExtend(a, size) >> n;
                Operands.write(cpu, insn, 0, r & mask);
                return Handler.NEXT;
            }
        }
    }

    /** PDEP: scatter the low bits of src to the positions of the set bits of mask. */
    static long deposit(long src, long mask) {
        long r = 0;
        for (long m = mask; m != 0; m &= m - 1, src >>>= 1) {
            if ((src & 1) != 0) r |= Long.lowestOneBit(m);
        }
        return r;
    }

    /** PEXT: gather the bits of src at the set bits of mask into the low bits. */
    static long extract(long src, long mask) {
        long r = 0;
        int k = 0;
        for (long m = mask; m != 0; m &= m - 1, k++) {
            if ((src & Long.lowestOneBit(m)) != 0) r |= 1L << k;
        }
        return r;
    }

    /** ADCX (carry in/out through CF) and ADOX (through OF); no other flag changes. */
    static boolean adcxAdox(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        long flag = insn.mnemonic == Mnemonic.ADCX ? CpuState.CF : CpuState.OF;
        long a = Operands.read(cpu, insn, 0), b = Operands.read(cpu, insn, 1);
        long c = FlagsUnit.get(s, flag);
        long r = (a + b + c) & Operands.mask(size);
        long carry = ((a & b) | ((a | b) & ~r)) >>> (size * 8 - 1) & 1;
        Operands.write(cpu, insn, 0, r);
        FlagsUnit.set(s, flag, carry != 0 ? flag : 0);
        return Handler.NEXT;
    }

    /** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) lookup table. */
    private static final int[] CRC32C = new int[256];
    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c >>> 1) ^ ((c & 1) != 0 ? 0x82F63B78 : 0);
            CRC32C[i] = c;
        }
    }

    /** CRC32 r32/r64, r/m8/16/32/64: accumulate the source bytes, least significant first (SDM Vol. 2A "CRC32"). */
    static boolean crc32(Cpu cpu, DecodedInstruction insn) {
        long src = Operands.read(cpu, insn, 1);
        int crc = (int) Operands.read(cpu, insn, 0);
        for (int i = 0; i < insn.opSize[1]; i++) {
            crc = (crc >>> 8) ^ CRC32C[(crc ^ (int) (src >>> (8 * i))) & 0xFF];
        }
        Operands.write(cpu, insn, 0, crc & 0xFFFF_FFFFL);
        return Handler.NEXT;
    }
}
