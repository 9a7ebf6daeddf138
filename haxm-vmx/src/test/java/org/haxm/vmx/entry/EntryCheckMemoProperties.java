package org.haxm.vmx.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import org.haxm.vmx.Vmcs;
import org.haxm.vmx.VmcsField;

/**
 * {@link EntryCheckMemo} must be indistinguishable from the full checks: after any sequence of
 * VMCS writes — one bit flipped, a field zeroed, a random value, or a field put back as it was —
 * the memo reports exactly the rule (and detail) that {@link VmEntryChecks} reports, entry after
 * entry.
 */
class EntryCheckMemoProperties {
    private static final VmcsField[] WRITABLE = Arrays.stream(VmcsField.values())
        .filter(f -> !f.isReadOnly()).toArray(VmcsField[]::new);

    /** One write: field, kind (0 flip a bit, 1 zero, 2 random value, 3 undo), bit or value. */
    record Write(int field, int kind, long value) {}

    @Property(tries = 400)
    void memoAgreesWithTheFullChecks(@ForAll("fixture") int fixture, @ForAll("writes") List<Write> writes) {
        Vmcs v = switch (fixture) {
            case 0 -> EntryFixtures.longMode();
            case 1 -> EntryFixtures.longModeUser();
            case 2 -> EntryFixtures.pae32();
            default -> EntryFixtures.realModeUnrestricted();
        };
        EntryCheckMemo memo = new EntryCheckMemo();
        compare(v, memo);
        VmcsField last = null;
        long lastOld = 0;
        for (Write w : writes) {
            VmcsField f = WRITABLE[w.field() % WRITABLE.length];
            long mask = f.width().valueMask();
            long old = v.read(f);
            switch (w.kind()) {
                case 0 -> v.write(f, old ^ (1L << (w.value() & 63)) & mask);
                case 1 -> v.write(f, 0);
                case 2 -> v.write(f, w.value() & mask);
                default -> { if (last != null) { v.write(last, lastOld); f = last; old = v.read(f); } }
            }
            last = f;
            lastOld = old;
            compare(v, memo);
        }
    }

    @Example
    void aVmExitsWorthOfChangesRerunsOnlyTheRulesThatReadThem() {
        Vmcs v = EntryFixtures.longMode();
        EntryCheckMemo memo = new EntryCheckMemo();
        compare(v, memo);
        assertEquals(ControlRule.values().length + GuestStateRule.values().length, memo.rulesRunAtLastEntry(),
            "the first entry runs every rule");
        compare(v, memo);
        assertEquals(0, memo.rulesRunAtLastEntry(), "nothing changed: nothing runs");
        v.write(VmcsField.GUEST_RIP, v.read(VmcsField.GUEST_RIP) + 2);   // what advancing past an OUT does
        compare(v, memo);
        int rerun = memo.rulesRunAtLastEntry();
        assertTrue(rerun >= 1 && rerun <= 3, "only the RIP rules run again, ran " + rerun);
    }

    private static void compare(Vmcs v, EntryCheckMemo memo) {
        Optional<ControlCheckFailure> full = VmEntryChecks.findControlViolation(v, EntryFixtures.CAPS);
        assertEquals(full, memo.findControlViolation(v, EntryFixtures.CAPS), "control checks");
        if (full.isPresent()) { Statistics.collect("control failure"); return; }
        GuestStateCheck guest = VmEntryChecks.checkGuestState(v, EntryFixtures.CAPS);
        assertEquals(guest, memo.checkGuestState(v, EntryFixtures.CAPS), "guest-state checks");
        Statistics.collect(guest.passed() ? "entered" : "guest failure");
        if (guest.passed()) memo.entered();
    }

    @Provide Arbitrary<Integer> fixture() { return Arbitraries.integers().between(0, 3); }

    @Provide Arbitrary<List<Write>> writes() {
        Arbitrary<Write> w = Combinators.combine(
            Arbitraries.integers().between(0, WRITABLE.length - 1),
            Arbitraries.integers().between(0, 3).edgeCases(e -> e.includeOnly(0, 3)),
            Arbitraries.longs()).as(Write::new);
        return w.list().ofMinSize(1).ofMaxSize(40);
    }
}
