package org.haxm.core.nonroot;

import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.InterceptHook;
import org.haxm.emulator.InterceptInfo;
import org.haxm.emulator.cpu.CpuState;
import org.haxm.emulator.decoder.Mnemonic;
import org.haxm.vmx.ExitReason;
import org.haxm.vmx.controls.PrimaryProcBasedControls;
import org.haxm.vmx.controls.SecondaryProcBasedControls;
import org.haxm.vmx.qualification.CrAccessQualification;
import org.haxm.vmx.qualification.InterruptionInfo;
import org.haxm.vmx.qualification.InterruptionType;
import org.haxm.vmx.qualification.IoQualification;

/**
 * VMX non-root operation: the processor's decision, before each sensitive instruction or event,
 * whether it causes a VM exit (SDM Vol. 3C §26.1 "Instructions That Cause VM Exits", §26.2
 * "Other Causes of VM Exits"). When it does, the exit is recorded in the {@link PendingExit} and
 * the instruction is abandoned: an instruction exit by returning true from {@link #instruction}
 * (the common exits — I/O, CPUID, HLT, MSR, CR — so they cost no exception unwinding), an event
 * exit by {@link InstructionAbort}; otherwise the CPU carries on as bare hardware would.
 */
public final class NonRootHook implements InterceptHook {
    private final ActiveControls controls;
    private final PendingExit exit;
    private final ExitBitmaps bitmaps;
    private final CpuState state;
    /** The current {@link #instruction} call recorded an exit. */
    private boolean exitTaken;
    /** Set by the VCPU when its interrupt window or a kick must be noticed between instructions. */
    private volatile boolean kicked;

    public NonRootHook(ActiveControls controls, PendingExit exit, ExitBitmaps bitmaps, CpuState state) {
        this.controls = controls;
        this.exit = exit;
        this.bitmaps = bitmaps;
        this.state = state;
    }

    /** Asks for an external-interrupt VM exit at the next instruction boundary (a host "kick"). */
    public void kick() { kicked = true; }

    public boolean takeKick() {
        if (!kicked) return false;
        kicked = false;
        return true;
    }

    @Override
    public boolean instruction(InterceptInfo info) {
        exitTaken = false;
        switch (info.kind) {
            case CPUID -> exitFor(ExitReason.CPUID, info);
            case GETSEC -> exitFor(ExitReason.GETSEC, info);
            case INVD -> exitFor(ExitReason.INVD, info);
            case XSETBV -> exitFor(ExitReason.XSETBV, info);
            case VMX -> exitFor(vmxReason(info.mnemonic), info);
            case HLT -> { if (controls.primary(PrimaryProcBasedControls.HLT_EXITING)) exitFor(ExitReason.HLT, info); }
            case INVLPG -> {
                if (controls.primary(PrimaryProcBasedControls.INVLPG_EXITING)) {
                    exit.begin(ExitReason.INVLPG.number()).qualification = info.linearAddress;
                    abort(info);
                }
            }
            case INVPCID -> {
                if (controls.primary(PrimaryProcBasedControls.INVLPG_EXITING)) exitFor(ExitReason.INVPCID, info);
            }
            case RDPMC -> { if (controls.primary(PrimaryProcBasedControls.RDPMC_EXITING)) exitFor(ExitReason.RDPMC, info); }
            case RDTSC -> { if (controls.primary(PrimaryProcBasedControls.RDTSC_EXITING)) exitFor(ExitReason.RDTSC, info); }
            case RDTSCP -> { if (controls.primary(PrimaryProcBasedControls.RDTSC_EXITING)) exitFor(ExitReason.RDTSCP, info); }
            case RDMSR, WRMSR -> msr(info);
            case MOV_TO_CR -> movToCr(info);
            case MOV_FROM_CR -> movFromCr(info);
            case CLTS -> clts(info);
            case LMSW -> lmsw(info);
            case MOV_DR -> {
                if (controls.primary(PrimaryProcBasedControls.MOV_DR_EXITING)) {
                    exit.begin(ExitReason.DR_ACCESS.number()).qualification =
                        info.crNumber | (info.fromRegister ? 1 << 4 : 0) | ((long) info.gpr << 8);
                    abort(info);
                }
            }
            case IO -> io(info);
            case PAUSE -> { if (controls.primary(PrimaryProcBasedControls.PAUSE_EXITING)) exitFor(ExitReason.PAUSE, info); }
            case MWAIT -> { if (controls.primary(PrimaryProcBasedControls.MWAIT_EXITING)) exitFor(ExitReason.MWAIT, info); }
            case MONITOR -> { if (controls.primary(PrimaryProcBasedControls.MONITOR_EXITING)) exitFor(ExitReason.MONITOR, info); }
            case WBINVD -> { if (controls.secondary(SecondaryProcBasedControls.WBINVD_EXITING)) exitFor(ExitReason.WBINVD, info); }
            case RDRAND -> { if (controls.secondary(SecondaryProcBasedControls.RDRAND_EXITING)) exitFor(ExitReason.RDRAND, info); }
            case RDSEED -> { if (controls.secondary(SecondaryProcBasedControls.RDSEED_EXITING)) exitFor(ExitReason.RDSEED, info); }
            case DESCRIPTOR_TABLE -> {
                if (controls.secondary(SecondaryProcBasedControls.DESCRIPTOR_TABLE_EXITING)) exitFor(ExitReason.GDTR_IDTR_ACCESS, info);
            }
            case LDTR_TR -> {
                if (controls.secondary(SecondaryProcBasedControls.DESCRIPTOR_TABLE_EXITING)) exitFor(ExitReason.LDTR_TR_ACCESS, info);
            }
        }
        return exitTaken;
    }

    /** RDMSR/WRMSR: the MSR bitmap decides (SDM Vol. 3C §26.1.3, §25.6.9). */
    private void msr(InterceptInfo info) {
        boolean write = info.kind == org.haxm.emulator.SensitiveInstruction.WRMSR;
        boolean exits = !controls.primary(PrimaryProcBasedControls.USE_MSR_BITMAPS) || bitmaps.msrExits(info.msr, write);
        if (exits) exitFor(write ? ExitReason.WRMSR : ExitReason.RDMSR, info);
    }

    /** MOV to CR0/CR3/CR4/CR8 (SDM Vol. 3C §26.1.3). A CR0/CR4 write exits when it changes a
     *  host-owned bit against the read shadow; one that does not exit leaves those bits as they
     *  are, which the model CPU (running with the guest's view, see GuestStateTransfer) does by
     *  simply performing the write. */
    private void movToCr(InterceptInfo info) {
        boolean exits;
        switch (info.crNumber) {
            case 0 -> exits = ((info.value ^ controls.cr0Shadow) & controls.cr0Mask) != 0;
            case 4 -> exits = ((info.value ^ controls.cr4Shadow) & controls.cr4Mask) != 0;
            case 3 -> exits = controls.primary(PrimaryProcBasedControls.CR3_LOAD_EXITING) && !isCr3Target(info.value);
            case 8 -> exits = controls.primary(PrimaryProcBasedControls.CR8_LOAD_EXITING);
            default -> exits = false;
        }
        if (exits) crExit(info, CrAccessQualification.AccessType.MOV_TO_CR, 0);
    }

    private void movFromCr(InterceptInfo info) {
        boolean exits = switch (info.crNumber) {
            case 3 -> controls.primary(PrimaryProcBasedControls.CR3_STORE_EXITING);
            case 8 -> controls.primary(PrimaryProcBasedControls.CR8_STORE_EXITING);
            default -> false;
        };
        if (exits) crExit(info, CrAccessQualification.AccessType.MOV_FROM_CR, 0);
    }

    /** CLTS exits iff CR0.TS is host-owned and set in the read shadow (SDM Vol. 3C §26.1.3). */
    private void clts(InterceptInfo info) {
        long ts = 8;
        if ((controls.cr0Mask & ts) != 0 && (controls.cr0Shadow & ts) != 0) {
            crExit(info, CrAccessQualification.AccessType.CLTS, 0);
        }
    }

    /** LMSW exits if it would set a host-owned PE, or change a host-owned MP/EM/TS (SDM Vol. 3C §26.1.3). */
    private void lmsw(InterceptInfo info) {
        long src = info.value & 0xF, mask = controls.cr0Mask & 0xF, shadow = controls.cr0Shadow & 0xF;
        boolean exits = ((mask & 1) != 0 && (shadow & 1) == 0 && (src & 1) != 0) || ((src ^ shadow) & mask & 0xE) != 0;
        if (exits) crExit(info, CrAccessQualification.AccessType.LMSW, (int) (info.value & 0xFFFF));
    }

    private void crExit(InterceptInfo info, CrAccessQualification.AccessType type, int lmswSource) {
        int cr = type == CrAccessQualification.AccessType.CLTS || type == CrAccessQualification.AccessType.LMSW ? 0 : info.crNumber;
        int gpr = type == CrAccessQualification.AccessType.CLTS || type == CrAccessQualification.AccessType.LMSW ? 0 : info.gpr;
        exit.begin(ExitReason.CR_ACCESS.number()).qualification =
            new CrAccessQualification(cr, type, info.lmswMemory, gpr, lmswSource).encode();
        if (info.lmswMemory) exit.guestLinear = info.linearAddress;
        abort(info);
    }

    private boolean isCr3Target(long value) {
        for (int i = 0; i < Math.min(controls.cr3TargetCount, 4); i++) if (controls.cr3Targets[i] == value) return true;
        return false;
    }

    /** I/O instructions: the I/O bitmaps decide when in use, else "unconditional I/O exiting"
     *  (SDM Vol. 3C §26.1.3). */
    private void io(InterceptInfo info) {
        boolean exits = controls.primary(PrimaryProcBasedControls.USE_IO_BITMAPS)
            ? bitmaps.ioExits(info.port, info.size)
            : controls.primary(PrimaryProcBasedControls.UNCONDITIONAL_IO_EXITING);
        if (!exits) return;
        exit.begin(ExitReason.IO_INSTRUCTION.number()).qualification =
            IoQualification.encode(info.size, info.in, info.string, info.rep, info.immediate, info.port);
        if (info.string) {
            exit.guestLinear = info.linearAddress;
            // Instruction-information field for INS/OUTS: address size in bits 9:7, segment in
            // 17:15 (SDM Vol. 3C §28.2.5, Table 28-8).
            int addressSizeCode = info.addressSize == 2 ? 0 : info.addressSize == 4 ? 1 : 2;
            exit.instructionInfo = (addressSizeCode << 7) | ((info.segment & 7) << 15);
        }
        abort(info);
    }

    private void exitFor(ExitReason reason, InterceptInfo info) {
        exit.begin(reason.number());
        abort(info);
    }

    /** Completes the exit record of an instruction exit; {@link #instruction} then returns true. */
    private void abort(InterceptInfo info) {
        exit.instructionLength = info.length;
        exitTaken = true;
    }

    private static ExitReason vmxReason(Mnemonic m) {
        return switch (m) {
            case VMCALL -> ExitReason.VMCALL;
            case VMCLEAR -> ExitReason.VMCLEAR;
            case VMLAUNCH -> ExitReason.VMLAUNCH;
            case VMPTRLD -> ExitReason.VMPTRLD;
            case VMPTRST -> ExitReason.VMPTRST;
            case VMREAD -> ExitReason.VMREAD;
            case VMRESUME -> ExitReason.VMRESUME;
            case VMWRITE -> ExitReason.VMWRITE;
            case VMXOFF -> ExitReason.VMXOFF;
            case VMXON -> ExitReason.VMXON;
            case INVEPT -> ExitReason.INVEPT;
            case INVVPID -> ExitReason.INVVPID;
            default -> ExitReason.VMFUNC;
        };
    }

    /** Exceptions exit when their bit is set in the exception bitmap; #PF additionally through the
     *  error-code mask/match rule (SDM Vol. 3C §26.2, §25.6.3). */
    /** The exception that started the current chain of faults (for triple-fault reports). */
    private int chainVector = -1, chainError;
    private long chainRip, chainInstruction = -1;

    /** "#GP(0x0) at rip=0x..." for the exception that began the last fault chain, or null. */
    public String firstFaultDescription() {
        if (chainVector < 0) return null;
        return "#" + VECTOR_NAMES[chainVector & 31] + (chainError >= 0 ? "(0x" + Integer.toHexString(chainError) + ")" : "")
            + " at rip=0x" + Long.toHexString(chainRip);
    }

    private static final String[] VECTOR_NAMES = {"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS",
        "NP", "SS", "GP", "PF", "15", "MF", "AC", "MC", "XM", "VE", "CP", "22", "23", "24", "25", "26", "27", "HV", "VC", "SX", "31"};

    @Override
    public void exception(int vector, int errorCode, long qualification, int softwareType) {
        // Exceptions raised while delivering an earlier one happen before the instruction retires:
        // keep the first of them, the one the guest's code actually caused.
        if (chainInstruction != state.instructionsRetired) {
            chainInstruction = state.instructionsRetired;
            chainVector = vector; chainError = errorCode; chainRip = state.rip;
        }
        boolean exits = (controls.exceptionBitmap & (1 << vector)) != 0;
        if (vector == 14) {
            boolean match = ((errorCode & controls.pfErrorMask) == controls.pfErrorMatch);
            exits = exits == match;
        }
        if (!exits) return;
        int type = softwareType != 0 ? softwareType : InterruptionType.HARDWARE_EXCEPTION.code();
        exit.begin(ExitReason.EXCEPTION_NMI.number());
        exit.interruptionInfo = (int) new InterruptionInfo(vector, InterruptionType.fromCode(type), errorCode >= 0, false, true).encode();
        exit.interruptionErrorCode = errorCode >= 0 ? errorCode : 0;
        exit.qualification = (vector == 14 || vector == 1) ? qualification : 0;
        throw InstructionAbort.INSTANCE;
    }

    /** A triple fault always causes a VM exit (SDM Vol. 3C §26.2). */
    @Override
    public void tripleFault() {
        exit.begin(ExitReason.TRIPLE_FAULT.number());
        throw InstructionAbort.INSTANCE;
    }

    /** Between instructions: an open interrupt window with interrupt-window exiting set (SDM Vol.
     *  3C §26.7.5), or a host kick modelled as an external-interrupt exit. */
    @Override
    public void afterInstruction() {
        if (kicked) {
            kicked = false;
            exit.begin(ExitReason.EXTERNAL_INTERRUPT.number());
            throw InstructionAbort.INSTANCE;
        }
        if (controls.primary(PrimaryProcBasedControls.INTERRUPT_WINDOW_EXITING)
            && (state.rflags() & CpuState.IF) != 0
            && (state.interruptibility & (CpuState.BLOCKING_BY_STI | CpuState.BLOCKING_BY_MOV_SS)) == 0) {
            exit.begin(ExitReason.INTERRUPT_WINDOW.number());
            throw InstructionAbort.INSTANCE;
        }
    }
}
