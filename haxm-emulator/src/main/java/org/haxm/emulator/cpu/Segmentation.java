package org.haxm.emulator.cpu;

import org.haxm.emulator.Cpu;
import org.haxm.emulator.CpuException;
import org.haxm.emulator.mem.AccessType;

/**
 * Segmentation (SDM Vol. 3A ch. 3 and §5.1-5.6): logical-to-linear translation with the limit,
 * type and canonical checks, and the loading of segment registers from the GDT/LDT with the
 * checks of the MOV/POP/LxS "Operation" sections (SDM Vol. 2).
 *
 * <p>Real mode keeps the cached limit and attributes of a segment when only its selector is
 * reloaded, exactly like hardware, so "unreal mode" (4-GiB limits left over from protected mode)
 * works.
 */
public final class Segmentation {
    private static final int SS = Segment.SS.ordinal(), FS = Segment.FS.ordinal(), GS = Segment.GS.ordinal();
    private static final int GP = 13, NP = 11, SS_FAULT = 12;

    private final Cpu cpu;
    private final CpuState state;
    /** Linear address of the descriptor {@link #readDescriptor} read last (for the accessed bit). */
    private long descriptorAddress;

    public Segmentation(Cpu cpu) {
        this.cpu = cpu;
        this.state = cpu.state();
    }

    /** Protected mode proper: CR0.PE = 1 and not virtual-8086 mode. */
    public boolean protectedMode() {
        return (state.cr0 & CpuState.CR0_PE) != 0 && (state.storedRflags() & CpuState.VM) == 0;
    }

    /** 64-bit mode: IA-32e mode with a 64-bit code segment (SDM Vol. 3A §2.2). */
    public boolean mode64() {
        return (state.efer & CpuState.EFER_LMA) != 0 && state.seg[Segment.CS.ordinal()].longMode();
    }

    /** Linear address of segment register {@code seg} (ordinal 0..5) : offset, with all checks. */
    public long linear(int seg, long offset, int size, int access) {
        return linear(state.seg[seg], seg, offset, size, access);
    }

    /**
     * Logical-to-linear translation through an explicit segment register (e.g. a new stack not yet
     * loaded). Faults: #GP(0), or #SS(0) when {@code seg} is SS.
     *
     * @param seg    segment ordinal deciding the fault vector and the 64-bit base rule
     * @param access {@link AccessType#READ}, {@link AccessType#WRITE} or {@link AccessType#EXECUTE}
     */
    public long linear(SegmentRegister sr, int seg, long offset, int size, int access) {
        int vector = seg == SS ? SS_FAULT : GP;
        if (mode64()) {
            // 64-bit mode: only FS and GS bases apply, no limits, canonical check (§3.3.7.1, §5.3.1).
            long lin = offset + ((seg == FS || seg == GS) ? sr.base : 0);
            long last = lin + size - 1;
            if (((lin << 16) >> 16) != lin || ((last << 16) >> 16) != last) throw cpu.fault(vector, 0);
            return lin;
        }
        offset &= 0xFFFF_FFFFL;
        if (protectedMode()) {
            // A null selector leaves the register unusable: any access faults (§5.4.1).
            if (sr.unusable()) throw cpu.fault(vector, 0);
            int type = sr.type();
            boolean codeSeg = (type & Descriptor.TYPE_CODE) != 0;
            if (access == AccessType.WRITE && (codeSeg || (type & Descriptor.TYPE_WRITABLE) == 0)) throw cpu.fault(vector, 0);
            if (access == AccessType.READ && codeSeg && (type & Descriptor.TYPE_READABLE) == 0) throw cpu.fault(vector, 0);
        }
        checkLimit(sr, offset, size, vector);
        return (sr.base + offset) & 0xFFFF_FFFFL;
    }

    private void checkLimit(SegmentRegister sr, long offset, int size, int vector) {
        long last = offset + size - 1;
        long limit = sr.limitUnsigned();
        int type = sr.type();
        boolean data = (sr.accessRights & SegmentRegister.AR_S) != 0 && (type & Descriptor.TYPE_CODE) == 0;
        if (data && (type & Descriptor.TYPE_EXPAND_DOWN) != 0) {
            // Expand-down: valid offsets are limit+1 .. 64K-1 or 4G-1 by the B flag (§5.3).
            long upper = sr.big() ? 0xFFFF_FFFFL : 0xFFFF;
            if (offset <= limit || last > upper) throw cpu.fault(vector, 0);
        } else if (limit != 0xFFFF_FFFFL && last > limit) {
            throw cpu.fault(vector, 0);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Descriptor tables

    /**
     * Reads the descriptor {@code selector} names from the GDT or LDT (§3.5.1).
     *
     * @param ext 1 to set the EXT bit of the error code (event delivery), else 0
     * @throws CpuException #GP(selector) when the index is beyond the table limit
     */
    public long readDescriptor(int selector, int ext) {
        long base;
        long limit;
        if ((selector & 4) != 0) {
            SegmentRegister ldtr = state.seg[Segment.LDTR.ordinal()];
            if (ldtr.unusable()) throw cpu.fault(GP, (selector & 0xFFFC) | ext);
            base = ldtr.base;
            limit = ldtr.limitUnsigned();
        } else {
            base = state.gdtrBase;
            limit = state.gdtrLimit & 0xFFFF;
        }
        int index = selector & 0xFFF8;
        if (index + 7 > limit) throw cpu.fault(GP, (selector & 0xFFFC) | ext);
        descriptorAddress = base + index;
        if ((state.efer & CpuState.EFER_LMA) == 0) descriptorAddress &= 0xFFFF_FFFFL; // 32-bit table bases outside IA-32e mode
        return cpu.readLinear(descriptorAddress, 8, AccessType.READ, true);
    }

    /** Upper 32 bits of a 16-byte system descriptor's base (IA-32e mode LDT/TSS, §7.2.3). */
    private long readDescriptorHigh(int selector) {
        int index = (selector & 0xFFF8) + 8;
        if (index + 7 > (state.gdtrLimit & 0xFFFF)) throw cpu.fault(GP, selector & 0xFFFC);
        return cpu.readLinear(state.gdtrBase + index, 8, AccessType.READ, true) << 32;
    }

    /** Sets the accessed bit of the descriptor {@link #readDescriptor} returned last (§3.4.5.1). */
    public void setAccessed(long d) {
        if ((Descriptor.type(d) & Descriptor.TYPE_ACCESSED) == 0 && !Descriptor.system(d)) {
            cpu.writeLinear(descriptorAddress + 5, 1, ((d >>> 40) & 0xFF) | 1, true);
        }
    }

    /** Fills {@code sr} from a descriptor. */
    public static void fromDescriptor(SegmentRegister sr, int selector, long d) {
        sr.set(selector, Descriptor.base(d), Descriptor.limit(d), Descriptor.accessRights(d) | Descriptor.TYPE_ACCESSED);
    }

    /** A segment loaded the real-mode way: selector and base = selector * 16, cached limit/rights kept. */
    public void loadReal(SegmentRegister sr, int selector) {
        sr.selector = selector & 0xFFFF;
        sr.base = (long) (selector & 0xFFFF) << 4;
        if ((state.storedRflags() & CpuState.VM) != 0) {
            // Virtual-8086 mode: every segment is a 64-KiB DPL-3 read/write data segment (§20.2.1).
            sr.limit = 0xFFFF;
            sr.accessRights = 0xF3;
        } else if (sr.unusable()) {
            sr.accessRights = 0x93;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Loading segment registers

    /**
     * MOV Sreg / POP Sreg / LxS / LLDT / LTR: loads {@code s} with the checks of the instruction's
     * Operation section. CS cannot be loaded this way (#UD, as MOV CS is undefined).
     */
    public void load(Segment s, int selector) {
        selector &= 0xFFFF;
        if (s == Segment.CS) throw cpu.fault(6, -1);
        SegmentRegister sr = state.seg(s);
        if (!protectedMode()) {
            if (s == Segment.LDTR || s == Segment.TR) throw cpu.fault(6, -1); // LLDT/LTR are #UD in real/v86 mode
            loadReal(sr, selector);
            return;
        }
        switch (s) {
            case SS -> loadStack(sr, selector, state.cpl());
            case LDTR -> loadLdt(sr, selector);
            case TR -> loadTaskRegister(sr, selector);
            default -> loadData(sr, selector);
        }
    }

    /** DS/ES/FS/GS in protected mode (SDM Vol. 2 "MOV", Operation). */
    private void loadData(SegmentRegister sr, int selector) {
        if ((selector & 0xFFFC) == 0) {
            // Null selector: allowed; the register becomes unusable (Intel also clears the base).
            sr.set(selector, 0, 0, SegmentRegister.AR_UNUSABLE);
            return;
        }
        long d = readDescriptor(selector, 0);
        int rpl = selector & 3;
        int cpl = state.cpl();
        int type = Descriptor.type(d);
        boolean codeSeg = Descriptor.code(d);
        if (Descriptor.system(d) || (codeSeg && (type & Descriptor.TYPE_READABLE) == 0)) throw cpu.fault(GP, selector & 0xFFFC);
        boolean conformingCode = codeSeg && (type & Descriptor.TYPE_CONFORMING) != 0;
        if (!conformingCode && (rpl > Descriptor.dpl(d) || cpl > Descriptor.dpl(d))) throw cpu.fault(GP, selector & 0xFFFC);
        if (!Descriptor.present(d)) throw cpu.fault(NP, selector & 0xFFFC);
        setAccessed(d);
        fromDescriptor(sr, selector, d);
    }

    /**
     * SS in protected mode: RPL = CPL, writable data, DPL = CPL; not present is #SS(selector).
     * In 64-bit mode a null SS is allowed at CPL &lt; 3 with RPL = CPL (SDM Vol. 2 "MOV").
     */
    public void loadStack(SegmentRegister sr, int selector, int cpl) {
        loadStackInto(sr, selector, cpl, GP);
    }

    /**
     * Loads a stack segment for privilege level {@code cpl} into {@code sr} (which may be a scratch
     * register committed later). Check failures raise {@code vector} (#GP for MOV/RET/IRET, #TS for
     * stack switches) with the selector; not present raises #SS(selector).
     */
    public void loadStackInto(SegmentRegister sr, int selector, int cpl, int vector) {
        selector &= 0xFFFF;
        int rpl = selector & 3;
        if ((selector & 0xFFFC) == 0) {
            if ((state.efer & CpuState.EFER_LMA) != 0 && cpl < 3 && rpl == cpl) {
                sr.set(selector, 0, 0, SegmentRegister.AR_UNUSABLE | (cpl << SegmentRegister.AR_DPL_SHIFT));
                return;
            }
            throw cpu.fault(vector, 0);
        }
        long d = readDescriptor(selector, 0);
        checkStackDescriptor(selector, d, cpl, vector);
        if (!Descriptor.present(d)) throw cpu.fault(SS_FAULT, selector & 0xFFFC);
        setAccessed(d);
        fromDescriptor(sr, selector, d);
    }

    /** The SS rules shared by MOV SS, RET/IRET to outer privilege and stack switches (#TS there). */
    public void checkStackDescriptor(int selector, long d, int cpl, int vector) {
        int type = Descriptor.type(d);
        if ((selector & 3) != cpl || Descriptor.system(d) || Descriptor.code(d)
            || (type & Descriptor.TYPE_WRITABLE) == 0 || Descriptor.dpl(d) != cpl) {
            throw cpu.fault(vector, selector & 0xFFFC);
        }
    }

    /** LLDT (SDM Vol. 2 "LLDT"): a GDT selector of an LDT descriptor, or null. */
    private void loadLdt(SegmentRegister sr, int selector) {
        if ((selector & 0xFFFC) == 0) {
            sr.set(selector, 0, 0, SegmentRegister.AR_UNUSABLE);
            return;
        }
        if ((selector & 4) != 0) throw cpu.fault(GP, selector & 0xFFFC);
        long d = readDescriptor(selector, 0);
        if (!Descriptor.system(d) || Descriptor.type(d) != Descriptor.LDT) throw cpu.fault(GP, selector & 0xFFFC);
        if (!Descriptor.present(d)) throw cpu.fault(NP, selector & 0xFFFC);
        long high = (state.efer & CpuState.EFER_LMA) != 0 ? readDescriptorHigh(selector) : 0;
        sr.set(selector, (Descriptor.base(d) | high), Descriptor.limit(d), Descriptor.accessRights(d));
    }

    /** LTR (SDM Vol. 2 "LTR"): an available TSS in the GDT, which becomes busy. */
    private void loadTaskRegister(SegmentRegister sr, int selector) {
        if ((selector & 0xFFFC) == 0 || (selector & 4) != 0) throw cpu.fault(GP, selector & 0xFFFC);
        long d = readDescriptor(selector, 0);
        int type = Descriptor.type(d);
        boolean lma = (state.efer & CpuState.EFER_LMA) != 0;
        boolean ok = Descriptor.system(d) && (type == Descriptor.TSS_AVAILABLE || (!lma && type == Descriptor.TSS16_AVAILABLE));
        if (!ok) throw cpu.fault(GP, selector & 0xFFFC);
        if (!Descriptor.present(d)) throw cpu.fault(NP, selector & 0xFFFC);
        long high = lma ? readDescriptorHigh(selector) : 0;
        long busyAddress = descriptorAddress + 5;
        cpu.writeLinear(busyAddress, 1, ((d >>> 40) & 0xFF) | 2, true);
        sr.set(selector, Descriptor.base(d) | high, Descriptor.limit(d), Descriptor.accessRights(d) | 2);
    }

    /** Linear address of the descriptor read last (for callers that update other descriptor bits). */
    public long lastDescriptorAddress() { return descriptorAddress; }
}
