package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Descriptor;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.SegmentRegister;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.mem.AccessType;

/**
 * Descriptor inspection for unprivileged code (SDM Vol. 2A "LAR", "LSL", Vol. 2B "VERR/VERW",
 * Vol. 2A "ARPL"): these never fault on a bad selector, they report through ZF. All are #UD in
 * real-address and virtual-8086 mode.
 */
final class DescriptorOps {
    private DescriptorOps() {}

    static void register(Handler[] t) {
        for (Mnemonic m : new Mnemonic[] {Mnemonic.LAR, Mnemonic.LSL, Mnemonic.VERR, Mnemonic.VERW}) {
            t[m.ordinal()] = DescriptorOps::inspect;
        }
        t[Mnemonic.ARPL.ordinal()] = DescriptorOps::arpl;
    }

    private static boolean notProtected(CpuState s) {
        return (s.cr0 & CpuState.CR0_PE) == 0 || (s.rflags() & CpuState.VM) != 0;
    }

    /**
     * The 8-byte descriptor a selector names in the GDT or LDT, or 0 when the selector is null
     * or beyond the table limit (a descriptor of all zeros is never valid for these instructions).
     */
    static long fetchDescriptor(Cpu cpu, int selector) {
        CpuState s = cpu.state();
        if ((selector & ~3) == 0) return 0;
        long base;
        long limit;
        if ((selector & 4) != 0) {
            SegmentRegister ldtr = s.seg(Segment.LDTR);
            if (ldtr.unusable() || ldtr.selector == 0) return 0;
            base = ldtr.base;
            limit = ldtr.limitUnsigned();
        } else {
            base = s.gdtrBase;
            limit = s.gdtrLimit & 0xFFFF;
        }
        long offset = selector & ~7L;
        if (offset + 7 > limit) return 0;
        return cpu.readLinear(base + offset, 8, AccessType.READ, true);
    }

    /** System types LAR (when {@code lar}) or LSL accept; 64-bit mode accepts only LDT and 64-bit TSS/call gate. */
    private static boolean systemTypeOk(int type, boolean lar, boolean mode64) {
        if (mode64) return type == 2 || type == 9 || type == 11 || (lar && type == 12);
        switch (type) {
            case 1: case 2: case 3: case 9: case 11: return true;
            case 4: case 5: case 12: return lar;
            default: return false;
        }
    }

    static boolean inspect(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (notProtected(s)) throw cpu.fault(6, -1);
        Mnemonic m = insn.mnemonic;
        int operand = m == Mnemonic.VERR || m == Mnemonic.VERW ? 0 : 1;
        int selector = (int) Operands.read(cpu, insn, operand) & 0xFFFF;
        long d = fetchDescriptor(cpu, selector);
        boolean ok = d != 0;
        if (ok) {
            int type = Descriptor.type(d);
            boolean conformingCode = !Descriptor.system(d) && (type & 0xC) == 0xC;
            int dpl = Descriptor.dpl(d);
            boolean privilegeOk = conformingCode && (m == Mnemonic.LAR || m == Mnemonic.LSL || m == Mnemonic.VERR)
                || dpl >= s.cpl() && dpl >= (selector & 3);
            switch (m) {
                case LAR: case LSL:
                    ok = privilegeOk && (!Descriptor.system(d) || systemTypeOk(type, m == Mnemonic.LAR, cpu.codeSize() == 64));
                    break;
                case VERR: // readable code or any data segment
                    ok = privilegeOk && !Descriptor.system(d) && (!Descriptor.code(d) || (type & Descriptor.TYPE_READABLE) != 0);
                    break;
                default:   // VERW: writable data segment
                    ok = privilegeOk && !Descriptor.system(d) && !Descriptor.code(d) && (type & Descriptor.TYPE_WRITABLE) != 0;
            }
        }
        if (ok && m == Mnemonic.LAR) {
            long ar = (d >>> 32) & (insn.opSize[0] == 2 ? 0xFF00 : 0x00F0_FF00L);
            Operands.write(cpu, insn, 0, ar);
        } else if (ok && m == Mnemonic.LSL) {
            Operands.write(cpu, insn, 0, Descriptor.limit(d) & 0xFFFF_FFFFL);
        }
        FlagsUnit.setZero(s, ok);
        return Handler.NEXT;
    }

    /** ARPL r/m16, r16: raise the destination selector's RPL to the source's (ZF=1), else ZF=0. */
    static boolean arpl(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (notProtected(s)) throw cpu.fault(6, -1);
        long dest = Operands.read(cpu, insn, 0), src = Operands.read(cpu, insn, 1);
        boolean adjust = (dest & 3) < (src & 3);
        if (adjust) Operands.write(cpu, insn, 0, (dest & ~3L) | (src & 3));
        FlagsUnit.setZero(s, adjust);
        return Handler.NEXT;
    }
}
