package org.haxm.core.msr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.haxm.core.VirtualCpu;
import org.haxm.core.VirtualMachine;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.controls.EntryControls;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The MSR rules shared by guest RDMSR/WRMSR and the caller's GET/SET_MSRS (haxm-api.md §6.5). */
class MsrHandlerProperties {
    private static final int APIC_BASE = MsrHandler.IA32_APIC_BASE, PAT = MsrHandler.IA32_PAT, EFER = MsrHandler.IA32_EFER;
    private static final long LME = 1 << 8, LMA = 1 << 10, SCE = 1, NXE = 1 << 11;

    private final VirtualMachine vm = new VirtualMachine(0, () -> { });
    private final VirtualCpu bsp = vm.createVcpu(0);
    private final VirtualCpu ap = vm.createVcpu(1);

    private static long read(VirtualCpu v, int msr) {
        assertTrue(v.msrs().read(msr), "MSR 0x" + Integer.toHexString(msr) + " readable");
        return v.msrs().value();
    }

    @Test
    void apicBaseStartsEnabledAtFee00000WithBspOnlyOnVcpu0() {
        assertEquals(0xFEE0_0900L, read(bsp, APIC_BASE));
        assertEquals(0xFEE0_0800L, read(ap, APIC_BASE));
    }

    @Test
    void apicBaseAcceptsOnlyTheArchitecturalAddressAndNoReservedBits() {
        assertTrue(bsp.msrs().write(APIC_BASE, 0xFEE0_0100L, true), "disabled, BSP");
        assertEquals(0xFEE0_0100L, read(bsp, APIC_BASE));
        assertFalse(bsp.msrs().write(APIC_BASE, 0xFED0_0900L, true), "relocation refused");
        assertFalse(bsp.msrs().write(APIC_BASE, 0xFEE0_0A00L, true), "x2APIC enable (bit 10) refused");
        assertFalse(bsp.msrs().write(APIC_BASE, 0xFEE0_0901L, true), "reserved bit 0");
        assertFalse(ap.msrs().write(APIC_BASE, 0xFEE0_0900L, false), "BSP flag on an AP");
        assertTrue(ap.msrs().write(APIC_BASE, 0xFEE0_0000L, false));
        assertEquals(0xFEE0_0100L, read(bsp, APIC_BASE), "refused writes leave the value");
    }

    /** A PAT value is valid iff each of its 8 entries is a defined memory type (0, 1, 4, 5, 6, 7; SDM Vol. 3A §13.12.2). */
    @Property(tries = 500)
    void patAcceptsExactlyDefinedMemoryTypes(@ForAll long value) {
        VirtualCpu v = new VirtualMachine(1, () -> { }).createVcpu(0);
        long before = read(v, PAT);
        boolean valid = true;
        for (int i = 0; i < 8; i++) {
            int t = (int) (value >>> (8 * i)) & 0xFF;
            if (t == 2 || t == 3 || t > 7) valid = false;
        }
        assertEquals(valid, v.msrs().write(PAT, value, true));
        assertEquals(valid ? value : before, read(v, PAT));
        assertEquals(valid ? value : before, v.vmcs().read(VmcsField.GUEST_IA32_PAT), "PAT lives in the VMCS guest area");
    }

    @Property(tries = 200)
    void patWithOnlyDefinedTypesIsAlwaysAccepted(@ForAll long seed) {
        int[] types = {0, 1, 4, 5, 6, 7};
        long value = 0;
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < 8; i++) value |= (long) types[r.nextInt(6)] << (8 * i);
        assertTrue(bsp.msrs().write(PAT, value, true));
        assertEquals(value, read(bsp, PAT));
    }

    private void pagingOn(VirtualCpu v, boolean on) {
        long cr0 = v.vmcs().read(VmcsField.GUEST_CR0);
        v.vmcs().write(VmcsField.GUEST_CR0, on ? cr0 | 0x8000_0001L : cr0 & ~0x8000_0000L);
    }

    @Test
    void guestMayNotToggleLmeWhilePagingIsOn() {
        pagingOn(bsp, true);
        assertFalse(bsp.msrs().write(EFER, LME, true), "guest: LME change with CR0.PG = 1 is #GP");
        assertTrue(bsp.msrs().write(EFER, SCE | NXE, true), "other bits may change");
        assertEquals(SCE | NXE, read(bsp, EFER));
        pagingOn(bsp, false);
        assertTrue(bsp.msrs().write(EFER, LME | SCE, true));
        assertEquals(LME | SCE, read(bsp, EFER));
    }

    @Test
    void guestCannotWriteLmaButTheCallerCan() {
        assertTrue(bsp.msrs().write(EFER, LME | LMA, true));
        assertEquals(LME, read(bsp, EFER), "LMA is the processor's: a guest write leaves it");
        assertEquals(0, bsp.vmcs().read(VmcsField.VM_ENTRY_CONTROLS) & EntryControls.IA32E_MODE_GUEST);

        pagingOn(bsp, true);
        assertTrue(bsp.msrs().write(EFER, LME | LMA, false), "the caller skips the guest rules");
        assertEquals(LME | LMA, read(bsp, EFER));
        assertTrue((bsp.vmcs().read(VmcsField.VM_ENTRY_CONTROLS) & EntryControls.IA32E_MODE_GUEST) != 0,
            "IA-32e mode guest entry control follows LMA");
        assertTrue(bsp.msrs().write(EFER, 0, false));
        assertEquals(0, bsp.vmcs().read(VmcsField.VM_ENTRY_CONTROLS) & EntryControls.IA32E_MODE_GUEST);
    }

    @Property(tries = 200)
    void eferRefusesBitsOtherThanSceLmeLmaNxe(@ForAll long value) {
        boolean valid = (value & ~(SCE | LME | LMA | NXE)) == 0;
        assertEquals(valid, ap.msrs().write(EFER, value, false));
    }

    @Property(tries = 200)
    void baseAddressMsrsAcceptExactlyCanonicalAddresses(@ForAll long address) {
        boolean canonical = (address << 16) >> 16 == address;
        for (int msr : new int[] {MsrHandler.IA32_SYSENTER_ESP, MsrHandler.IA32_SYSENTER_EIP, MsrHandler.IA32_FS_BASE,
            MsrHandler.IA32_GS_BASE}) {
            long before = read(ap, msr);
            assertEquals(canonical, ap.msrs().write(msr, address, true), "MSR 0x" + Integer.toHexString(msr));
            assertEquals(canonical ? address : before, read(ap, msr));
        }
    }

    @Test
    void mtrrsAreStoredAndUnknownMsrsRefused() {
        assertTrue(bsp.msrs().write(0x200, 0x1234_5006L, true));
        assertTrue(bsp.msrs().write(0x213, 7, true));
        assertTrue(bsp.msrs().write(0x26F, 0x0606_0606_0606_0606L, true));
        assertEquals(0x1234_5006L, read(bsp, 0x200));
        assertEquals(7, read(bsp, 0x213));
        assertEquals(0x0606_0606_0606_0606L, read(bsp, 0x26F));
        assertFalse(bsp.msrs().read(0x12345));
        assertFalse(bsp.msrs().write(0x12345, 0, true));
        assertFalse(bsp.msrs().read(0x214), "only 10 variable MTRR pairs");
    }

    @Test
    void tscWriteSetsTheCounter() {
        assertTrue(bsp.msrs().write(MsrHandler.IA32_TSC, 1_000_000, true));
        assertEquals(1_000_000, read(bsp, MsrHandler.IA32_TSC));
    }
}
