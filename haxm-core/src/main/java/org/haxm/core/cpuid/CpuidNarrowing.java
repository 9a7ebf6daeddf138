package org.haxm.core.cpuid;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the caller changed in a VM's CPUID model through SET_CPUID: the features it hid, lower
 * maximum leaves, the signature and the brand string. Immutable; {@link #apply(List)} returns a
 * new narrowing, so a VM publishes a consistent model with one reference write.
 *
 * <p>Rule: a caller can only clear feature flags the model offers. A set bit for a feature the
 * engine does not implement is <em>ignored</em>, not refused — callers such as QEMU pass their
 * host's whole CPUID table, and HAXM's own filters drop what it does not support in the same way.
 * A later SET_CPUID for a leaf replaces the earlier choice for that leaf (so a hidden feature
 * can be offered again); leaves not in the list keep theirs.
 */
public final class CpuidNarrowing {
    /** Nothing narrowed: the full model. */
    public static final CpuidNarrowing NONE = new CpuidNarrowing(EnumSet.noneOf(CpuidFeature.class),
        CpuidModel.MAX_BASIC, CpuidModel.MAX_EXTENDED, CpuidModel.SIGNATURE, CpuidModel.DEFAULT_BRAND);

    private final EnumSet<CpuidFeature> hidden;
    private final int maxBasic, maxExtended, signature;
    private final int[] brand;

    private CpuidNarrowing(EnumSet<CpuidFeature> hidden, int maxBasic, int maxExtended, int signature, int[] brand) {
        this.hidden = hidden;
        this.maxBasic = maxBasic;
        this.maxExtended = maxExtended;
        this.signature = signature;
        this.brand = brand;
    }

    /** The features the caller hid. */
    public Set<CpuidFeature> hidden() { return EnumSet.copyOf(hidden); }
    public boolean hides(CpuidFeature f) { return hidden.contains(f); }
    public int maxBasic() { return maxBasic; }
    public int maxExtended() { return maxExtended; }
    public int signature() { return signature; }
    int[] brand() { return brand; }

    /**
     * This narrowing with the caller's entries applied through the per-leaf filters
     * ({@link CpuidFilter}); entries for leaves without a filter are ignored.
     *
     * @throws IllegalArgumentException if an entry is null or two entries are for the same leaf
     */
    public CpuidNarrowing apply(List<CpuidEntry> entries) {
        Builder b = new Builder(this);
        EnumSet<CpuidFilter> seen = EnumSet.noneOf(CpuidFilter.class);
        for (int i = 0; i < entries.size(); i++) {
            CpuidEntry e = entries.get(i);
            if (e == null) throw new IllegalArgumentException("entries[" + i + "] must not be null");
            CpuidFilter f = CpuidFilter.of(e.function(), e.index());
            if (f == null) continue;
            if (!seen.add(f)) {
                throw new IllegalArgumentException("entries[" + i + "] repeats leaf 0x" + Integer.toHexString(e.function())
                    + " (one entry per leaf)");
            }
            f.apply(e, b);
        }
        return new CpuidNarrowing(b.hidden, b.maxBasic, b.maxExtended, b.signature, b.brand);
    }

    /** The mutable working copy the filters write into. */
    static final class Builder {
        final EnumSet<CpuidFeature> hidden;
        int maxBasic, maxExtended, signature;
        final int[] brand;

        Builder(CpuidNarrowing from) {
            hidden = EnumSet.copyOf(from.hidden);
            maxBasic = from.maxBasic;
            maxExtended = from.maxExtended;
            signature = from.signature;
            brand = from.brand.clone();
        }

        /** Every offered feature of {@code leaf} is hidden or shown as the entry's bit says. */
        void narrow(int leaf, CpuidEntry e) {
            for (CpuidFeature f : CpuidModel.OFFERED) {
                if (f.leaf() != leaf) continue;
                if ((e.get(f.register()) & f.mask()) == 0) hidden.add(f); else hidden.remove(f);
            }
        }
    }
}
