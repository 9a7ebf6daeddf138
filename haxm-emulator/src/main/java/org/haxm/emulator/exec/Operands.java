package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Reads and writes the operands of a decoded instruction by their {@link OperandKind}, and the
 * size/address arithmetic every family needs. Allocation-free.
 */
public final class Operands {
    private Operands() {}

    /** All-ones mask of a {@code size}-byte value (size 1, 2, 4 or 8). */
    public static long mask(int size) { return size >= 8 ? -1L : (1L << (size * 8)) - 1; }

    /** Sign-extends the low {@code size} bytes of {@code v} to 64 bits. */
    public static long signExtend(long v, int size) {
        int shift = 64 - size * 8;
        return shift <= 0 ? v : (v << shift) >> shift;
    }

    /**
     * Reads {@code size} bytes of GPR {@code reg}. Byte registers 4..7 are SPL..DIL here; the
     * legacy AH..BH are a separate operand kind ({@link OperandKind#GPR_HIGH8}).
     */
    public static long readGpr(CpuState s, int reg, int size) { return s.gpr[reg] & mask(size); }

    /**
     * Writes a GPR with the 64-bit-mode rule of SDM Vol. 1 §3.4.1.1: 32-bit writes zero-extend to
     * 64 bits, 8- and 16-bit writes leave the upper bits alone. (Outside 64-bit mode the upper half
     * is invisible, so the same rule is harmless.)
     */
    public static void writeGpr(CpuState s, int reg, int size, long v) {
        switch (size) {
            case 1: s.gpr[reg] = (s.gpr[reg] & ~0xFFL) | (v & 0xFF); break;
            case 2: s.gpr[reg] = (s.gpr[reg] & ~0xFFFFL) | (v & 0xFFFF); break;
            case 4: s.gpr[reg] = v & 0xFFFF_FFFFL; break;
            default: s.gpr[reg] = v;
        }
    }

    /** Address of the next instruction: RIP + length, truncated to the code size (SDM Vol. 1 §3.5). */
    public static long nextRip(Cpu cpu, DecodedInstruction insn) {
        long ip = cpu.state().rip + insn.length;
        // The instruction was decoded for the current code size: no need to recompute it.
        return switch (insn.codeSize) {
            case 64 -> ip;
            case 32 -> ip & 0xFFFF_FFFFL;
            case 16 -> ip & 0xFFFF;
            default -> truncateIp(cpu, ip);
        };
    }

    /** Truncates an instruction pointer value to the current code size (16/32 bits outside 64-bit mode). */
    public static long truncateIp(Cpu cpu, long ip) {
        int cs = cpu.codeSize();
        return cs == 64 ? ip : cs == 32 ? ip & 0xFFFF_FFFFL : ip & 0xFFFF;
    }

    /**
     * Effective address of the ModRM/moffs memory operand: base + index*scale + disp (+ next RIP
     * when RIP-relative), truncated to the address size (SDM Vol. 1 §3.7.5). The segment base is
     * added later by the CPU's segmentation.
     */
    public static long effectiveAddress(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        long ea = insn.disp;
        if (insn.base >= 0) ea += s.gpr[insn.base];
        if (insn.index >= 0) ea += s.gpr[insn.index] * insn.scale;
        if (insn.ripRelative) ea += s.rip + insn.length;
        return ea & mask(insn.addressSize);
    }

    /** Value of operand {@code i}, zero-extended from its size. */
    public static long read(Cpu cpu, DecodedInstruction insn, int i) {
        CpuState s = cpu.state();
        int size = insn.opSize[i];
        switch (insn.opKind[i]) {
            case OperandKind.GPR: return s.gpr[insn.opReg[i]] & mask(size);
            case OperandKind.GPR_HIGH8: return (s.gpr[insn.opReg[i]] >>> 8) & 0xFF;
            case OperandKind.MEM: return cpu.readMemory(insn.segment, effectiveAddress(cpu, insn), size);
            case OperandKind.IMM: return insn.imm & mask(size);
            case OperandKind.IMM2: return insn.imm2 & mask(size);
            case OperandKind.ONE: return 1;
            case OperandKind.SREG: return s.seg[insn.opReg[i]].selector;
            default: throw cpu.fault(6, -1); // no value: only reachable with a decoder/executor mismatch
        }
    }

    /** Writes operand {@code i} (GPR with the zero-extension rule, AH..BH, or memory). */
    public static void write(Cpu cpu, DecodedInstruction insn, int i, long value) {
        CpuState s = cpu.state();
        switch (insn.opKind[i]) {
            case OperandKind.GPR: writeGpr(s, insn.opReg[i], insn.opSize[i], value); break;
            case OperandKind.GPR_HIGH8: {
                int r = insn.opReg[i];
                s.gpr[r] = (s.gpr[r] & ~0xFF00L) | ((value & 0xFF) << 8);
                break;
            }
            case OperandKind.MEM:
                cpu.writeMemory(insn.segment, effectiveAddress(cpu, insn), insn.opSize[i], value);
                break;
            default: throw cpu.fault(6, -1);
        }
    }

    /** True when operand {@code i} is a memory reference. */
    public static boolean isMemory(DecodedInstruction insn, int i) { return insn.opKind[i] == OperandKind.MEM; }

    /** True when a memory destination must be updated atomically (LOCK prefix; SDM Vol. 3A §9.1.2.2). */
    public static boolean locked(DecodedInstruction insn) {
        return insn.hasPrefix(DecodedInstruction.PREFIX_LOCK) && insn.opKind[0] == OperandKind.MEM;
    }

    /**
     * Stores a read-modify-write result atomically: succeeds only if memory still holds
     * {@code old}. Returns the value memory held; the caller retries when it differs from {@code old}.
     */
    public static long compareExchange(Cpu cpu, DecodedInstruction insn, int size, long old, long update) {
        return cpu.lockedCompareExchange(insn.segment, effectiveAddress(cpu, insn), size, old & mask(size),
            update & mask(size)) & mask(size);
    }

    /** Count register (CX/ECX/RCX) width by address size, used by LOOP, JCXZ and REP. */
    public static long readCount(CpuState s, int addressSize) { return s.gpr[1] & mask(addressSize); }

    /** Reads {@code size} bytes of a GPR addressed by address size (rSI/rDI/rCX) and writes it back. */
    public static void writeAddressRegister(CpuState s, int reg, int addressSize, long v) {
        writeGpr(s, reg, addressSize, v);
    }
}
