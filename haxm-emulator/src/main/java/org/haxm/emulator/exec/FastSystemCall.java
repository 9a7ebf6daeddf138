package org.haxm.emulator.exec;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.cpu.Segment;
import org.haxm.emulator.decoder.DecodedInstruction;
import org.haxm.emulator.decoder.Mnemonic;

/**
 * SYSCALL/SYSRET (SDM Vol. 2B, MSRs STAR/LSTAR/FMASK) and SYSENTER/SYSEXIT (IA32_SYSENTER_*).
 * These load CS and SS with fixed flat descriptors without reading the GDT, exactly as the SDM
 * specifies, so they are done here on the state directly.
 */
final class FastSystemCall {
    private FastSystemCall() {}

    private static final int RCX = 1, RDX = 2, RSP = 4, R11 = 11;
    /** Access rights (VMCS format) of the flat segments these instructions load. */
    private static final int CS64_DPL0 = 0xA09B, CS32_DPL0 = 0xC09B, SS_DPL0 = 0xC093,
        CS64_DPL3 = 0xA0FB, CS32_DPL3 = 0xC0FB, SS_DPL3 = 0xC0F3;

    static void register(Handler[] t) {
        t[Mnemonic.SYSCALL.ordinal()] = FastSystemCall::syscall;
        t[Mnemonic.SYSRET.ordinal()] = FastSystemCall::sysret;
        t[Mnemonic.SYSENTER.ordinal()] = FastSystemCall::sysenter;
        t[Mnemonic.SYSEXIT.ordinal()] = FastSystemCall::sysexit;
    }

    private static void flat(CpuState s, Segment seg, int selector, int ar) {
        s.seg(seg).set(selector, 0, 0xFFFF_FFFF, ar);
    }

    private static boolean canonical(long a) { return ((a << 16) >> 16) == a; }

    /** SYSCALL: 64-bit mode with EFER.SCE only (else #UD, as on Intel). */
    static boolean syscall(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (cpu.codeSize() != 64 || (s.efer & CpuState.EFER_SCE) == 0) throw cpu.fault(6, -1);
        long f = s.rflags();
        s.gpr[RCX] = Operands.nextRip(cpu, insn);
        s.gpr[R11] = f & ~CpuState.RF;
        int sel = (int) (s.star >>> 32) & 0xFFFF;
        flat(s, Segment.CS, sel & 0xFFFC, CS64_DPL0);
        flat(s, Segment.SS, (sel + 8) & 0xFFFC, SS_DPL0);
        s.setRflags(f & ~s.sfmask & ~CpuState.RF);
        s.rip = s.lstar;
        return Handler.RIP_SET;
    }

    /** SYSRET: to 64-bit code with REX.W, else to compatibility mode; #GP(0) for CPL > 0 or a non-canonical RCX. */
    static boolean sysret(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        if (cpu.codeSize() != 64 || (s.efer & CpuState.EFER_SCE) == 0) throw cpu.fault(6, -1);
        Intercepts.requireCpl0(cpu);
        boolean to64 = insn.operandSize == 8;
        long target = to64 ? s.gpr[RCX] : s.gpr[RCX] & 0xFFFF_FFFFL;
        if (!canonical(target)) throw cpu.fault(13, 0);
        int sel = (int) (s.star >>> 48) & 0xFFFF;
        flat(s, Segment.CS, ((to64 ? sel + 16 : sel) | 3) & 0xFFFF, to64 ? CS64_DPL3 : CS32_DPL3);
        flat(s, Segment.SS, ((sel + 8) | 3) & 0xFFFF, SS_DPL3);
        s.setRflags(s.gpr[R11] & 0x3C7FD7L);
        s.rip = target;
        return Handler.RIP_SET;
    }

    /** SYSENTER: #GP(0) in real mode or with a null IA32_SYSENTER_CS; clears VM, IF and RF. */
    static boolean sysenter(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int cs = (int) s.sysenterCs & 0xFFFC;
        if ((s.cr0 & CpuState.CR0_PE) == 0 || cs == 0) throw cpu.fault(13, 0);
        boolean ia32e = s.longModeActive();
        s.setRflags(s.rflags() & ~(CpuState.VM | CpuState.IF | CpuState.RF));
        flat(s, Segment.CS, cs, ia32e ? CS64_DPL0 : CS32_DPL0);
        flat(s, Segment.SS, cs + 8, SS_DPL0);
        s.gpr[RSP] = ia32e ? s.sysenterEsp : s.sysenterEsp & 0xFFFF_FFFFL;
        s.rip = ia32e ? s.sysenterEip : s.sysenterEip & 0xFFFF_FFFFL;
        return Handler.RIP_SET;
    }

    /** SYSEXIT: CPL 0 in protected mode; REX.W returns to 64-bit code. RSP := rCX, RIP := rDX. */
    static boolean sysexit(Cpu cpu, DecodedInstruction insn) {
        CpuState s = cpu.state();
        int cs = (int) s.sysenterCs & 0xFFFC;
        if ((s.cr0 & CpuState.CR0_PE) == 0 || cs == 0 || s.cpl() != 0) throw cpu.fault(13, 0);
        boolean to64 = insn.operandSize == 8;
        long rip = to64 ? s.gpr[RDX] : s.gpr[RDX] & 0xFFFF_FFFFL;
        long rsp = to64 ? s.gpr[RCX] : s.gpr[RCX] & 0xFFFF_FFFFL;
        if (to64 && (!canonical(rip) || !canonical(rsp))) throw cpu.fault(13, 0);
        int csSel = ((to64 ? cs + 32 : cs + 16) | 3) & 0xFFFF;
        flat(s, Segment.CS, csSel, to64 ? CS64_DPL3 : CS32_DPL3);
        flat(s, Segment.SS, (csSel + 8) & 0xFFFF, SS_DPL3);
        s.gpr[RSP] = rsp;
        s.rip = rip;
        return Handler.RIP_SET;
    }
}
