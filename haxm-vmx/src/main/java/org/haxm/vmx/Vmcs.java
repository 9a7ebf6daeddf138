package org.haxm.vmx;

import java.util.EnumMap;
import java.util.Map;

/**
 * The VMCS region of one virtual processor (SDM Vol. 3C Chapter 25).
 *
 * <p>Real processors keep the field data in an implementation-specific layout that software may
 * only reach through VMREAD/VMWRITE; this model keeps one {@code long} per {@link VmcsField},
 * indexed by ordinal, so reads and writes on the exit path cost an array access and never
 * allocate. Besides the field data the region carries the revision identifier (offset 0), the
 * VMX-abort indicator (offset 4) and the launch state (SDM §25.1, §25.11.3).
 *
 * <p>Three kinds of access are offered:
 * <ul>
 *   <li>software access by {@link VmcsField} ({@link #read}, {@link #write} and the typed
 *       variants), used by the engine's own VMM logic, which refuses VM-exit information fields;
 *   <li>processor-side stores of exit information on VM exit ({@link #writeExitInformation});
 *   <li>VMREAD/VMWRITE semantics by raw encoding ({@link #vmread}, {@link #vmwrite}), reporting
 *       failures as VMfailValid with an SDM error number.
 * </ul>
 * Not thread-safe: a VMCS belongs to one VCPU thread.
 */
public final class Vmcs {

    /** Launch state of a VMCS (SDM Vol. 3C §25.11.3): VMCLEAR makes it clear, VMLAUNCH launched. */
    public enum LaunchState { CLEAR, LAUNCHED }

    private static final VmcsField[] FIELDS = VmcsField.values();
    /** Per field ordinal: the value mask of its width and whether software may write it — looked
     *  up on every write (a VM exit stores some 60 guest fields), so kept as flat arrays. */
    private static final long[] WIDTH_MASK = new long[FIELDS.length];
    /** Length of a field mask: one bit per {@link VmcsField} ordinal, 64 to a long. */
    public static final int FIELD_MASK_WORDS = (FIELDS.length + 63) >>> 6;
    private static final boolean[] READ_ONLY = new boolean[FIELDS.length];

    static {
        for (VmcsField f : FIELDS) {
            WIDTH_MASK[f.ordinal()] = f.width().valueMask();
            READ_ONLY[f.ordinal()] = f.isReadOnly();
        }
    }
    private static final long LOW_HALF = 0xFFFF_FFFFL;

    private final int revisionId;
    private final long[] values = new long[FIELDS.length];
    /** One bit per field ordinal: the field's value changed since {@link #clearChanges()}. */
    private final long[] changed = new long[FIELD_MASK_WORDS];
    private LaunchState launchState = LaunchState.CLEAR;
    private int abortIndicator;

    /**
     * Creates a zero-filled, clear VMCS.
     *
     * @param revisionId VMCS revision identifier, bits 30:0 of IA32_VMX_BASIC (0..0x7FFFFFFF;
     *                   bit 31 is the shadow-VMCS indicator, not part of the identifier)
     * @throws IllegalArgumentException if {@code revisionId} does not fit in 31 bits
     */
    public Vmcs(int revisionId) {
        if (revisionId < 0) {
            throw new IllegalArgumentException("revisionId must be in 0..0x7FFFFFFF (31 bits), got 0x"
                + Integer.toHexString(revisionId));
        }
        this.revisionId = revisionId;
    }

    /** The VMCS revision identifier stored at offset 0 of the region. */
    public int revisionId() { return revisionId; }

    /** Current launch state. */
    public LaunchState launchState() { return launchState; }

    /** VMCLEAR: the launch state becomes clear (field data is kept). */
    public void clear() { launchState = LaunchState.CLEAR; }

    /** A successful VMLAUNCH makes the launch state launched (SDM Vol. 3C §31.3, VMLAUNCH/VMRESUME). */
    public void markLaunched() { launchState = LaunchState.LAUNCHED; }

    /** VMX-abort indicator at offset 4 (0 unless a VMX abort happened). */
    public int abortIndicator() { return abortIndicator; }

    /** Records a VMX-abort code (SDM Vol. 3C §28.7): 1-6, see the SDM list. */
    public void setAbortIndicator(int code) { abortIndicator = code; }

    // ---------------------------------------------------------------- software access by field

    /** The value of {@code field}, zero-extended to 64 bits. */
    public long read(VmcsField field) { return values[field.ordinal()]; }

    /**
     * Writes a field as VMM software would.
     *
     * @throws VmcsAccessException      if {@code field} is a read-only VM-exit information field
     * @throws IllegalArgumentException if {@code value}, taken as unsigned, has bits beyond the
     *                                  field's width (use {@link #write32} for int values)
     */
    public void write(VmcsField field, long value) {
        int o = field.ordinal();
        if (!READ_ONLY[o] && (value & ~WIDTH_MASK[o]) == 0) {
            store(o, value);
            return;
        }
        if (field.isReadOnly()) {
            throw new VmcsAccessException(field + " is a VM-exit information field and is read-only to "
                + "software (SDM Vol. 3C §25.9); the processor side uses writeExitInformation");
        }
        store(field.ordinal(), checkFits(field, value));
    }

    /** Writes a 16-bit field from an int in 0..0xFFFF. */
    public void write16(VmcsField field, int value) {
        requireWidth(field, FieldWidth.WORD16);
        write(field, value);
    }

    /** Writes a 32-bit field from an int taken as unsigned (so bit 31 may be set). */
    public void write32(VmcsField field, int value) {
        requireWidth(field, FieldWidth.DWORD32);
        write(field, Integer.toUnsignedLong(value));
    }

    /** Reads a 16-bit field. @throws IllegalArgumentException if the field is not 16-bit */
    public int read16(VmcsField field) {
        requireWidth(field, FieldWidth.WORD16);
        return (int) values[field.ordinal()];
    }

    /** Reads a 32-bit field (bit 31 lands in the int's sign). @throws IllegalArgumentException if not 32-bit */
    public int read32(VmcsField field) {
        requireWidth(field, FieldWidth.DWORD32);
        return (int) values[field.ordinal()];
    }

    /** Reads a 64-bit field. @throws IllegalArgumentException if the field is not 64-bit */
    public long read64(VmcsField field) {
        requireWidth(field, FieldWidth.QWORD64);
        return values[field.ordinal()];
    }

    /** Reads a natural-width field. @throws IllegalArgumentException if the field is not natural-width */
    public long readNatural(VmcsField field) {
        requireWidth(field, FieldWidth.NATURAL);
        return values[field.ordinal()];
    }

    /** Every store of a field value; notes a change of value for {@link #changedAny}. */
    private void store(int ordinal, long value) {
        if (values[ordinal] != value) {
            values[ordinal] = value;
            changed[ordinal >>> 6] |= 1L << ordinal;
        }
    }

    /**
     * True if a field named in {@code fieldMask} (bit {@code ordinal % 64} of word
     * {@code ordinal / 64}, {@link #FIELD_MASK_WORDS} words) changed value since the last
     * {@link #clearChanges()}. An engine-side bookkeeping aid, not architectural state: the
     * VM-entry check memo uses it to skip rules whose inputs did not change.
     */
    public boolean changedAny(long[] fieldMask) {
        for (int i = 0; i < FIELD_MASK_WORDS; i++) if ((fieldMask[i] & changed[i]) != 0) return true;
        return false;
    }

    /** Word {@code i} (0 ≤ i &lt; {@link #FIELD_MASK_WORDS}) of the changed-fields mask (see {@link #changedAny}). */
    public long changedWord(int i) { return changed[i]; }

    /** Forgets which fields changed (see {@link #changedAny}). */
    public void clearChanges() {
        java.util.Arrays.fill(changed, 0);
    }

    // ---------------------------------------------------------------- processor-side access

    /**
     * Stores VM-exit information as the processor does on VM exit (SDM Vol. 3C §28.2).
     *
     * @throws VmcsAccessException      if {@code field} is not a VM-exit information field
     * @throws IllegalArgumentException if the value does not fit the field's width
     */
    public void writeExitInformation(VmcsField field, long value) {
        if (!field.isReadOnly()) {
            throw new VmcsAccessException(field + " is a " + field.type()
                + " field; writeExitInformation only stores VM-exit information fields");
        }
        store(field.ordinal(), checkFits(field, value));
    }

    /** {@link #writeExitInformation(VmcsField, long)} for a 32-bit field from an unsigned int. */
    public void writeExitInformation32(VmcsField field, int value) {
        requireWidth(field, FieldWidth.DWORD32);
        writeExitInformation(field, Integer.toUnsignedLong(value));
    }

    // ---------------------------------------------------------------- VMREAD / VMWRITE

    /**
     * VMREAD in 64-bit mode (SDM Vol. 3C §31.3): the full encoding returns the field
     * zero-extended; the high encoding of a 64-bit field returns bits 63:32 in bits 31:0.
     *
     * @throws VmFailValidException with {@link VmInstructionError#UNSUPPORTED_VMCS_COMPONENT} if
     *                              the encoding names no supported component
     */
    public long vmread(long encoding) {
        VmcsEncoding e = decodeOrFail(encoding);
        long v = values[e.field().ordinal()];
        return e.high() ? v >>> 32 : v;
    }

    /**
     * VMWRITE in 64-bit mode (SDM Vol. 3C §31.3): a field narrower than the operand takes the low
     * bits (upper bits are ignored); the high encoding of a 64-bit field replaces bits 63:32 with
     * bits 31:0 of {@code value} and keeps bits 31:0 of the field.
     *
     * @throws VmFailValidException error 12 for an unsupported encoding, error 13 for a
     *                              VM-exit information field (this CPU reports IA32_VMX_MISC[29] = 0)
     */
    public void vmwrite(long encoding, long value) {
        VmcsEncoding e = decodeOrFail(encoding);
        VmcsField f = e.field();
        if (f.isReadOnly()) {
            throw new VmFailValidException(VmInstructionError.VMWRITE_READ_ONLY_COMPONENT, f.toString());
        }
        int i = f.ordinal();
        if (e.high()) {
            store(i, (values[i] & LOW_HALF) | (value << 32));
        } else {
            store(i, value & f.width().valueMask());
        }
    }

    private static VmcsEncoding decodeOrFail(long encoding) {
        VmcsEncoding e = VmcsEncoding.decode(encoding);
        if (e == null) {
            throw new VmFailValidException(VmInstructionError.UNSUPPORTED_VMCS_COMPONENT,
                "encoding 0x" + Long.toHexString(encoding));
        }
        return e;
    }

    // ---------------------------------------------------------------- diagnostics

    /**
     * A multi-line, human-readable listing of the VMCS: header, then every non-zero field under
     * its SDM group heading with encoding, width and value. Zero fields are counted, not listed.
     */
    public String dump() {
        Map<VmcsGroup, StringBuilder> byGroup = new EnumMap<>(VmcsGroup.class);
        int zero = 0;
        for (VmcsField f : FIELDS) {
            long v = values[f.ordinal()];
            if (v == 0) {
                zero++;
                continue;
            }
            byGroup.computeIfAbsent(f.group(), g -> new StringBuilder())
                .append(String.format("  %-40s %-36s 0x%04X %-7s = 0x%X%n",
                    f.name(), f.humanName(), f.encoding(), f.width(), v));
        }
        StringBuilder out = new StringBuilder(String.format(
            "VMCS revision 0x%X, launch state %s, abort indicator %d%n", revisionId, launchState, abortIndicator));
        for (VmcsGroup g : VmcsGroup.values()) {
            StringBuilder lines = byGroup.get(g);
            if (lines != null) {
                out.append(g.title()).append(':').append(System.lineSeparator()).append(lines);
            }
        }
        return out.append(String.format("(%d zero fields not shown)%n", zero)).toString();
    }

    @Override public String toString() {
        return "Vmcs[revision=0x" + Integer.toHexString(revisionId) + ", " + launchState + "]";
    }

    // ---------------------------------------------------------------- helpers

    private static long checkFits(VmcsField field, long value) {
        if (!field.width().fits(value)) {
            throw new IllegalArgumentException("value 0x" + Long.toHexString(value) + " does not fit "
                + field + ", a " + field.width().bitCount() + "-bit field (" + field.width() + ")");
        }
        return value;
    }

    private static void requireWidth(VmcsField field, FieldWidth expected) {
        if (field.width() != expected) {
            throw new IllegalArgumentException(field + " is a " + field.width() + " field, not "
                + expected);
        }
    }
}
