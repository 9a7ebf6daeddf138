package org.haxm.vmx;

import static org.haxm.vmx.VmcsGroup.ENTRY_CONTROL;
import static org.haxm.vmx.VmcsGroup.EXECUTION_CONTROL;
import static org.haxm.vmx.VmcsGroup.EXIT_CONTROL;
import static org.haxm.vmx.VmcsGroup.EXIT_INFORMATION;
import static org.haxm.vmx.VmcsGroup.GUEST_NON_REGISTER;
import static org.haxm.vmx.VmcsGroup.GUEST_REGISTER;
import static org.haxm.vmx.VmcsGroup.HOST;

import java.util.Arrays;

/**
 * Every VMCS field the SDM defines (SDM Vol. 3C Appendix B, "Field Encoding in VMCS"), with its
 * 32-bit encoding as used by VMREAD/VMWRITE.
 *
 * <p>Width and type are not declared separately: they are <em>derived</em> from the encoding
 * (bits 14:13 and 11:10), exactly as the processor does, and the class initialiser checks that
 * the declared {@link VmcsGroup} agrees with the encoded type and that the table has no
 * duplicate or malformed encodings. The "high" encoding of a 64-bit field (encoding + 1) is not
 * a separate constant; see {@link VmcsEncoding}.
 */
public enum VmcsField {
    // ---- 16-bit control fields (Appendix B.1.1) ----
    VIRTUAL_PROCESSOR_ID(0x0000, EXECUTION_CONTROL, "Virtual-processor identifier (VPID)"),
    POSTED_INTERRUPT_NOTIFICATION_VECTOR(0x0002, EXECUTION_CONTROL, "Posted-interrupt notification vector"),
    EPTP_INDEX(0x0004, EXECUTION_CONTROL, "EPTP index"),
    HLAT_PREFIX_SIZE(0x0006, EXECUTION_CONTROL, "HLAT prefix size"),
    LAST_PID_POINTER_INDEX(0x0008, EXECUTION_CONTROL, "Last PID-pointer index"),
    VIRTUAL_TIMER_VECTOR(0x000A, EXECUTION_CONTROL, "Virtual timer vector"),
    // ---- 16-bit guest-state fields (B.1.2) ----
    GUEST_ES_SELECTOR(0x0800, GUEST_REGISTER, "Guest ES selector"),
    GUEST_CS_SELECTOR(0x0802, GUEST_REGISTER, "Guest CS selector"),
    GUEST_SS_SELECTOR(0x0804, GUEST_REGISTER, "Guest SS selector"),
    GUEST_DS_SELECTOR(0x0806, GUEST_REGISTER, "Guest DS selector"),
    GUEST_FS_SELECTOR(0x0808, GUEST_REGISTER, "Guest FS selector"),
    GUEST_GS_SELECTOR(0x080A, GUEST_REGISTER, "Guest GS selector"),
    GUEST_LDTR_SELECTOR(0x080C, GUEST_REGISTER, "Guest LDTR selector"),
    GUEST_TR_SELECTOR(0x080E, GUEST_REGISTER, "Guest TR selector"),
    GUEST_INTERRUPT_STATUS(0x0810, GUEST_NON_REGISTER, "Guest interrupt status (RVI/SVI)"),
    PML_INDEX(0x0812, GUEST_NON_REGISTER, "PML index"),
    GUEST_UINV(0x0814, GUEST_NON_REGISTER, "Guest user-interrupt notification vector (UINV)"),
    // ---- 16-bit host-state fields (B.1.3) ----
    HOST_ES_SELECTOR(0x0C00, HOST, "Host ES selector"),
    HOST_CS_SELECTOR(0x0C02, HOST, "Host CS selector"),
    HOST_SS_SELECTOR(0x0C04, HOST, "Host SS selector"),
    HOST_DS_SELECTOR(0x0C06, HOST, "Host DS selector"),
    HOST_FS_SELECTOR(0x0C08, HOST, "Host FS selector"),
    HOST_GS_SELECTOR(0x0C0A, HOST, "Host GS selector"),
    HOST_TR_SELECTOR(0x0C0C, HOST, "Host TR selector"),

    // ---- 64-bit control fields (B.2.1) ----
    IO_BITMAP_A(0x2000, EXECUTION_CONTROL, "I/O-bitmap A address (ports 0000-7FFF)"),
    IO_BITMAP_B(0x2002, EXECUTION_CONTROL, "I/O-bitmap B address (ports 8000-FFFF)"),
    MSR_BITMAP(0x2004, EXECUTION_CONTROL, "MSR-bitmap address"),
    VM_EXIT_MSR_STORE_ADDR(0x2006, EXIT_CONTROL, "VM-exit MSR-store address"),
    VM_EXIT_MSR_LOAD_ADDR(0x2008, EXIT_CONTROL, "VM-exit MSR-load address"),
    VM_ENTRY_MSR_LOAD_ADDR(0x200A, ENTRY_CONTROL, "VM-entry MSR-load address"),
    EXECUTIVE_VMCS_POINTER(0x200C, EXECUTION_CONTROL, "Executive-VMCS pointer"),
    PML_ADDRESS(0x200E, EXECUTION_CONTROL, "PML address"),
    TSC_OFFSET(0x2010, EXECUTION_CONTROL, "TSC offset"),
    VIRTUAL_APIC_PAGE_ADDR(0x2012, EXECUTION_CONTROL, "Virtual-APIC address"),
    APIC_ACCESS_ADDR(0x2014, EXECUTION_CONTROL, "APIC-access address"),
    POSTED_INTERRUPT_DESC_ADDR(0x2016, EXECUTION_CONTROL, "Posted-interrupt descriptor address"),
    VM_FUNCTION_CONTROLS(0x2018, EXECUTION_CONTROL, "VM-function controls"),
    EPT_POINTER(0x201A, EXECUTION_CONTROL, "EPT pointer (EPTP)"),
    EOI_EXIT_BITMAP0(0x201C, EXECUTION_CONTROL, "EOI-exit bitmap 0 (vectors 0-63)"),
    EOI_EXIT_BITMAP1(0x201E, EXECUTION_CONTROL, "EOI-exit bitmap 1 (vectors 64-127)"),
    EOI_EXIT_BITMAP2(0x2020, EXECUTION_CONTROL, "EOI-exit bitmap 2 (vectors 128-191)"),
    EOI_EXIT_BITMAP3(0x2022, EXECUTION_CONTROL, "EOI-exit bitmap 3 (vectors 192-255)"),
    EPTP_LIST_ADDRESS(0x2024, EXECUTION_CONTROL, "EPTP-list address"),
    VMREAD_BITMAP(0x2026, EXECUTION_CONTROL, "VMREAD-bitmap address"),
    VMWRITE_BITMAP(0x2028, EXECUTION_CONTROL, "VMWRITE-bitmap address"),
    VE_INFORMATION_ADDRESS(0x202A, EXECUTION_CONTROL, "Virtualization-exception information address"),
    XSS_EXITING_BITMAP(0x202C, EXECUTION_CONTROL, "XSS-exiting bitmap"),
    ENCLS_EXITING_BITMAP(0x202E, EXECUTION_CONTROL, "ENCLS-exiting bitmap"),
    SPP_TABLE_POINTER(0x2030, EXECUTION_CONTROL, "Sub-page-permission-table pointer (SPPTP)"),
    TSC_MULTIPLIER(0x2032, EXECUTION_CONTROL, "TSC multiplier"),
    TERTIARY_PROC_BASED_VM_EXEC_CONTROL(0x2034, EXECUTION_CONTROL, "Tertiary processor-based VM-execution controls"),
    ENCLV_EXITING_BITMAP(0x2036, EXECUTION_CONTROL, "ENCLV-exiting bitmap"),
    LOW_PASID_DIRECTORY_ADDRESS(0x2038, EXECUTION_CONTROL, "Low PASID directory address"),
    HIGH_PASID_DIRECTORY_ADDRESS(0x203A, EXECUTION_CONTROL, "High PASID directory address"),
    SHARED_EPT_POINTER(0x203C, EXECUTION_CONTROL, "Shared EPT pointer"),
    PCONFIG_EXITING_BITMAP(0x203E, EXECUTION_CONTROL, "PCONFIG-exiting bitmap"),
    HLAT_POINTER(0x2040, EXECUTION_CONTROL, "Hypervisor-managed linear-address translation pointer (HLATP)"),
    PID_POINTER_TABLE_ADDRESS(0x2042, EXECUTION_CONTROL, "PID-pointer table address"),
    SECONDARY_VM_EXIT_CONTROLS(0x2044, EXIT_CONTROL, "Secondary VM-exit controls"),
    IA32_SPEC_CTRL_MASK(0x204A, EXECUTION_CONTROL, "IA32_SPEC_CTRL mask"),
    IA32_SPEC_CTRL_SHADOW(0x204C, EXECUTION_CONTROL, "IA32_SPEC_CTRL shadow"),
    GUEST_DEADLINE_SHADOW(0x204E, EXECUTION_CONTROL, "Guest deadline shadow (APIC-timer virtualization)"),
    INJECTED_EVENT_DATA(0x2052, ENTRY_CONTROL, "Injected-event data (FRED)"),
    // ---- 64-bit read-only data fields (B.2.2) ----
    GUEST_PHYSICAL_ADDRESS(0x2400, EXIT_INFORMATION, "Guest-physical address"),
    MSR_DATA(0x2402, EXIT_INFORMATION, "MSR data (MSR-list instructions)"),
    ORIGINAL_EVENT_DATA(0x2404, EXIT_INFORMATION, "Original-event data (FRED)"),
    // ---- 64-bit guest-state fields (B.2.3) ----
    VMCS_LINK_POINTER(0x2800, GUEST_NON_REGISTER, "VMCS link pointer"),
    GUEST_IA32_DEBUGCTL(0x2802, GUEST_REGISTER, "Guest IA32_DEBUGCTL"),
    GUEST_IA32_PAT(0x2804, GUEST_REGISTER, "Guest IA32_PAT"),
    GUEST_IA32_EFER(0x2806, GUEST_REGISTER, "Guest IA32_EFER"),
    GUEST_IA32_PERF_GLOBAL_CTRL(0x2808, GUEST_REGISTER, "Guest IA32_PERF_GLOBAL_CTRL"),
    GUEST_PDPTE0(0x280A, GUEST_NON_REGISTER, "Guest PDPTE0"),
    GUEST_PDPTE1(0x280C, GUEST_NON_REGISTER, "Guest PDPTE1"),
    GUEST_PDPTE2(0x280E, GUEST_NON_REGISTER, "Guest PDPTE2"),
    GUEST_PDPTE3(0x2810, GUEST_NON_REGISTER, "Guest PDPTE3"),
    GUEST_IA32_BNDCFGS(0x2812, GUEST_REGISTER, "Guest IA32_BNDCFGS"),
    GUEST_IA32_RTIT_CTL(0x2814, GUEST_REGISTER, "Guest IA32_RTIT_CTL"),
    GUEST_IA32_LBR_CTL(0x2816, GUEST_REGISTER, "Guest IA32_LBR_CTL"),
    GUEST_IA32_PKRS(0x2818, GUEST_REGISTER, "Guest IA32_PKRS"),
    GUEST_IA32_FRED_CONFIG(0x281A, GUEST_REGISTER, "Guest IA32_FRED_CONFIG"),
    GUEST_IA32_FRED_RSP1(0x281C, GUEST_REGISTER, "Guest IA32_FRED_RSP1"),
    GUEST_IA32_FRED_RSP2(0x281E, GUEST_REGISTER, "Guest IA32_FRED_RSP2"),
    GUEST_IA32_FRED_RSP3(0x2820, GUEST_REGISTER, "Guest IA32_FRED_RSP3"),
    GUEST_IA32_FRED_STKLVLS(0x2822, GUEST_REGISTER, "Guest IA32_FRED_STKLVLS"),
    GUEST_IA32_FRED_SSP1(0x2824, GUEST_REGISTER, "Guest IA32_FRED_SSP1"),
    GUEST_IA32_FRED_SSP2(0x2826, GUEST_REGISTER, "Guest IA32_FRED_SSP2"),
    GUEST_IA32_FRED_SSP3(0x2828, GUEST_REGISTER, "Guest IA32_FRED_SSP3"),
    GUEST_IA32_SPEC_CTRL(0x282E, GUEST_REGISTER, "Guest IA32_SPEC_CTRL"),
    GUEST_DEADLINE(0x2830, GUEST_NON_REGISTER, "Guest deadline (APIC-timer virtualization)"),
    // ---- 64-bit host-state fields (B.2.4) ----
    HOST_IA32_PAT(0x2C00, HOST, "Host IA32_PAT"),
    HOST_IA32_EFER(0x2C02, HOST, "Host IA32_EFER"),
    HOST_IA32_PERF_GLOBAL_CTRL(0x2C04, HOST, "Host IA32_PERF_GLOBAL_CTRL"),
    HOST_IA32_PKRS(0x2C06, HOST, "Host IA32_PKRS"),
    HOST_IA32_FRED_CONFIG(0x2C08, HOST, "Host IA32_FRED_CONFIG"),
    HOST_IA32_FRED_RSP1(0x2C0A, HOST, "Host IA32_FRED_RSP1"),
    HOST_IA32_FRED_RSP2(0x2C0C, HOST, "Host IA32_FRED_RSP2"),
    HOST_IA32_FRED_RSP3(0x2C0E, HOST, "Host IA32_FRED_RSP3"),
    HOST_IA32_FRED_STKLVLS(0x2C10, HOST, "Host IA32_FRED_STKLVLS"),
    HOST_IA32_FRED_SSP1(0x2C12, HOST, "Host IA32_FRED_SSP1"),
    HOST_IA32_FRED_SSP2(0x2C14, HOST, "Host IA32_FRED_SSP2"),
    HOST_IA32_FRED_SSP3(0x2C16, HOST, "Host IA32_FRED_SSP3"),
    HOST_IA32_SPEC_CTRL(0x2C1A, HOST, "Host IA32_SPEC_CTRL"),

    // ---- 32-bit control fields (B.3.1) ----
    PIN_BASED_VM_EXEC_CONTROL(0x4000, EXECUTION_CONTROL, "Pin-based VM-execution controls"),
    PRIMARY_PROC_BASED_VM_EXEC_CONTROL(0x4002, EXECUTION_CONTROL, "Primary processor-based VM-execution controls"),
    EXCEPTION_BITMAP(0x4004, EXECUTION_CONTROL, "Exception bitmap"),
    PAGE_FAULT_ERROR_CODE_MASK(0x4006, EXECUTION_CONTROL, "Page-fault error-code mask"),
    PAGE_FAULT_ERROR_CODE_MATCH(0x4008, EXECUTION_CONTROL, "Page-fault error-code match"),
    CR3_TARGET_COUNT(0x400A, EXECUTION_CONTROL, "CR3-target count"),
    VM_EXIT_CONTROLS(0x400C, EXIT_CONTROL, "Primary VM-exit controls"),
    VM_EXIT_MSR_STORE_COUNT(0x400E, EXIT_CONTROL, "VM-exit MSR-store count"),
    VM_EXIT_MSR_LOAD_COUNT(0x4010, EXIT_CONTROL, "VM-exit MSR-load count"),
    VM_ENTRY_CONTROLS(0x4012, ENTRY_CONTROL, "VM-entry controls"),
    VM_ENTRY_MSR_LOAD_COUNT(0x4014, ENTRY_CONTROL, "VM-entry MSR-load count"),
    VM_ENTRY_INTERRUPTION_INFO(0x4016, ENTRY_CONTROL, "VM-entry interruption-information field"),
    VM_ENTRY_EXCEPTION_ERROR_CODE(0x4018, ENTRY_CONTROL, "VM-entry exception error code"),
    VM_ENTRY_INSTRUCTION_LENGTH(0x401A, ENTRY_CONTROL, "VM-entry instruction length"),
    TPR_THRESHOLD(0x401C, EXECUTION_CONTROL, "TPR threshold"),
    SECONDARY_PROC_BASED_VM_EXEC_CONTROL(0x401E, EXECUTION_CONTROL, "Secondary processor-based VM-execution controls"),
    PLE_GAP(0x4020, EXECUTION_CONTROL, "PLE_Gap"),
    PLE_WINDOW(0x4022, EXECUTION_CONTROL, "PLE_Window"),
    INSTRUCTION_TIMEOUT_CONTROL(0x4024, EXECUTION_CONTROL, "Instruction-timeout control"),
    GUEST_KEY_ID(0x4026, EXECUTION_CONTROL, "Guest key ID"),
    // ---- 32-bit read-only data fields (B.3.2) ----
    VM_INSTRUCTION_ERROR(0x4400, EXIT_INFORMATION, "VM-instruction error"),
    EXIT_REASON(0x4402, EXIT_INFORMATION, "Exit reason"),
    VM_EXIT_INTERRUPTION_INFO(0x4404, EXIT_INFORMATION, "VM-exit interruption information"),
    VM_EXIT_INTERRUPTION_ERROR_CODE(0x4406, EXIT_INFORMATION, "VM-exit interruption error code"),
    IDT_VECTORING_INFO(0x4408, EXIT_INFORMATION, "IDT-vectoring information"),
    IDT_VECTORING_ERROR_CODE(0x440A, EXIT_INFORMATION, "IDT-vectoring error code"),
    VM_EXIT_INSTRUCTION_LENGTH(0x440C, EXIT_INFORMATION, "VM-exit instruction length"),
    VM_EXIT_INSTRUCTION_INFO(0x440E, EXIT_INFORMATION, "VM-exit instruction information"),
    // ---- 32-bit guest-state fields (B.3.3) ----
    GUEST_ES_LIMIT(0x4800, GUEST_REGISTER, "Guest ES limit"),
    GUEST_CS_LIMIT(0x4802, GUEST_REGISTER, "Guest CS limit"),
    GUEST_SS_LIMIT(0x4804, GUEST_REGISTER, "Guest SS limit"),
    GUEST_DS_LIMIT(0x4806, GUEST_REGISTER, "Guest DS limit"),
    GUEST_FS_LIMIT(0x4808, GUEST_REGISTER, "Guest FS limit"),
    GUEST_GS_LIMIT(0x480A, GUEST_REGISTER, "Guest GS limit"),
    GUEST_LDTR_LIMIT(0x480C, GUEST_REGISTER, "Guest LDTR limit"),
    GUEST_TR_LIMIT(0x480E, GUEST_REGISTER, "Guest TR limit"),
    GUEST_GDTR_LIMIT(0x4810, GUEST_REGISTER, "Guest GDTR limit"),
    GUEST_IDTR_LIMIT(0x4812, GUEST_REGISTER, "Guest IDTR limit"),
    GUEST_ES_ACCESS_RIGHTS(0x4814, GUEST_REGISTER, "Guest ES access rights"),
    GUEST_CS_ACCESS_RIGHTS(0x4816, GUEST_REGISTER, "Guest CS access rights"),
    GUEST_SS_ACCESS_RIGHTS(0x4818, GUEST_REGISTER, "Guest SS access rights"),
    GUEST_DS_ACCESS_RIGHTS(0x481A, GUEST_REGISTER, "Guest DS access rights"),
    GUEST_FS_ACCESS_RIGHTS(0x481C, GUEST_REGISTER, "Guest FS access rights"),
    GUEST_GS_ACCESS_RIGHTS(0x481E, GUEST_REGISTER, "Guest GS access rights"),
    GUEST_LDTR_ACCESS_RIGHTS(0x4820, GUEST_REGISTER, "Guest LDTR access rights"),
    GUEST_TR_ACCESS_RIGHTS(0x4822, GUEST_REGISTER, "Guest TR access rights"),
    GUEST_INTERRUPTIBILITY_STATE(0x4824, GUEST_NON_REGISTER, "Guest interruptibility state"),
    GUEST_ACTIVITY_STATE(0x4826, GUEST_NON_REGISTER, "Guest activity state"),
    GUEST_SMBASE(0x4828, GUEST_REGISTER, "Guest SMBASE"),
    GUEST_IA32_SYSENTER_CS(0x482A, GUEST_REGISTER, "Guest IA32_SYSENTER_CS"),
    VMX_PREEMPTION_TIMER_VALUE(0x482E, GUEST_NON_REGISTER, "VMX-preemption timer value"),
    // ---- 32-bit host-state field (B.3.4) ----
    HOST_IA32_SYSENTER_CS(0x4C00, HOST, "Host IA32_SYSENTER_CS"),

    // ---- Natural-width control fields (B.4.1) ----
    CR0_GUEST_HOST_MASK(0x6000, EXECUTION_CONTROL, "CR0 guest/host mask"),
    CR4_GUEST_HOST_MASK(0x6002, EXECUTION_CONTROL, "CR4 guest/host mask"),
    CR0_READ_SHADOW(0x6004, EXECUTION_CONTROL, "CR0 read shadow"),
    CR4_READ_SHADOW(0x6006, EXECUTION_CONTROL, "CR4 read shadow"),
    CR3_TARGET_VALUE0(0x6008, EXECUTION_CONTROL, "CR3-target value 0"),
    CR3_TARGET_VALUE1(0x600A, EXECUTION_CONTROL, "CR3-target value 1"),
    CR3_TARGET_VALUE2(0x600C, EXECUTION_CONTROL, "CR3-target value 2"),
    CR3_TARGET_VALUE3(0x600E, EXECUTION_CONTROL, "CR3-target value 3"),
    // ---- Natural-width read-only data fields (B.4.2) ----
    EXIT_QUALIFICATION(0x6400, EXIT_INFORMATION, "Exit qualification"),
    IO_RCX(0x6402, EXIT_INFORMATION, "I/O RCX"),
    IO_RSI(0x6404, EXIT_INFORMATION, "I/O RSI"),
    IO_RDI(0x6406, EXIT_INFORMATION, "I/O RDI"),
    IO_RIP(0x6408, EXIT_INFORMATION, "I/O RIP"),
    GUEST_LINEAR_ADDRESS(0x640A, EXIT_INFORMATION, "Guest-linear address"),
    // ---- Natural-width guest-state fields (B.4.3) ----
    GUEST_CR0(0x6800, GUEST_REGISTER, "Guest CR0"),
    GUEST_CR3(0x6802, GUEST_REGISTER, "Guest CR3"),
    GUEST_CR4(0x6804, GUEST_REGISTER, "Guest CR4"),
    GUEST_ES_BASE(0x6806, GUEST_REGISTER, "Guest ES base"),
    GUEST_CS_BASE(0x6808, GUEST_REGISTER, "Guest CS base"),
    GUEST_SS_BASE(0x680A, GUEST_REGISTER, "Guest SS base"),
    GUEST_DS_BASE(0x680C, GUEST_REGISTER, "Guest DS base"),
    GUEST_FS_BASE(0x680E, GUEST_REGISTER, "Guest FS base"),
    GUEST_GS_BASE(0x6810, GUEST_REGISTER, "Guest GS base"),
    GUEST_LDTR_BASE(0x6812, GUEST_REGISTER, "Guest LDTR base"),
    GUEST_TR_BASE(0x6814, GUEST_REGISTER, "Guest TR base"),
    GUEST_GDTR_BASE(0x6816, GUEST_REGISTER, "Guest GDTR base"),
    GUEST_IDTR_BASE(0x6818, GUEST_REGISTER, "Guest IDTR base"),
    GUEST_DR7(0x681A, GUEST_REGISTER, "Guest DR7"),
    GUEST_RSP(0x681C, GUEST_REGISTER, "Guest RSP"),
    GUEST_RIP(0x681E, GUEST_REGISTER, "Guest RIP"),
    GUEST_RFLAGS(0x6820, GUEST_REGISTER, "Guest RFLAGS"),
    GUEST_PENDING_DEBUG_EXCEPTIONS(0x6822, GUEST_NON_REGISTER, "Guest pending debug exceptions"),
    GUEST_IA32_SYSENTER_ESP(0x6824, GUEST_REGISTER, "Guest IA32_SYSENTER_ESP"),
    GUEST_IA32_SYSENTER_EIP(0x6826, GUEST_REGISTER, "Guest IA32_SYSENTER_EIP"),
    GUEST_IA32_S_CET(0x6828, GUEST_REGISTER, "Guest IA32_S_CET"),
    GUEST_SSP(0x682A, GUEST_REGISTER, "Guest SSP"),
    GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR(0x682C, GUEST_REGISTER, "Guest IA32_INTERRUPT_SSP_TABLE_ADDR"),
    // ---- Natural-width host-state fields (B.4.4) ----
    HOST_CR0(0x6C00, HOST, "Host CR0"),
    HOST_CR3(0x6C02, HOST, "Host CR3"),
    HOST_CR4(0x6C04, HOST, "Host CR4"),
    HOST_FS_BASE(0x6C06, HOST, "Host FS base"),
    HOST_GS_BASE(0x6C08, HOST, "Host GS base"),
    HOST_TR_BASE(0x6C0A, HOST, "Host TR base"),
    HOST_GDTR_BASE(0x6C0C, HOST, "Host GDTR base"),
    HOST_IDTR_BASE(0x6C0E, HOST, "Host IDTR base"),
    HOST_IA32_SYSENTER_ESP(0x6C10, HOST, "Host IA32_SYSENTER_ESP"),
    HOST_IA32_SYSENTER_EIP(0x6C12, HOST, "Host IA32_SYSENTER_EIP"),
    HOST_RSP(0x6C14, HOST, "Host RSP"),
    HOST_RIP(0x6C16, HOST, "Host RIP"),
    HOST_IA32_S_CET(0x6C18, HOST, "Host IA32_S_CET"),
    HOST_SSP(0x6C1A, HOST, "Host SSP"),
    HOST_IA32_INTERRUPT_SSP_TABLE_ADDR(0x6C1C, HOST, "Host IA32_INTERRUPT_SSP_TABLE_ADDR");

    /**
     * Encoding bits that must be zero in every full encoding: 31:15 and 12 are reserved
     * (SDM Vol. 3C §25.11.2), and bit 0 is the access type (0 = full).
     */
    public static final int RESERVED_ENCODING_BITS = 0xFFFF_9000;

    /** Bits 9:1 of an encoding: the field index within its width and type. */
    public static final int INDEX_MASK = 0x3FE;

    /** Lookup table indexed by {@code encoding >>> 1}: bits 14:1 of a full encoding. */
    private static final VmcsField[] BY_ENCODING = new VmcsField[1 << 14];

    static {
        for (VmcsField f : values()) {
            f.checkConsistency();
            if (BY_ENCODING[f.encoding >>> 1] != null) {
                throw new IllegalStateException("Duplicate VMCS encoding 0x" + Integer.toHexString(f.encoding)
                    + ": " + BY_ENCODING[f.encoding >>> 1] + " and " + f);
            }
            BY_ENCODING[f.encoding >>> 1] = f;
        }
    }

    private final int encoding;
    private final FieldWidth width;
    private final FieldType type;
    private final VmcsGroup group;
    private final String humanName;

    VmcsField(int encoding, VmcsGroup group, String humanName) {
        this.encoding = encoding;
        this.width = FieldWidth.fromEncoding(encoding);
        this.type = FieldType.fromEncoding(encoding);
        this.group = group;
        this.humanName = humanName;
    }

    /** Fails class initialisation if this constant's encoding is malformed or contradicts its group. */
    private void checkConsistency() {
        if ((encoding & (RESERVED_ENCODING_BITS | 1)) != 0) {
            throw new IllegalStateException(this + ": encoding 0x" + Integer.toHexString(encoding)
                + " sets reserved bits or the high-access bit");
        }
        if (group.type() != type) {
            throw new IllegalStateException(this + ": group " + group + " needs type " + group.type()
                + " but encoding bits 11:10 say " + type);
        }
    }

    /** The full (access type 0) encoding used with VMREAD/VMWRITE. */
    public int encoding() { return encoding; }

    /** Width, from encoding bits 14:13. */
    public FieldWidth width() { return width; }

    /** Type, from encoding bits 11:10. */
    public FieldType type() { return type; }

    /** Index within width and type, from encoding bits 9:1. */
    public int index() { return (encoding & INDEX_MASK) >>> 1; }

    /** The SDM area the field belongs to. */
    public VmcsGroup group() { return group; }

    /** The SDM's name of the field, for diagnostics and {@link Vmcs#dump()}. */
    public String humanName() { return humanName; }

    /** True for VM-exit information fields, which software cannot write. */
    public boolean isReadOnly() { return type.isReadOnly(); }

    /** True if this field also has a "high" encoding ({@code encoding() + 1}) for bits 63:32. */
    public boolean hasHighEncoding() { return width == FieldWidth.QWORD64; }

    /**
     * The field whose full encoding is {@code encoding}, or {@code null} if the SDM defines no
     * such field (high encodings of 64-bit fields also give null: use {@link VmcsEncoding}).
     */
    public static VmcsField fromEncoding(int encoding) {
        if ((encoding & (RESERVED_ENCODING_BITS | 1)) != 0) {
            return null;
        }
        return BY_ENCODING[encoding >>> 1];
    }

    /**
     * Like {@link #fromEncoding(int)} but throws for unknown encodings.
     *
     * @throws IllegalArgumentException naming the encoding if no field has it
     */
    public static VmcsField requireEncoding(int encoding) {
        VmcsField f = fromEncoding(encoding);
        if (f == null) {
            throw new IllegalArgumentException("encoding 0x" + Integer.toHexString(encoding)
                + " is not the full encoding of any VMCS field");
        }
        return f;
    }

    /** Highest field index (encoding bits 9:1) used by any field, as IA32_VMX_VMCS_ENUM reports it. */
    public static int highestIndex() {
        return Arrays.stream(values()).mapToInt(VmcsField::index).max().orElse(0);
    }
}
