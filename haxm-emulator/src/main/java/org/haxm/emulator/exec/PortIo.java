package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.InterceptInfo;
import org.haxm.emulator.SensitiveInstruction;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.SegmentRegister;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;
import org.haxm.emulator.mem.AccessType;

/**
 * Port I/O: IN, OUT, INS, OUTS (SDM Vol. 1 ch. 19). Order of events: the I/O permission check
 * (#GP(0), which has priority over a VM exit, SDM Vol. 3C §26.1.1), then the intercept hook,
 * then the access itself. INS probes its destination before reading the port so that a page
 * fault cannot swallow a port read's side effect.
 */
final class PortIo {
    private PortIo() {}

    private static final int RAX = 0, RDX = 2, RSI = 6, RDI = 7, ES = Segment.ES.ordinal();

    static void register(Handler[] t) {
        t[Mnemonic.IN.ordinal()] = PortIo::inOut;
        t[Mnemonic.OUT.ordinal()] = PortIo::inOut;
        t[Mnemonic.INS.ordinal()] = PortIo::string;
        t[Mnemonic.OUTS.ordinal()] = PortIo::string;
    }

    /**
     * I/O permission (SDM Vol. 1 §19.5): allowed outright in real mode or when CPL <= IOPL;
     * otherwise (and always in virtual-8086 mode) every bit of the port range in the TSS I/O
     * permission bitmap must be clear.
     */
    static void checkPermission(Cpu cpu, int port, int size) {
        CpuState s = cpu.state();
        if ((s.cr0 & CpuState.CR0_PE) == 0) return;
        long f = s.rflags();
        int iopl = (int) ((f & CpuState.IOPL) >>> 12);
        if ((f & CpuState.VM) == 0 && s.cpl() <= iopl) return;
        SegmentRegister tr = s.seg(Segment.TR);
        int type = tr.type();
        // Only a 32-bit (or 64-bit) TSS, available or busy, has a bitmap.
        if (tr.unusable() || (type != 9 && type != 11) || tr.limitUnsigned() < 0x67) throw cpu.fault(13, 0);
        long bitmap = cpu.readLinear(tr.base + 0x66, 2, AccessType.READ, true);
        long offset = bitmap + (port >>> 3);
        if (offset + 1 > tr.limitUnsigned()) throw cpu.fault(13, 0);
        long bits = cpu.readLinear(tr.base + offset, 2, AccessType.READ, true);
        if (((bits >>> (port & 7)) & ((1 << size) - 1)) != 0) throw cpu.fault(13, 0);
    }

    /** Fills the hook's record for an I/O instruction and asks the hook; true when it took a VM exit. */
    private static boolean intercept(Cpu cpu, DecodedInstruction insn, int port, int size, boolean in, boolean string,
                                  long linear) {
        InterceptInfo info = cpu.interceptInfo();
        info.kind = SensitiveInstruction.IO;
        info.mnemonic = insn.mnemonic;
        info.insn = insn;
        info.length = insn.length;
        info.port = port;
        info.size = size;
        info.in = in;
        info.string = string;
        info.rep = string && Strings.repeated(insn);
        info.immediate = !string && (insn.opKind[0] == OperandKind.IMM || insn.opKind[1] == OperandKind.IMM);
        info.linearAddress = linear;
        info.addressSize = insn.addressSize;
        info.segment = in ? ES : insn.segment;
        return Intercepts.offer(cpu, info);
    }

    /** IN AL/AX/EAX, imm8|DX and OUT imm8|DX, AL/AX/EAX. */
    static boolean inOut(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        boolean in = insn.mnemonic == Mnemonic.IN;
        int accOperand = in ? 0 : 1, portOperand = in ? 1 : 0;
        int size = insn.opSize[accOperand];
        int port = insn.opKind[portOperand] == OperandKind.IMM ? (int) (insn.imm & 0xFF) : (int) (s.gpr[RDX] & 0xFFFF);
        checkPermission(cpu, port, size);
        if (intercept(cpu, insn, port, size, in, false, 0)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        if (in) Operands.writeGpr(s, RAX, size, cpu.ports().in(port, size) & Operands.mask(size));
        else cpu.ports().out(port, size, (int) (s.gpr[RAX] & Operands.mask(size)));
        return Handler.NEXT;
    }

    /** INS/OUTS, one iteration per call with REP handled as in {@link Strings}. */
    static boolean string(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int as = insn.addressSize;
        boolean rep = Strings.repeated(insn);
        boolean in = insn.mnemonic == Mnemonic.INS;
        int size = insn.operandSize;
        int port = (int) (s.gpr[RDX] & 0xFFFF);
        // The I/O permission check comes before the count: REP INS/OUTS with a zero count still
        // #GPs without permission (the host CPU does; found by the differential test).
        checkPermission(cpu, port, size);
        if (rep && Operands.readCount(s, as) == 0) return Handler.NEXT;
        long d = Strings.step(s, size);
        if (in) {
            long di = s.gpr[RDI] & Operands.mask(as);
            if (intercept(cpu, insn, port, size, true, true, cpu.linearAddress(ES, di, size, true))) return Handler.RIP_SET;
            cpu.probeWrite(ES, di, size);
            long v = cpu.ports().in(port, size) & Operands.mask(size);
            cpu.writeMemory(ES, di, size, v);
            Operands.writeGpr(s, RDI, as, di + d);
        } else {
            long si = s.gpr[RSI] & Operands.mask(as);
            if (intercept(cpu, insn, port, size, false, true, cpu.linearAddress(insn.segment, si, size, false))) return Handler.RIP_SET;
            long v = cpu.readMemory(insn.segment, si, size);
            cpu.ports().out(port, size, (int) v);
            Operands.writeGpr(s, RSI, as, si + d);
        }
        return rep ? Strings.repeatAgain(cpu, insn, false) : Handler.NEXT;
    }
}
