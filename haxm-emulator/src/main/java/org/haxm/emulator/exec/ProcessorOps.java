package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.SensitiveInstruction;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.cpu.SegmentRegister;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.emulator.decoder.OperandKind;

/**
 * Processor-control and flag instructions: CPUID, HLT, RDTSC/RDTSCP, RDPMC, PAUSE and the
 * no-operation group, MONITOR/MWAIT, RDRAND/RDSEED, CLI/STI, CLC/STC/CMC/CLD/STD, LAHF/SAHF,
 * SALC, BOUND, and the explicit #UD/#NM cases.
 */
final class ProcessorOps {
    private ProcessorOps() {}

    private static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3;
    /** "GenuineIntel" as CPUID leaf 0 returns it in EBX, EDX, ECX (little-endian ASCII). */
    static final int VENDOR_EBX = 0x756E6547, VENDOR_EDX = 0x49656E69, VENDOR_ECX = 0x6C65746E;

    static void register(Handler[] t) {
        t[Mnemonic.CPUID.ordinal()] = ProcessorOps::cpuid;
        t[Mnemonic.HLT.ordinal()] = ProcessorOps::hlt;
        t[Mnemonic.RDTSC.ordinal()] = ProcessorOps::rdtsc;
        t[Mnemonic.RDTSCP.ordinal()] = ProcessorOps::rdtsc;
        t[Mnemonic.RDPMC.ordinal()] = ProcessorOps::rdpmc;
        t[Mnemonic.PAUSE.ordinal()] = ProcessorOps::pause;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.NOP, Mnemonic.LFENCE, Mnemonic.MFENCE, Mnemonic.SFENCE,
            Mnemonic.PREFETCH, Mnemonic.ENDBR32, Mnemonic.ENDBR64}) t[m.ordinal()] = ProcessorOps::nop;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.CLFLUSH, Mnemonic.CLFLUSHOPT, Mnemonic.CLWB}) t[m.ordinal()] = ProcessorOps::flushLine;
        t[Mnemonic.FWAIT.ordinal()] = ProcessorOps::fwait;
        t[Mnemonic.MONITOR.ordinal()] = ProcessorOps::monitorMwait;
        t[Mnemonic.MWAIT.ordinal()] = ProcessorOps::monitorMwait;
        t[Mnemonic.RDRAND.ordinal()] = ProcessorOps::random;
        t[Mnemonic.RDSEED.ordinal()] = ProcessorOps::random;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.INVALID, Mnemonic.UD0, Mnemonic.UD1, Mnemonic.UD2}) t[m.ordinal()] = ProcessorOps::undefined;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.X87, Mnemonic.SSE, Mnemonic.MMX, Mnemonic.AVX}) t[m.ordinal()] = ProcessorOps::extension;
        t[Mnemonic.CLI.ordinal()] = ProcessorOps::cliSti;
        t[Mnemonic.STI.ordinal()] = ProcessorOps::cliSti;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.CLC, Mnemonic.STC, Mnemonic.CMC, Mnemonic.CLD, Mnemonic.STD}) {
            t[m.ordinal()] = ProcessorOps::flagOp;
        }
        t[Mnemonic.LAHF.ordinal()] = ProcessorOps::lahf;
        t[Mnemonic.SAHF.ordinal()] = ProcessorOps::sahf;
        t[Mnemonic.SALC.ordinal()] = ProcessorOps::salc;
        t[Mnemonic.BOUND.ordinal()] = ProcessorOps::bound;
        for (Mnemonic m : new Mnemonic[] {Mnemonic.RDFSBASE, Mnemonic.RDGSBASE, Mnemonic.WRFSBASE, Mnemonic.WRGSBASE}) {
            t[m.ordinal()] = ProcessorOps::segmentBase;
        }
        t[Mnemonic.CLAC.ordinal()] = ProcessorOps::alignmentCheckFlag;
        t[Mnemonic.STAC.ordinal()] = ProcessorOps::alignmentCheckFlag;
        t[Mnemonic.RDPID.ordinal()] = ProcessorOps::rdpid;
    }

    /**
     * RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE (64-bit mode only, decoder-checked): #UD unless
     * CR4.FSGSBASE; a non-canonical written base is #GP(0). 32-bit forms use/zero-extend bits 31:0.
     */
    static boolean segmentBase(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if ((s.cr4 & CpuState.CR4_FSGSBASE) == 0) throw cpu.fault(6, -1);
        Mnemonic m = insn.mnemonic;
        SegmentRegister seg =
            s.seg(m == Mnemonic.RDFSBASE || m == Mnemonic.WRFSBASE ? Segment.FS : Segment.GS);
        if (m == Mnemonic.RDFSBASE || m == Mnemonic.RDGSBASE) {
            Operands.write(cpu, insn, 0, seg.base);
        } else {
            long v = Operands.read(cpu, insn, 0);
            if (((v << 16) >> 16) != v) throw cpu.fault(13, 0);
            seg.base = v;
        }
        return Handler.NEXT;
    }

    /** CLAC/STAC: clear/set EFLAGS.AC; #UD at CPL > 0 (SDM Vol. 2A "CLAC"). */
    static boolean alignmentCheckFlag(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (s.cpl() > 0) throw cpu.fault(6, -1);
        s.setRflags(insn.mnemonic == Mnemonic.STAC ? s.rflags() | CpuState.AC : s.rflags() & ~CpuState.AC);
        return Handler.NEXT;
    }

    /** RDPID r: IA32_TSC_AUX into the register (not intercepted: it has no VM-exit control of its own). */
    static boolean rdpid(Cpu cpu, DecodedInstruction insn) {
        Operands.write(cpu, insn, 0, cpu.state().tscAux);
        return Handler.NEXT;
    }

    /**
     * CPUID (always intercepted in VMX non-root operation). The bare processor reports leaf 0
     * (max basic leaf 1, "GenuineIntel") and zeros elsewhere; a VMM supplies the real model.
     */
    static boolean cpuid(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.CPUID)) return Handler.RIP_SET;
        int leaf = (int) s.gpr[RAX];
        boolean zero = leaf == 0;
        Operands.writeGpr(s, RAX, 4, zero ? 1 : 0);
        Operands.writeGpr(s, RBX, 4, zero ? VENDOR_EBX : 0);
        Operands.writeGpr(s, RCX, 4, zero ? VENDOR_ECX : 0);
        Operands.writeGpr(s, RDX, 4, zero ? VENDOR_EDX : 0);
        return Handler.NEXT;
    }

    /** HLT: CPL 0; enters the HLT activity state with RIP past the instruction (SDM Vol. 2A "HLT"). */
    static boolean hlt(Cpu cpu, DecodedInstruction insn) {
        Intercepts.requireCpl0(cpu);
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.HLT)) return Handler.RIP_SET;
        cpu.state().activityState = CpuState.HLT;
        return Handler.NEXT;
    }

    /** RDTSC/RDTSCP: #GP(0) at CPL > 0 with CR4.TSD; EDX:EAX := TSC, RDTSCP also ECX := IA32_TSC_AUX. */
    static boolean rdtsc(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if ((s.cr4 & CpuState.CR4_TSD) != 0 && s.cpl() > 0) throw cpu.fault(13, 0);
        boolean p = insn.mnemonic == Mnemonic.RDTSCP;
        if (Intercepts.ask(cpu, insn, p ? SensitiveInstruction.RDTSCP : SensitiveInstruction.RDTSC)) return Handler.RIP_SET;
        long tsc = s.tsc();
        Operands.writeGpr(s, RAX, 4, tsc);
        Operands.writeGpr(s, RDX, 4, tsc >>> 32);
        if (p) Operands.writeGpr(s, RCX, 4, s.tscAux);
        return Handler.NEXT;
    }

    /** RDPMC: #GP(0) at CPL > 0 without CR4.PCE; no counters are modelled, so they read as 0. */
    static boolean rdpmc(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if ((s.cr4 & CpuState.CR4_PCE) == 0 && s.cpl() > 0) throw cpu.fault(13, 0);
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.RDPMC)) return Handler.RIP_SET;
        Operands.writeGpr(s, RAX, 4, 0);
        Operands.writeGpr(s, RDX, 4, 0);
        return Handler.NEXT;
    }

    static boolean pause(Cpu cpu, DecodedInstruction insn) {
        if (Intercepts.ask(cpu, insn, SensitiveInstruction.PAUSE)) return Handler.RIP_SET;
        return Handler.NEXT;
    }

    static boolean nop(Cpu cpu, DecodedInstruction insn) { return Handler.NEXT; }

    /** CLFLUSH/CLFLUSHOPT/CLWB: no cache to flush, but the address is checked like a read of one byte. */
    static boolean flushLine(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[0] != OperandKind.MEM) throw cpu.fault(6, -1);
        cpu.linearAddress(insn.segment, Operands.effectiveAddress(cpu, insn), 1, false);
        return Handler.NEXT;
    }

    /** FWAIT: #NM when CR0.MP and CR0.TS are both set; otherwise nothing (no x87 exceptions pending). */
    static boolean fwait(Cpu cpu, DecodedInstruction insn) {
        long cr0 = cpu.state().cr0;
        if ((cr0 & (CpuState.CR0_MP | CpuState.CR0_TS)) == (CpuState.CR0_MP | CpuState.CR0_TS)) throw cpu.fault(7, -1);
        return Handler.NEXT;
    }

    /** MONITOR/MWAIT: offered to the hook (their VMX exits); natively unsupported, so #UD. */
    static boolean monitorMwait(Cpu cpu, DecodedInstruction insn) {
        Intercepts.requireCpl0(cpu);
        if (Intercepts.ask(cpu, insn, insn.mnemonic == Mnemonic.MONITOR ? SensitiveInstruction.MONITOR : SensitiveInstruction.MWAIT)) return Handler.RIP_SET;
        throw cpu.fault(6, -1);
    }

    /** Per-thread-free pseudo-random state for RDRAND/RDSEED (xorshift; not cryptographic). */
    private static long randomState = 0x9E3779B97F4A7C15L;

    /** RDRAND/RDSEED r: a value and CF=1 (success); OF, SF, ZF, AF, PF cleared. */
    static boolean random(Cpu cpu, DecodedInstruction insn) {
        if (Intercepts.ask(cpu, insn, insn.mnemonic == Mnemonic.RDRAND ? SensitiveInstruction.RDRAND : SensitiveInstruction.RDSEED)) return Handler.RIP_SET;
        long x = randomState ^ cpu.state().tsc();
        x ^= x << 13; x ^= x >>> 7; x ^= x << 17;
        randomState = x;
        Operands.write(cpu, insn, 0, x);
        FlagsUnit.set(cpu.state(), CpuState.STATUS_FLAGS, CpuState.CF);
        return Handler.NEXT;
    }

    static boolean undefined(Cpu cpu, DecodedInstruction insn) { throw cpu.fault(6, -1); }

    /**
     * x87/MMX/SSE/AVX encodings: #NM when CR0.TS (or CR0.EM for x87) says the FPU is not
     * available; otherwise #UD because this core does not execute them.
     */
    static boolean extension(Cpu cpu, DecodedInstruction insn) {
        long cr0 = cpu.state().cr0;
        if ((cr0 & CpuState.CR0_TS) != 0 || (insn.mnemonic == Mnemonic.X87 && (cr0 & CpuState.CR0_EM) != 0)) {
            throw cpu.fault(7, -1);
        }
        throw cpu.fault(6, -1);
    }

    /**
     * CLI/STI (SDM Vol. 2A "CLI", Vol. 2B "STI"): allowed in real mode, when CPL <= IOPL in
     * protected mode, or with IOPL = 3 in virtual-8086 mode; otherwise #GP(0) (VME/PVI virtual
     * interrupt flags are not modelled). STI that sets IF blocks interrupts for one instruction.
     */
    static boolean cliSti(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        long f = s.rflags();
        if ((s.cr0 & CpuState.CR0_PE) != 0) {
            int iopl = (int) ((f & CpuState.IOPL) >>> 12);
            boolean v86 = (f & CpuState.VM) != 0;
            if (v86 ? iopl != 3 : s.cpl() > iopl) throw cpu.fault(13, 0);
        }
        if (insn.mnemonic == Mnemonic.CLI) {
            s.setRflags(f & ~CpuState.IF);
        } else {
            if ((f & CpuState.IF) == 0) s.interruptibility |= CpuState.BLOCKING_BY_STI;
            s.setRflags(f | CpuState.IF);
        }
        return Handler.NEXT;
    }

    /** CLC, STC, CMC, CLD, STD. */
    static boolean flagOp(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        switch (insn.mnemonic) {
            case CLC: FlagsUnit.setCarry(s, false); break;
            case STC: FlagsUnit.setCarry(s, true); break;
            case CMC: FlagsUnit.setCarry(s, (s.rflags() & CpuState.CF) == 0); break;
            case CLD: s.setRflags(s.rflags() & ~CpuState.DF); break;
            default: s.setRflags(s.rflags() | CpuState.DF); // STD
        }
        return Handler.NEXT;
    }

    private static final long LAHF_FLAGS = CpuState.SF | CpuState.ZF | CpuState.AF | CpuState.PF | CpuState.CF;

    /** LAHF: AH := SF:ZF:0:AF:0:PF:1:CF. */
    static boolean lahf(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        long ah = (s.rflags() & LAHF_FLAGS) | CpuState.RESERVED1;
        s.gpr[RAX] = (s.gpr[RAX] & ~0xFF00L) | (ah << 8);
        return Handler.NEXT;
    }

    /** SAHF: SF, ZF, AF, PF, CF := AH bits 7, 6, 4, 2, 0. */
    static boolean sahf(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        FlagsUnit.set(s, LAHF_FLAGS, (s.gpr[RAX] >>> 8) & LAHF_FLAGS);
        return Handler.NEXT;
    }

    /** SALC (undocumented, legacy modes): AL := CF ? 0xFF : 0. */
    static boolean salc(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        Operands.writeGpr(s, RAX, 1, (s.rflags() & CpuState.CF) != 0 ? 0xFF : 0);
        return Handler.NEXT;
    }

    /** BOUND r, m: #BR (vector 5) unless lower <= index <= upper, all signed (SDM Vol. 2A "BOUND"). */
    static boolean bound(Cpu cpu, DecodedInstruction insn) {
        if (insn.opKind[1] != OperandKind.MEM) throw cpu.fault(6, -1);
        int size = insn.opSize[0];
        long index = Operands.signExtend(Operands.read(cpu, insn, 0), size);
        long ea = Operands.effectiveAddress(cpu, insn);
        long lower = Operands.signExtend(cpu.readMemory(insn.segment, ea, size), size);
        long upper = Operands.signExtend(cpu.readMemory(insn.segment, (ea + size) & Operands.mask(insn.addressSize), size), size);
        if (index < lower || index > upper) throw cpu.fault(5, -1);
        return Handler.NEXT;
    }
}
