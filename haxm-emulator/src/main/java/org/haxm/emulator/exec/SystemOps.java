package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.InterceptInfo;
import org.haxm.emulator.SensitiveInstruction;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * System instructions (SDM Vol. 3A §2.8): MOV to/from CR and DR, CLTS, LMSW, SMSW, LGDT/LIDT/
 * SGDT/SIDT, LLDT/LTR/SLDT/STR, RDMSR/WRMSR, INVLPG/INVPCID, WBINVD/INVD, XGETBV/XSETBV, SWAPGS,
 * and the VMX/SMX instructions. Each checks its own #UD/#GP conditions, then asks the intercept
 * hook, then acts.
 */
final class SystemOps {
    private SystemOps() {}

    private static final int RAX = 0, RCX = 1, RDX = 2;

    static void register(Handler[] t) {
        t[Mnemonic.CLTS.ordinal()] = SystemOps::clts;
        t[Mnemonic.LMSW.ordinal()] = SystemOps::lmsw;
        t[Mnemonic.SMSW.ordinal()] = SystemOps::smsw;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.LGDT, Mnemonic.LIDT}) t[m.ordinal()] = SystemOps::loadTableRegister;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.SGDT, Mnemonic.SIDT}) t[m.ordinal()] = SystemOps::storeTableRegister;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.LLDT, Mnemonic.LTR}) t[m.ordinal()] = SystemOps::loadSystemSegment;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.SLDT, Mnemonic.STR}) t[m.ordinal()] = SystemOps::storeSystemSegment;
        t[Mnemonic.RDMSR.ordinal()] = SystemOps::rdmsr;
        t[Mnemonic.WRMSR.ordinal()] = SystemOps::wrmsr;
        t[Mnemonic.INVLPG.ordinal()] = SystemOps::invlpg;
        t[Mnemonic.INVPCID.ordinal()] = SystemOps::invpcid;
        t[Mnemonic.WBINVD.ordinal()] = SystemOps::cacheControl;
        t[Mnemonic.INVD.ordinal()] = SystemOps::cacheControl;
        t[Mnemonic.XGETBV.ordinal()] = SystemOps::xgetbv;
        t[Mnemonic.XSETBV.ordinal()] = SystemOps::xsetbv;
        t[Mnemonic.SWAPGS.ordinal()] = SystemOps::swapgs;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.VMCALL, Mnemonic.VMLAUNCH, Mnemonic.VMRESUME, Mnemonic.VMXOFF,
            Mnemonic.VMCLEAR, Mnemonic.VMPTRLD, Mnemonic.VMPTRST, Mnemonic.VMREAD, Mnemonic.VMWRITE, Mnemonic.VMXON,
            Mnemonic.INVEPT, Mnemonic.INVVPID, Mnemonic.VMFUNC}) t[m.ordinal()] = SystemOps::vmx;
        t[Mnemonic.GETSEC.ordinal()] = SystemOps::getsec;
    }

    /**
     * MOV CRn, r / MOV r, CRn (SDM Vol. 2B "MOV—Move to/from Control Registers"): CPL 0 only;
     * CR1, CR5-7, CR9-15 are #UD; the register operand is 64-bit in 64-bit mode, else 32-bit.
     * MOV to CR0/3/4/8 and MOV from CR3/CR8 are reported to the hook (the VMX-interceptable ones).
     */
    static boolean movCr(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        boolean toCr = insn.opKind[0] == OperandKind.CREG;
        int cr = insn.opReg[toCr ? 0 : 1];
        int gpr = insn.opReg[toCr ? 1 : 0];
        if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8) throw cpu.fault(6, -1);
        Intercepts.requireCpl0(cpu);
        int size = cpu.codeSize() == 64 ? 8 : 4;
        if (toCr) {
            long value = s.gpr[gpr] & Operands.mask(size);
            if (cr != 2) {
                InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.MOV_TO_CR);
                info.crNumber = cr;
                info.gpr = gpr;
                info.value = value;
                if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
            }
            cpu.writeCr(cr, value);
        } else {
            if (cr == 3 || cr == 8) {
                InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.MOV_FROM_CR);
                info.crNumber = cr;
                info.gpr = gpr;
                if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
            }
            Operands.writeGpr(s, gpr, size, cpu.readCr(cr));
        }
        return Handler.NEXT;
    }

    /**
     * MOV DRn, r / MOV r, DRn: CPL 0; DR4/DR5 alias DR6/DR7 unless CR4.DE makes them #UD
     * (SDM Vol. 3B §17.2.2). DR7.GD (general-detect #DB) is not modelled.
     */
    static boolean movDr(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        boolean toDr = insn.opKind[0] == OperandKind.DREG;
        int dr = insn.opReg[toDr ? 0 : 1];
        int gpr = insn.opReg[toDr ? 1 : 0];
        if (dr > 7) throw cpu.fault(6, -1);
        if (dr == 4 || dr == 5) {
            if ((s.cr4 & CpuState.CR4_DE) != 0) throw cpu.fault(6, -1);
            dr += 2;
        }
        Intercepts.requireCpl0(cpu);
        int size = cpu.codeSize() == 64 ? 8 : 4;
        long value = s.gpr[gpr] & Operands.mask(size);
        // DR6/DR7 bits 63:32 are reserved: writing 1s there is #GP(0).
        if (toDr && dr >= 6 && (value >>> 32) != 0) throw cpu.fault(13, 0);
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.MOV_DR);
        info.crNumber = dr;
        info.gpr = gpr;
        info.fromRegister = !toDr;
        info.value = value;
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        if (!toDr) Operands.writeGpr(s, gpr, size, s.dr[dr]);
        else if (dr == 6) s.dr[6] = (value & 0x0001E00FL) | 0xFFFE0FF0L;   // fixed-1 bits stay set
        else if (dr == 7) s.dr[7] = (value & 0xFFFF2BFFL) | 0x400;         // bit 10 reads as 1
        else s.dr[dr] = value;
        return Handler.NEXT;
    }

    static boolean clts(Cpu cpu, DecodedInstruction insn) {
        Intercepts.requireCpl0(cpu);
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.CLTS);
        info.crNumber = 0;
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        cpu.writeCr(0, cpu.readCr(0) & ~CpuState.CR0_TS);
        return Handler.NEXT;
    }

    /** LMSW: loads CR0 bits 3:0 (PE, MP, EM, TS); PE can be set but never cleared (SDM Vol. 2A "LMSW"). */
    static boolean lmsw(Cpu cpu, DecodedInstruction insn) {
        Intercepts.requireCpl0(cpu);
        long src = Operands.read(cpu, insn, 0) & 0xFFFF;
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.LMSW);
        info.crNumber = 0;
        info.value = src;
        info.lmswMemory = insn.opKind[0] == OperandKind.MEM;
        info.linearAddress = info.lmswMemory
            ? cpu.linearAddress(insn.segment, Operands.effectiveAddress(cpu, insn), 2, false) : 0;
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        long cr0 = cpu.readCr(0);
        cpu.writeCr(0, (cr0 & ~0xFL) | (src & 0xF) | (cr0 & CpuState.CR0_PE));
        return Handler.NEXT;
    }

    /** With CR4.UMIP, SGDT/SIDT/SLDT/STR/SMSW at CPL > 0 are #GP(0) (SDM Vol. 3A §2.5). */
    private static void checkUmip(Cpu cpu) {
        CpuState s = cpu.state();
        if ((s.cr4 & CpuState.CR4_UMIP) != 0 && s.cpl() > 0) throw cpu.fault(13, 0);
    }

    /** SMSW: register form stores CR0 at the operand size; memory form stores 16 bits. Not intercepted. */
    static boolean smsw(Cpu cpu, DecodedInstruction insn) {
        checkUmip(cpu);
        Operands.write(cpu, insn, 0, cpu.readCr(0));
        return Handler.NEXT;
    }

    /**
     * LGDT/LIDT m16&32 / m16&64: limit then base. Outside 64-bit mode a 16-bit operand size
     * keeps only base bits 23:0 (SDM Vol. 2A "LGDT/LIDT").
     */
    static boolean loadTableRegister(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[0] != OperandKind.MEM) throw cpu.fault(6, -1);
        Intercepts.requireCpl0(cpu);
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.DESCRIPTOR_TABLE)) return Handler.RIP_SET;
        CpuState s = cpu.state();
        long ea = Operands.effectiveAddress(cpu, insn);
        int limit = (int) cpu.readMemory(insn.segment, ea, 2);
        boolean long64 = cpu.codeSize() == 64;
        long base = cpu.readMemory(insn.segment, (ea + 2) & Operands.mask(insn.addressSize), long64 ? 8 : 4);
        if (!long64 && insn.operandSize == 2) base &= 0xFF_FFFF;
        if (long64 && ((base << 16) >> 16) != base) throw cpu.fault(13, 0);
        if (insn.mnemonic == Mnemonic.LGDT) { s.gdtrBase = base; s.gdtrLimit = limit; }
        else { s.idtrBase = base; s.idtrLimit = limit; }
        return Handler.NEXT;
    }

    /** SGDT/SIDT: stores the 16-bit limit and a 32-bit (64-bit in 64-bit mode) base. */
    static boolean storeTableRegister(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[0] != OperandKind.MEM) throw cpu.fault(6, -1);
        checkUmip(cpu);
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.DESCRIPTOR_TABLE)) return Handler.RIP_SET;
        CpuState s = cpu.state();
        boolean gdt = insn.mnemonic == Mnemonic.SGDT;
        long ea = Operands.effectiveAddress(cpu, insn);
        int baseSize = cpu.codeSize() == 64 ? 8 : 4;
        cpu.probeWrite(insn.segment, ea, 2);
        cpu.probeWrite(insn.segment, (ea + 2) & Operands.mask(insn.addressSize), baseSize);
        cpu.writeMemory(insn.segment, ea, 2, gdt ? s.gdtrLimit : s.idtrLimit);
        cpu.writeMemory(insn.segment, (ea + 2) & Operands.mask(insn.addressSize), baseSize, gdt ? s.gdtrBase : s.idtrBase);
        return Handler.NEXT;
    }

    /** True in real-address or virtual-8086 mode, where LLDT/LTR/SLDT/STR are #UD. */
    private static boolean notProtected(CpuState s) {
        return (s.cr0 & CpuState.CR0_PE) == 0 || (s.rflags() & CpuState.VM) != 0;
    }

    /** LLDT/LTR r/m16: descriptor checks and loading are the CPU's (loadSegment on LDTR/TR). */
    static boolean loadSystemSegment(Cpu cpu, DecodedInstruction insn) {
        if (notProtected(cpu.state())) throw cpu.fault(6, -1);
        Intercepts.requireCpl0(cpu);
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.LDTR_TR)) return Handler.RIP_SET;
        int selector = (int) Operands.read(cpu, insn, 0) & 0xFFFF;
        cpu.loadSegment(insn.mnemonic == Mnemonic.LLDT ? Segment.LDTR : Segment.TR, selector);
        return Handler.NEXT;
    }

    /** SLDT/STR: the selector, zero-extended to a register operand, 16 bits to memory. */
    static boolean storeSystemSegment(Cpu cpu, DecodedInstruction insn) {
        if (notProtected(cpu.state())) throw cpu.fault(6, -1);
        checkUmip(cpu);
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.LDTR_TR)) return Handler.RIP_SET;
        Segment sreg = insn.mnemonic == Mnemonic.SLDT ? Segment.LDTR : Segment.TR;
        Operands.write(cpu, insn, 0, cpu.state().seg(sreg).selector);
        return Handler.NEXT;
    }

    /** RDMSR: EDX:EAX := MSR[ECX]; unknown MSRs are #GP(0) from {@link Cpu#readMsr}. */
    static boolean rdmsr(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        Intercepts.requireCpl0(cpu);
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.RDMSR);
        info.msr = (int) s.gpr[RCX];
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        long v = cpu.readMsr((int) s.gpr[RCX]);
        Operands.writeGpr(s, RAX, 4, v);
        Operands.writeGpr(s, RDX, 4, v >>> 32);
        return Handler.NEXT;
    }

    /** WRMSR: MSR[ECX] := EDX:EAX. */
    static boolean wrmsr(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        Intercepts.requireCpl0(cpu);
        long value = (s.gpr[RDX] << 32) | (s.gpr[RAX] & 0xFFFF_FFFFL);
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.WRMSR);
        info.msr = (int) s.gpr[RCX];
        info.value = value;
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        cpu.writeMsr((int) s.gpr[RCX], value);
        return Handler.NEXT;
    }

    /** INVLPG m: natively invalidates the translation of the page holding m (SDM Vol. 3A §4.10.4.1). */
    static boolean invlpg(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[0] != OperandKind.MEM) throw cpu.fault(6, -1);
        Intercepts.requireCpl0(cpu);
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.INVLPG);
        info.linearAddress = cpu.linearAddress(insn.segment, Operands.effectiveAddress(cpu, insn), 1, false);
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        cpu.invalidatePage(info.linearAddress);
        return Handler.NEXT;
    }

    /** INVPCID r, m128: the type in the register must be 0..3 (#GP(0)); natively flushes everything. */
    static boolean invpcid(Cpu cpu, DecodedInstruction insn) {
        Intercepts.requireCpl0(cpu);
        long type = Operands.read(cpu, insn, 0);
        if (Long.compareUnsigned(type, 3) > 0) throw cpu.fault(13, 0);
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.INVPCID);
        info.linearAddress = cpu.linearAddress(insn.segment, Operands.effectiveAddress(cpu, insn), 16, false);
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        cpu.flushTlb();
        return Handler.NEXT;
    }

    /** WBINVD (a no-op here: there is no cache) and INVD (always exits in VMX; natively #UD). */
    static boolean cacheControl(Cpu cpu, DecodedInstruction insn) {
        Intercepts.requireCpl0(cpu);
        boolean invd = insn.mnemonic == Mnemonic.INVD;
        if (Intercepts.ask(cpu, insn, invd ? SensitiveInstruction.INVD : SensitiveInstruction.WBINVD)) return Handler.RIP_SET;
        if (invd) throw cpu.fault(6, -1);
        return Handler.NEXT;
    }

    /** XGETBV: #UD without CR4.OSXSAVE; only XCR0 exists here, so ECX != 0 is #GP(0). */
    static boolean xgetbv(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if ((s.cr4 & CpuState.CR4_OSXSAVE) == 0) throw cpu.fault(6, -1);
        if ((int) s.gpr[RCX] != 0) throw cpu.fault(13, 0);
        Operands.writeGpr(s, RAX, 4, s.xcr0);
        Operands.writeGpr(s, RDX, 4, s.xcr0 >>> 32);
        return Handler.NEXT;
    }

    /**
     * XSETBV: #UD without CR4.OSXSAVE, #GP(0) at CPL > 0, for ECX != 0, with XCR0.x87 clear, or
     * with AVX state but no SSE state (SDM Vol. 2C "XSETBV"). Only x87/SSE/AVX bits are accepted.
     */
    static boolean xsetbv(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if ((s.cr4 & CpuState.CR4_OSXSAVE) == 0) throw cpu.fault(6, -1);
        Intercepts.requireCpl0(cpu);
        long value = (s.gpr[RDX] << 32) | (s.gpr[RAX] & 0xFFFF_FFFFL);
        InterceptInfo info = Intercepts.begin(cpu, insn, SensitiveInstruction.XSETBV);
        info.value = value;
        if (Intercepts.offer(cpu, info)) return Handler.RIP_SET; // VM exit: the instruction does not execute
        if ((int) s.gpr[RCX] != 0 || (value & 1) == 0 || (value & ~7L) != 0 || (value & 6) == 4) {
            throw cpu.fault(13, 0);
        }
        s.xcr0 = value;
        return Handler.NEXT;
    }

    /** SWAPGS: 64-bit mode only (#UD), CPL 0; exchanges GS.base with IA32_KERNEL_GS_BASE. */
    static boolean swapgs(Cpu cpu, DecodedInstruction insn) {
        if (cpu.codeSize() != 64) throw cpu.fault(6, -1);
        Intercepts.requireCpl0(cpu);
        CpuState s = cpu.state();
        long gs = s.seg(Segment.GS).base;
        s.seg(Segment.GS).base = s.kernelGsBase;
        s.kernelGsBase = gs;
        return Handler.NEXT;
    }

    /** VMX instructions always exit in VMX non-root operation; bare hardware here has no VMX: #UD. */
    static boolean vmx(Cpu cpu, DecodedInstruction insn) {
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.VMX)) return Handler.RIP_SET;
        throw cpu.fault(6, -1);
    }

    /** GETSEC: #UD without CR4.SMXE; otherwise it exits; natively SMX is absent: #UD. */
    static boolean getsec(Cpu cpu, DecodedInstruction insn) {
        if ((cpu.state().cr4 & CpuState.CR4_SMXE) == 0) throw cpu.fault(6, -1);
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.GETSEC)) return Handler.RIP_SET;
        throw cpu.fault(6, -1);
    }
}
