package org.haxm.vmx.entry;

import java.util.Arrays;
import java.util.Optional;

import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;
import org.haxm.vmx.VmxCapabilities;

/**
 * The VM-entry checks of {@link VmEntryChecks}, remembered between entries of one VMCS so that a
 * rule runs again only when a field it read last time changed value.
 *
 * <p>Why this is exact: every rule is a pure function of the VMCS fields it reads through
 * {@link EntryContext#read} and of the (immutable) capability MSRs. While a rule runs, the
 * context records each field it reads; if none of those fields changed value since the rule last
 * passed, running it again would read the same values, take the same path and pass again. So the
 * first rule found violated is the one the full check would find (SDM Vol. 3C §27.2, §27.3.1 give
 * the checks; their order is kept, as rules run in ascending order).
 *
 * <p>How it stays cheap: for every field the memo keeps the set of rules that read it (one bit
 * per rule: there are fewer than 64 of each kind). At each check it turns the VMCS's changed
 * fields — a VM exit changes only a handful: RIP, RFLAGS, interruptibility — into the set of
 * stale rules, and runs only those: typically one rule instead of 74 per entry.
 *
 * <p>Use one memo per VMCS, from the thread that enters it. The memo consumes the VMCS's record
 * of changed fields ({@link Vmcs#clearChanges()}).
 */
public final class EntryCheckMemo {
    private static final ControlRule[] CONTROL_RULES = ControlRule.values();
    private static final GuestStateRule[] GUEST_RULES = GuestStateRule.values();
    private static final int FIELDS = VmcsField.values().length;
    private static final long ALL_CONTROL = all(CONTROL_RULES.length);
    private static final long ALL_GUEST = all(GUEST_RULES.length);

    /** Per rule, the fields it read when it last ran (one bit per field ordinal). */
    private final long[][] controlInputs = new long[CONTROL_RULES.length][Vmcs.FIELD_MASK_WORDS];
    private final long[][] guestInputs = new long[GUEST_RULES.length][Vmcs.FIELD_MASK_WORDS];
    /** Per field ordinal, the rules that read it when they last ran (one bit per rule ordinal). */
    private final long[] controlReaders = new long[FIELDS];
    private final long[] guestReaders = new long[FIELDS];
    /** Rules that must run: never passed, failed, or an input changed since. */
    private long controlStale = ALL_CONTROL;
    private long guestStale = ALL_GUEST;
    private Vmcs vmcs;
    private VmxCapabilities caps;
    private EntryContext context;
    private int rulesRun;
    private int rulesRunAtLastEntry;

    private static long all(int n) {
        if (n > 64) throw new IllegalStateException(n + " rules do not fit the memo's 64-bit rule sets");
        return n == 64 ? -1L : (1L << n) - 1;
    }

    /** As {@link VmEntryChecks#findControlViolation}, running only the stale rules. */
    public Optional<ControlCheckFailure> findControlViolation(Vmcs vmcs, VmxCapabilities caps) {
        bind(vmcs, caps);
        absorbChanges();
        long stale = controlStale;
        while (stale != 0) {
            int i = Long.numberOfTrailingZeros(stale);
            stale &= stale - 1;
            rulesRun++;
            context.recordInto(startRecording(controlInputs[i], controlReaders, i));
            String detail = CONTROL_RULES[i].violation(context);
            context.recordInto(null);
            noteReaders(controlInputs[i], controlReaders, i);
            if (detail != null) return Optional.of(VmEntryChecks.controlFailure(CONTROL_RULES[i], detail));
            controlStale &= ~(1L << i);
        }
        return Optional.empty();
    }

    /** As {@link VmEntryChecks#checkGuestState}, running only the stale rules. */
    public GuestStateCheck checkGuestState(Vmcs vmcs, VmxCapabilities caps) {
        bind(vmcs, caps);
        absorbChanges();
        long stale = guestStale;
        while (stale != 0) {
            int i = Long.numberOfTrailingZeros(stale);
            stale &= stale - 1;
            rulesRun++;
            context.recordInto(startRecording(guestInputs[i], guestReaders, i));
            String detail = GUEST_RULES[i].violation(context);
            context.recordInto(null);
            noteReaders(guestInputs[i], guestReaders, i);
            if (detail != null) return VmEntryChecks.guestFailure(GUEST_RULES[i], detail);
            guestStale &= ~(1L << i);
        }
        return GuestStateCheck.PASSED;
    }

    /** Both phases passed and the entry goes ahead (bookkeeping for {@link #rulesRunAtLastEntry()}). */
    public void entered() {
        rulesRunAtLastEntry = rulesRun;
        rulesRun = 0;
    }

    /** How many rules actually ran for the last successful entry (the rest were remembered). */
    public int rulesRunAtLastEntry() { return rulesRunAtLastEntry; }

    /** Every field changed since the last check makes the rules that read it stale. */
    private void absorbChanges() {
        for (int w = 0; w < Vmcs.FIELD_MASK_WORDS; w++) {
            long c = vmcs.changedWord(w);
            while (c != 0) {
                int f = (w << 6) | Long.numberOfTrailingZeros(c);
                c &= c - 1;
                controlStale |= controlReaders[f];
                guestStale |= guestReaders[f];
            }
        }
        vmcs.clearChanges();
    }

    /** Forgets rule {@code i}'s old inputs (in {@code readers} too) and returns its emptied input set. */
    private static long[] startRecording(long[] inputs, long[] readers, int i) {
        forEachField(inputs, readers, ~(1L << i), false);
        Arrays.fill(inputs, 0);
        return inputs;
    }

    /** Records rule {@code i} as a reader of every field in its new input set. */
    private static void noteReaders(long[] inputs, long[] readers, int i) {
        forEachField(inputs, readers, 1L << i, true);
    }

    private static void forEachField(long[] inputs, long[] readers, long bits, boolean set) {
        for (int w = 0; w < inputs.length; w++) {
            long m = inputs[w];
            while (m != 0) {
                int f = (w << 6) | Long.numberOfTrailingZeros(m);
                m &= m - 1;
                if (set) readers[f] |= bits; else readers[f] &= bits;
            }
        }
    }

    /** A different VMCS or capability set invalidates everything remembered. */
    private void bind(Vmcs vmcs, VmxCapabilities caps) {
        if (vmcs == null) throw new IllegalArgumentException("vmcs must not be null");
        if (caps == null) throw new IllegalArgumentException("caps must not be null");
        if (vmcs == this.vmcs && caps == this.caps) return;
        this.vmcs = vmcs;
        this.caps = caps;
        this.context = new EntryContext(vmcs, caps);
        for (long[] in : controlInputs) Arrays.fill(in, 0);
        for (long[] in : guestInputs) Arrays.fill(in, 0);
        Arrays.fill(controlReaders, 0);
        Arrays.fill(guestReaders, 0);
        controlStale = ALL_CONTROL;
        guestStale = ALL_GUEST;
    }
}
