package org.haxm.core.handlers;

import org.haxm.core.VirtualCpu;
import org.haxm.core.tunnel.ExitStatus;
import org.haxm.vmx.ExitReason;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.controls.PrimaryProcBasedControls;

/**
 * The hypervisor's exit-dispatch table, indexed by basic exit reason (HAXM's handler table,
 * haxm-api.md §6.2). A reason without a handler stops the VCPU, as in HAXM.
 */
public final class ExitHandlers {
    private ExitHandlers() {}

    private static final ExitHandler[] TABLE = new ExitHandler[96];

    static {
        on(ExitReason.EXCEPTION_NMI, ExceptionExitHandler::handle);
        on(ExitReason.EXTERNAL_INTERRUPT, v -> ExitStatus.INTERRUPT);
        on(ExitReason.TRIPLE_FAULT, v -> v.panic(TripleFaultReport.describe(v)));
        on(ExitReason.INTERRUPT_WINDOW, ExitHandlers::interruptWindow);
        on(ExitReason.CPUID, CpuidHandler::handle);
        on(ExitReason.HLT, HltHandler::handle);
        on(ExitReason.IO_INSTRUCTION, IoHandler::handle);
        on(ExitReason.RDMSR, MsrExitHandler::rdmsr);
        on(ExitReason.WRMSR, MsrExitHandler::wrmsr);
        on(ExitReason.CR_ACCESS, CrAccessHandler::handle);
        on(ExitReason.EPT_VIOLATION, EptViolationHandler::handle);
        on(ExitReason.EPT_MISCONFIG, v -> v.panic("EPT misconfiguration at guest-physical 0x"
            + Long.toHexString(v.vmcs().read(VmcsField.GUEST_PHYSICAL_ADDRESS))));
        on(ExitReason.PREEMPTION_TIMER, v -> ExitStatus.PAUSED);
        // Instructions the model CPU does not offer its guests: #UD, as HAXM does since PR 247.
        for (ExitReason r : new ExitReason[] {ExitReason.GETSEC, ExitReason.VMCALL, ExitReason.VMCLEAR, ExitReason.VMLAUNCH,
            ExitReason.VMPTRLD, ExitReason.VMPTRST, ExitReason.VMREAD, ExitReason.VMRESUME, ExitReason.VMWRITE,
            ExitReason.VMXOFF, ExitReason.VMXON, ExitReason.INVEPT, ExitReason.INVVPID, ExitReason.VMFUNC, ExitReason.XSETBV}) {
            on(r, v -> { v.injectException(6, -1); return null; });
        }
        // INVD: nothing is cached in a software CPU; complete it.
        on(ExitReason.INVD, v -> { v.advanceRip(); return null; });
    }

    private static void on(ExitReason reason, ExitHandler h) { TABLE[reason.number()] = h; }

    /** Runs the handler for basic exit reason {@code reason}. */
    public static ExitStatus handle(VirtualCpu vcpu, int reason) {
        ExitHandler h = reason >= 0 && reason < TABLE.length ? TABLE[reason] : null;
        if (h == null) return vcpu.panic("unhandled VM exit " + describe(reason));
        return h.handle(vcpu);
    }

    private static String describe(int reason) {
        try {
            return ExitReason.fromNumber(reason).toString();
        } catch (RuntimeException e) {
            return "reason " + reason;
        }
    }

    /** Interrupt window open: stop asking for it; the queued interrupt is injected at the next
     *  entry. If the caller asked for the window and nothing is queued, tell the caller. */
    private static ExitStatus interruptWindow(VirtualCpu v) {
        long proc = v.vmcs().read(VmcsField.PRIMARY_PROC_BASED_VM_EXEC_CONTROL);
        v.vmcs().write(VmcsField.PRIMARY_PROC_BASED_VM_EXEC_CONTROL, proc & ~PrimaryProcBasedControls.INTERRUPT_WINDOW_EXITING);
        if (v.tunnel().requestInterruptWindow() && v.highestPending() < 0) return ExitStatus.INTERRUPT;
        return null;
    }
}
