package org.haxm.core.nonroot;

import java.nio.ByteBuffer;

import org.haxm.ept.EptWalkResult;
import org.haxm.ept.GuestPhysicalMemory;
import org.haxm.emulator.InstructionAbort;
import org.haxm.emulator.mem.AccessType;
import org.haxm.emulator.mem.HostAccess;
import org.haxm.emulator.mem.HostPage;
import org.haxm.emulator.mem.PhysicalMemory;
import org.haxm.vmx.ExitReason;

/**
 * Guest-physical memory as a VCPU in VMX non-root operation sees it: every access is translated
 * by the VM's EPT (SDM Vol. 3C §29.3). A translation that fails ends the instruction with an EPT
 * violation or misconfiguration VM exit (§29.3.3).
 *
 * <p>Successful translations are kept in a small direct-mapped cache per VCPU, like the
 * combined guest-physical mappings a real processor caches (§29.4); it is flushed whenever the
 * VM's mappings change (what INVEPT does) and at every VM entry.
 *
 * <p>It also resolves guest-physical pages to their RAM chunk for the MMU's software TLB
 * ({@link #resolveHost}), which folds this translation into its linear-address entries; every
 * {@link #flush} tells the MMU (its invalidation listener) to drop those too. With EPT
 * accessed/dirty flags enabled (EPTP[6], SDM Vol. 3C §29.3.5), a page is handed out — and cached
 * here — as writable only by a walk for a write, which set its dirty flag; the flags of a
 * generation are cleared only by a new generation, which flushes.
 *
 * <p>While the hypervisor emulates an instruction that touched MMIO (see {@link MmioEmulation}),
 * accesses to unbacked addresses are routed to that emulation instead of causing exits.
 */
public final class EptGuestMemory implements PhysicalMemory {
    private static final int CACHE_SIZE = 256;

    private final GuestPhysicalMemory memory;
    private final PendingExit exit;
    private final EptWalkResult walk = new EptWalkResult();
    private final long[] tag = new long[CACHE_SIZE];
    private final ByteBuffer[] buffer = new ByteBuffer[CACHE_SIZE];
    private final int[] base = new int[CACHE_SIZE];
    /** {@link HostPage} rights of the cached translation (EPT R/W/X, W only once dirty when flags are on). */
    private final int[] rights = new int[CACHE_SIZE];
    private long generation = -1;
    private boolean accessedDirty;
    private MmioEmulation emulation;
    private Runnable invalidation;

    public EptGuestMemory(GuestPhysicalMemory memory, PendingExit exit) {
        this.memory = memory;
        this.exit = exit;
        flush();
    }

    /** Forgets every cached translation (INVEPT), here and in the MMU's TLB. */
    public void flush() {
        java.util.Arrays.fill(tag, -1L);
        java.util.Arrays.fill(buffer, null);
        generation = memory.translationGeneration();
        accessedDirty = memory.eptPageTables().accessedDirtyEnabled();
        if (invalidation != null) invalidation.run();
    }

    @Override
    public void setInvalidationListener(Runnable listener) { this.invalidation = listener; }

    /**
     * Walks the EPT for {@code type} like an access would (setting EPT accessed/dirty flags) and,
     * when the page is RAM the walk permits, reports its chunk and the permissions a later access
     * may use without another walk. EPT violations, misconfigurations and MMIO return false
     * without an exit: the MMU's slow path then accesses through {@link #read}/{@link #write},
     * which raise them.
     */
    @Override
    public boolean resolveHost(long gpa, int type, long linear, HostPage out) {
        long page = gpa >>> 12;
        int slot = (int) page & (CACHE_SIZE - 1);
        if (tag[slot] == page && (rights[slot] & required(type)) != 0) {
            // Already walked with rights for this access: no EPT flag is still due.
            out.set(buffer[slot], base[slot], rights[slot]);
            return true;
        }
        memory.walk(gpa, type, walk);
        if (walk.status != EptWalkResult.Status.TRANSLATED) return false;
        int allowed = allowedWithoutWalk(walk.permissions, type);
        tag[slot] = page;
        buffer[slot] = walk.buffer;
        base[slot] = walk.offset - (int) (gpa & 0xFFF);
        rights[slot] = allowed;
        out.set(walk.buffer, base[slot], allowed);
        return true;
    }

    /** The {@link HostPage} right an access of {@code type} needs (SDM Vol. 3C §29.3.3.2: reads, writes, fetches). */
    private static int required(int type) {
        return switch (type) {
            case AccessType.WRITE, AccessType.PAGING_WRITE -> HostPage.WRITE;
            case AccessType.EXECUTE -> HostPage.EXECUTE;
            default -> HostPage.READ;
        };
    }

    /** EPT R/W/X (bits 2:0, the same bits as {@link HostPage}) minus W when a later write would still have to set the dirty flag. */
    private int allowedWithoutWalk(int permissions, int type) {
        int allowed = permissions & (HostPage.READ | HostPage.WRITE | HostPage.EXECUTE);
        if (accessedDirty && type != AccessType.WRITE && type != AccessType.PAGING_WRITE) allowed &= ~HostPage.WRITE;
        return allowed;
    }

    /** Flushes if the VM's mappings changed since the last flush. */
    public void syncWithMappings() {
        if (generation != memory.translationGeneration()) flush();
    }

    /** Routes MMIO accesses to {@code e} (null: back to VM exits). */
    public void setEmulation(MmioEmulation e) { this.emulation = e; }

    @Override
    public long read(long gpa, int size, int type, long linear) {
        int slot = lookup(gpa, type, linear, false);
        if (slot < 0) return emulation.read(gpa, size);
        ByteBuffer b = buffer[slot];
        int at = base[slot] + (int) (gpa & 0xFFF);
        return switch (size) {
            case 1 -> b.get(at) & 0xFFL;
            case 2 -> b.getShort(at) & 0xFFFFL;
            case 4 -> b.getInt(at) & 0xFFFF_FFFFL;
            default -> b.getLong(at);
        };
    }

    @Override
    public void write(long gpa, int size, long value, int type, long linear) {
        int slot = lookup(gpa, type, linear, true);
        if (slot < 0) { emulation.write(gpa, size, value); return; }
        ByteBuffer b = buffer[slot];
        int at = base[slot] + (int) (gpa & 0xFFF);
        switch (size) {
            case 1 -> b.put(at, (byte) value);
            case 2 -> b.putShort(at, (short) value);
            case 4 -> b.putInt(at, (int) value);
            default -> b.putLong(at, value);
        }
    }

    @Override
    public long compareAndExchange(long gpa, int size, long expected, long update, long linear) {
        // The VM's RAM is shared by its VCPU threads: a hardware compare-and-set on the backing
        // memory keeps LOCK atomic across VCPUs (SDM Vol. 3A §9.1.2; see HostAccess).
        int slot = lookup(gpa, AccessType.WRITE, linear, true);
        if (slot < 0) {
            long old = emulation.read(gpa, size);
            if (old == expected) emulation.write(gpa, size, update);
            return old;
        }
        ByteBuffer b = buffer[slot];
        int at = base[slot] + (int) (gpa & 0xFFF);
        return b.hasArray()
            ? HostAccess.compareAndExchange(b.array(), null, b.arrayOffset() + at, size, expected, update)
            : HostAccess.compareAndExchange(null, b, at, size, expected, update);
    }

    /** Returns the cache slot holding a translation of gpa's page that permits the access, or -1
     *  when the access belongs to an MMIO emulation in progress. */
    private int lookup(long gpa, int type, long linear, boolean write) {
        long page = gpa >>> 12;
        int slot = (int) page & (CACHE_SIZE - 1);
        if (tag[slot] == page && (rights[slot] & required(type)) != 0) return slot;
        memory.walk(gpa, type, walk);
        if (walk.status == EptWalkResult.Status.TRANSLATED) {
            tag[slot] = page;
            buffer[slot] = walk.buffer;
            base[slot] = walk.offset - (int) (gpa & 0xFFF);
            rights[slot] = allowedWithoutWalk(walk.permissions, type);
            return slot;
        }
        if (emulation != null && emulation.claims(gpa, write, walk.mapped)) return -1;
        if (walk.status == EptWalkResult.Status.VIOLATION) {
            exit.begin(ExitReason.EPT_VIOLATION.number());
            long q = walk.qualification;
            if (linear != -1) {
                q |= 1L << 7;                                   // guest-linear address field valid
                if (type != AccessType.PAGING_READ && type != AccessType.PAGING_WRITE) q |= 1L << 8; // final translation
                exit.guestLinear = linear;
            }
            exit.qualification = q;
        } else {
            exit.begin(ExitReason.EPT_MISCONFIG.number());
        }
        exit.guestPhysical = gpa;
        throw InstructionAbort.INSTANCE;
    }
}
