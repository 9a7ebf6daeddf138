package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Data movement (SDM Vol. 1 §7.3.1): MOV (GPR/memory/immediate/segment forms; control and debug
 * register forms go to {@link SystemOps}), MOVZX/MOVSX/MOVSXD, LEA, XCHG, CMPXCHG, CMPXCHG8B/16B,
 * XADD, BSWAP, MOVBE, CMOVcc, SETcc, the CBW/CWD families, XLAT and LDS/LES/LFS/LGS/LSS.
 */
final class DataMove {
    private DataMove() {}

    static void register(Handler[] t) {
        t[Mnemonic.MOV.ordinal()] = DataMove::mov;
        t[Mnemonic.MOVNTI.ordinal()] = DataMove::mov;
        t[Mnemonic.MOVZX.ordinal()] = DataMove::extend;
        t[Mnemonic.MOVSX.ordinal()] = DataMove::extend;
        t[Mnemonic.MOVSXD.ordinal()] = DataMove::extend;
        t[Mnemonic.LEA.ordinal()] = DataMove::lea;
        t[Mnemonic.XCHG.ordinal()] = DataMove::xchg;
        t[Mnemonic.CMPXCHG.ordinal()] = DataMove::cmpxchg;
        t[Mnemonic.CMPXCHG8B.ordinal()] = DataMove::cmpxchgDouble;
        t[Mnemonic.CMPXCHG16B.ordinal()] = DataMove::cmpxchgDouble;
        t[Mnemonic.XADD.ordinal()] = DataMove::xadd;
        t[Mnemonic.BSWAP.ordinal()] = DataMove::bswap;
        t[Mnemonic.MOVBE.ordinal()] = DataMove::movbe;
        for (int cc = 0; cc < 16; cc++) {
            t[Mnemonic.cmov(cc).ordinal()] = DataMove::cmov;
            t[Mnemonic.set(cc).ordinal()] = DataMove::setcc;
        }
        for (Mnemonic m : new Mnemonic[] {Mnemonic.CBW, Mnemonic.CWDE, Mnemonic.CDQE, Mnemonic.CWD, Mnemonic.CDQ, Mnemonic.CQO}) {
            t[m.ordinal()] = DataMove::convert;
        }
        t[Mnemonic.XLAT.ordinal()] = DataMove::xlat;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.LDS, Mnemonic.LES, Mnemonic.LFS, Mnemonic.LGS, Mnemonic.LSS}) {
            t[m.ordinal()] = DataMove::loadFarPointer;
        }
    }

    static boolean mov(Cpu cpu, DecodedInstruction insn) {
        int k0 = insn.opKind[0], k1 = insn.opKind[1];
        if (k0 == OperandKind.CREG || k1 == OperandKind.CREG) return SystemOps.movCr(cpu, insn);
        if (k0 == OperandKind.DREG || k1 == OperandKind.DREG) return SystemOps.movDr(cpu, insn);
        if (k0 == OperandKind.SREG) return movToSreg(cpu, insn);
        long v = Operands.read(cpu, insn, 1);
        Operands.write(cpu, insn, 0, v);
        return Handler.NEXT;
    }

    /**
     * MOV Sreg, r/m16. Loading CS this way is #UD; loading SS inhibits interrupts until after
     * the next instruction (SDM Vol. 3A §6.8.3).
     */
    private static boolean movToSreg(Cpu cpu, DecodedInstruction insn) {
        int sreg = insn.opReg[0];
        if (sreg == Segment.CS.ordinal() || sreg > Segment.GS.ordinal()) throw cpu.fault(6, -1);
        int selector = (int) Operands.read(cpu, insn, 1) & 0xFFFF;
        cpu.loadSegment(Segment.of(sreg), selector);
        if (sreg == Segment.SS.ordinal()) cpu.state().interruptibility |= CpuState.BLOCKING_BY_MOV_SS;
        return Handler.NEXT;
    }

    static boolean extend(Cpu cpu, DecodedInstruction insn) {
        long v = Operands.read(cpu, insn, 1);
        if (insn.mnemonic != Mnemonic.MOVZX) v = Operands.signExtend(v, insn.opSize[1]);
        Operands.write(cpu, insn, 0, v);
        return Handler.NEXT;
    }

    /** LEA: the effective address (no segment, no memory access), truncated to the operand size. */
    static boolean lea(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[1] != OperandKind.MEM) throw cpu.fault(6, -1);
        Operands.write(cpu, insn, 0, Operands.effectiveAddress(cpu, insn));
        return Handler.NEXT;
    }

    /** XCHG: with a memory operand the exchange is always atomic (SDM Vol. 2B "XCHG"). */
    static boolean xchg(Cpu cpu, DecodedInstruction insn) {
        int mem = insn.memoryOperand();
        if (mem < 0) {
            long a = Operands.read(cpu, insn, 0), b = Operands.read(cpu, insn, 1);
            Operands.write(cpu, insn, 0, b);
            Operands.write(cpu, insn, 1, a);
            return Handler.NEXT;
        }
        int reg = 1 - mem;
        int size = insn.opSize[mem];
        long r = Operands.read(cpu, insn, reg);
        long old;
        do {
            old = Operands.read(cpu, insn, mem);
        } while (Operands.compareExchange(cpu, insn, size, old, r) != old);
        Operands.write(cpu, insn, reg, old);
        return Handler.NEXT;
    }

    /**
     * CMPXCHG r/m, r: compare the accumulator with the destination; equal → destination := source,
     * else accumulator := destination. A memory destination is always written (with its own value
     * when the comparison fails), so write faults happen either way. Flags as CMP acc, dest.
     */
    static boolean cmpxchg(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int size = insn.opSize[0];
        long acc = Operands.readGpr(s, 0, size);
        long src = Operands.read(cpu, insn, 1);
        long dest;
        if (Operands.locked(insn)) {
            dest = Operands.compareExchange(cpu, insn, size, acc, src);
        } else {
            dest = Operands.read(cpu, insn, 0);
            if (insn.opKind[0] == OperandKind.MEM) Operands.write(cpu, insn, 0, dest == acc ? src : dest);
            else if (dest == acc) Operands.write(cpu, insn, 0, src);
        }
        // In 64-bit mode a failing 32-bit CMPXCHG writes EAX (zero-extending RAX).
        if (dest != acc) Operands.writeGpr(s, 0, size, dest);
        FlagsUnit.afterSub(s, (acc - dest) & Operands.mask(size), acc, dest, size);
        return Handler.NEXT;
    }

    /**
     * CMPXCHG8B m64 / CMPXCHG16B m128: compare rDX:rAX with memory; equal → memory := rCX:rBX,
     * ZF=1; else rDX:rAX := memory, ZF=0. CMPXCHG16B needs a 16-byte-aligned operand (#GP(0)).
     * The 16-byte form is atomic only per 8-byte half (memory accesses are at most 8 bytes).
     */
    static boolean cmpxchgDouble(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (insn.opKind[0] != OperandKind.MEM) throw cpu.fault(6, -1);
        long ea = Operands.effectiveAddress(cpu, insn);
        int seg = insn.segment;
        if (insn.mnemonic == Mnemonic.CMPXCHG8B) {
            long expected = (s.gpr[2] << 32) | (s.gpr[0] & 0xFFFF_FFFFL);
            long update = (s.gpr[1] << 32) | (s.gpr[3] & 0xFFFF_FFFFL);
            long old;
            if (insn.hasPrefix(DecodedInstruction.PREFIX_LOCK)) {
                old = cpu.lockedCompareExchange(seg, ea, 8, expected, update);
            } else {
                old = cpu.readMemory(seg, ea, 8);
                cpu.writeMemory(seg, ea, 8, old == expected ? update : old);
            }
            if (old != expected) {
                Operands.writeGpr(s, 0, 4, old);
                Operands.writeGpr(s, 2, 4, old >>> 32);
            }
            FlagsUnit.setZero(s, old == expected);
            return Handler.NEXT;
        }
        if ((ea & 15) != 0) throw cpu.fault(13, 0);
        long ea2 = (ea + 8) & Operands.mask(insn.addressSize);
        cpu.probeWrite(seg, ea, 8);
        cpu.probeWrite(seg, ea2, 8);
        long lo = cpu.readMemory(seg, ea, 8), hi = cpu.readMemory(seg, ea2, 8);
        boolean equal = lo == s.gpr[0] && hi == s.gpr[2];
        cpu.writeMemory(seg, ea, 8, equal ? s.gpr[3] : lo);
        cpu.writeMemory(seg, ea2, 8, equal ? s.gpr[1] : hi);
        if (!equal) { s.gpr[0] = lo; s.gpr[2] = hi; }
        FlagsUnit.setZero(s, equal);
        return Handler.NEXT;
    }

    /** XADD r/m, r: temp := dest + src; src := dest; dest := temp. Flags as ADD. */
    static boolean xadd(Cpu cpu, DecodedInstruction insn) {
        int size = insn.opSize[0];
        long src = Operands.read(cpu, insn, 1);
        boolean locked = Operands.locked(insn);
        long dest, sum;
        while (true) {
            dest = Operands.read(cpu, insn, 0);
            sum = (dest + src) & Operands.mask(size);
            if (!locked) { Operands.write(cpu, insn, 0, sum); break; }
            if (Operands.compareExchange(cpu, insn, size, dest, sum) == dest) break;
        }
        // SDM order: TEMP := SRC + DEST; SRC := DEST; DEST := TEMP, so for XADD r, r the sum wins.
        // A memory destination was written above: writing it again after SRC changed would use an
        // address computed from the new SRC when SRC is also the base or index (found by the
        // differential test: "lock xadd [eax+0x1a], ax").
        Operands.write(cpu, insn, 1, dest);
        if (!Operands.isMemory(insn, 0)) Operands.write(cpu, insn, 0, sum);
        FlagsUnit.afterAdd(cpu.state(), sum, dest, src, size);
        return Handler.NEXT;
    }

    /** BSWAP r32/r64. With a 16-bit operand the SDM says "undefined"; Intel cores produce 0. */
    static boolean bswap(Cpu cpu, DecodedInstruction insn) {
        int size = insn.opSize[0];
        long v = Operands.read(cpu, insn, 0);
        long r = size == 8 ? Long.reverseBytes(v) : size == 4 ? Integer.reverseBytes((int) v) & 0xFFFF_FFFFL : 0;
        Operands.write(cpu, insn, 0, r);
        return Handler.NEXT;
    }

    static long swapBytes(long v, int size) {
        return size == 8 ? Long.reverseBytes(v) : size == 4 ? Integer.reverseBytes((int) v) & 0xFFFF_FFFFL
            : Short.reverseBytes((short) v) & 0xFFFF;
    }

    /** MOVBE: a load or store with the bytes reversed. */
    static boolean movbe(Cpu cpu, DecodedInstruction insn) {
        long v = Operands.read(cpu, insn, 1);
        Operands.write(cpu, insn, 0, swapBytes(v, insn.opSize[0]));
        return Handler.NEXT;
    }

    /**
     * CMOVcc: the source is read (and may fault) whatever the condition; a 32-bit destination is
     * zero-extended in 64-bit mode even when the condition is false (SDM Vol. 2A "CMOVcc").
     */
    static boolean cmov(Cpu cpu, DecodedInstruction insn) {
        long src = Operands.read(cpu, insn, 1);
        boolean cond = FlagsUnit.condition(cpu.state(), insn.mnemonic.conditionCode());
        Operands.write(cpu, insn, 0, cond ? src : Operands.read(cpu, insn, 0));
        return Handler.NEXT;
    }

    static boolean setcc(Cpu cpu, DecodedInstruction insn) {
        Operands.write(cpu, insn, 0, FlagsUnit.condition(cpu.state(), insn.mnemonic.conditionCode()) ? 1 : 0);
        return Handler.NEXT;
    }

    /** CBW/CWDE/CDQE widen the accumulator in place; CWD/CDQ/CQO copy its sign into rDX. */
    static boolean convert(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        switch (insn.mnemonic) {
            case CBW: Operands.writeGpr(s, 0, 2, Operands.signExtend(s.gpr[0], 1)); break;
            case CWDE: Operands.writeGpr(s, 0, 4, Operands.signExtend(s.gpr[0], 2)); break;
            case CDQE: s.gpr[0] = Operands.signExtend(s.gpr[0], 4); break;
            case CWD: Operands.writeGpr(s, 2, 2, Operands.signExtend(s.gpr[0], 2) >> 16); break;
            case CDQ: Operands.writeGpr(s, 2, 4, Operands.signExtend(s.gpr[0], 4) >> 32); break;
            default: s.gpr[2] = s.gpr[0] >> 63; // CQO
        }
        return Handler.NEXT;
    }

    /** XLAT: AL := [seg:rBX + AL] with the address size's rBX. */
    static boolean xlat(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        long ea = (s.gpr[3] + (s.gpr[0] & 0xFF)) & Operands.mask(insn.addressSize);
        Operands.writeGpr(s, 0, 1, cpu.readMemory(insn.segment, ea, 1));
        return Handler.NEXT;
    }

    /** LDS/LES/LFS/LGS/LSS r, m16:16/32/64: offset first, selector after it (SDM Vol. 2A "LDS"). */
    static boolean loadFarPointer(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[1] != OperandKind.MEM) throw cpu.fault(6, -1);
        int size = insn.opSize[0];
        long ea = Operands.effectiveAddress(cpu, insn);
        long offset = cpu.readMemory(insn.segment, ea, size);
        int selector = (int) cpu.readMemory(insn.segment, (ea + size) & Operands.mask(insn.addressSize), 2);
        Segment target;
        switch (insn.mnemonic) {
            case LDS: target = Segment.DS; break;
            case LES: target = Segment.ES; break;
            case LFS: target = Segment.FS; break;
            case LGS: target = Segment.GS; break;
            default: target = Segment.SS;
        }
        cpu.loadSegment(target, selector);
        Operands.write(cpu, insn, 0, offset); // (LSS, unlike MOV SS, does not block interrupts)
        return Handler.NEXT;
    }
}
