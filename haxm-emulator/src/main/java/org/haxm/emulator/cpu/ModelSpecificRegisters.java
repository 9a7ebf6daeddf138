package org.haxm.emulator.cpu;

import org.haxm.emulator.Cpu;

/**
 * The architectural MSRs the processor itself keeps (SDM Vol. 4 Table 2-2). RDMSR/WRMSR of any
 * other index raise #GP(0), as does a non-canonical address in an address-holding MSR or an
 * invalid PAT memory type.
 */
public final class ModelSpecificRegisters {
    public static final int IA32_TIME_STAMP_COUNTER = 0x10, IA32_APIC_BASE = 0x1B,
        IA32_SYSENTER_CS = 0x174, IA32_SYSENTER_ESP = 0x175, IA32_SYSENTER_EIP = 0x176,
        IA32_DEBUGCTL = 0x1D9, IA32_PAT = 0x277, IA32_EFER = 0xC000_0080, IA32_STAR = 0xC000_0081,
        IA32_LSTAR = 0xC000_0082, IA32_CSTAR = 0xC000_0083, IA32_FMASK = 0xC000_0084,
        IA32_FS_BASE = 0xC000_0100, IA32_GS_BASE = 0xC000_0101, IA32_KERNEL_GS_BASE = 0xC000_0102,
        IA32_TSC_AUX = 0xC000_0103;
    private static final int GP = 13;

    private final Cpu cpu;
    private final CpuState state;
    private final ControlRegisters controlRegisters;

    public ModelSpecificRegisters(Cpu cpu, ControlRegisters controlRegisters) {
        this.cpu = cpu;
        this.state = cpu.state();
        this.controlRegisters = controlRegisters;
    }

    public long read(int index) {
        return switch (index) {
            case IA32_TIME_STAMP_COUNTER -> state.tsc();
            case IA32_APIC_BASE -> state.apicBase;
            case IA32_SYSENTER_CS -> state.sysenterCs;
            case IA32_SYSENTER_ESP -> state.sysenterEsp;
            case IA32_SYSENTER_EIP -> state.sysenterEip;
            case IA32_DEBUGCTL -> state.debugCtl;
            case IA32_PAT -> state.pat;
            case IA32_EFER -> state.efer;
            case IA32_STAR -> state.star;
            case IA32_LSTAR -> state.lstar;
            case IA32_CSTAR -> state.cstar;
            case IA32_FMASK -> state.sfmask;
            case IA32_FS_BASE -> state.seg(Segment.FS).base;
            case IA32_GS_BASE -> state.seg(Segment.GS).base;
            case IA32_KERNEL_GS_BASE -> state.kernelGsBase;
            case IA32_TSC_AUX -> state.tscAux;
            default -> throw cpu.fault(GP, 0);
        };
    }

    public void write(int index, long value) {
        switch (index) {
            case IA32_TIME_STAMP_COUNTER -> state.tscOffset = value - state.instructionsRetired;
            case IA32_APIC_BASE -> state.apicBase = value;
            case IA32_SYSENTER_CS -> state.sysenterCs = value & 0xFFFF_FFFFL;
            case IA32_SYSENTER_ESP -> state.sysenterEsp = canonical(value);
            case IA32_SYSENTER_EIP -> state.sysenterEip = canonical(value);
            case IA32_DEBUGCTL -> state.debugCtl = value;
            case IA32_PAT -> state.pat = validPat(value);
            case IA32_EFER -> controlRegisters.writeEfer(value);
            case IA32_STAR -> state.star = value;
            case IA32_LSTAR -> state.lstar = canonical(value);
            case IA32_CSTAR -> state.cstar = canonical(value);
            case IA32_FMASK -> state.sfmask = value & 0xFFFF_FFFFL;
            case IA32_FS_BASE -> state.seg(Segment.FS).base = canonical(value);
            case IA32_GS_BASE -> state.seg(Segment.GS).base = canonical(value);
            case IA32_KERNEL_GS_BASE -> state.kernelGsBase = canonical(value);
            case IA32_TSC_AUX -> state.tscAux = value & 0xFFFF_FFFFL;
            default -> throw cpu.fault(GP, 0);
        }
    }

    private long canonical(long value) {
        if (((value << 16) >> 16) != value) throw cpu.fault(GP, 0);
        return value;
    }

    /** Each PAT entry must be a valid memory type: 0, 1, 4, 5, 6 or 7 (SDM Vol. 3A §13.12.2). */
    private long validPat(long value) {
        for (int i = 0; i < 8; i++) {
            int type = (int) (value >>> (8 * i)) & 0xFF;
            if (type == 2 || type == 3 || type > 7) throw cpu.fault(GP, 0);
        }
        return value;
    }
}
