package org.ttmsim.hw;

/**
 * Per-CPU translation caches: models the x86 TLB as software sees it. An entry keeps the PTE it was
 * filled with until flushed, so a PTE changed without a flush is still used (stale translation).
 * Keyed by (address-space id, virtual page number).
 *
 * <p>A key packs the ASID above the 36-bit VPN of a 48-bit (4-level) virtual address. Kernel VPNs
 * ({@code va >>> 12} of a canonical upper-half address) carry copies of VPN bit 35 in bits 36..51, so
 * only the low 36 bits are stored and the rest is restored by sign extension when decoding.
 *
 * <p>Each CPU's entries sit in a {@link PteTable} (leaves of 512 neighbouring pages), so a walk over a
 * buffer stays in one array, and {@link #forEach} reports entries in (cpu, asid, vpn) order. Capacity is
 * unbounded: an entry leaves only by a flush, never by replacement (a simplification: a real STLB holds
 * a few thousand entries, so the model keeps stale translations at least as long as hardware can).
 */
public final class Tlb {
    private static final long MISSING = 0;
    private static final int VPN_BITS = 36;
    private static final long VPN_MASK = (1L << VPN_BITS) - 1;
    /** Bits 36..51 of a kernel VPN: the sign extension of a canonical upper-half address. */
    private static final long KERNEL_VPN_HIGH = ((1L << 52) - 1) & ~VPN_MASK;
    private final PteTable[] perCpu;

    public Tlb(final int cpus) {
        perCpu = new PteTable[cpus];
        for (int i = 0; i < cpus; i++) {
            perCpu[i] = new PteTable();
        }
    }

    public int cpus() {
        return perCpu.length;
    }

    private static long key(final int asid, final long vpn) {
        return ((long) asid << VPN_BITS) | (vpn & VPN_MASK);
    }

    private static long vpnOf(final long key) {
        final long vpn = key & VPN_MASK;
        return (vpn & (1L << (VPN_BITS - 1))) != 0 ? vpn | KERNEL_VPN_HIGH : vpn;
    }

    /** The cached PTE, or 0 when the CPU has no translation. */
    public long lookup(final int cpu, final int asid, final long vpn) {
        return perCpu[cpu].get(key(asid, vpn));
    }

    /** Caches {@code pte} (a present PTE) for the page on {@code cpu}. */
    public void fill(final int cpu, final int asid, final long vpn, final long pte) {
        if (pte == MISSING) {
            throw new IllegalArgumentException("TLB fill with a non-present PTE for vpn 0x" + Long.toHexString(vpn));
        }
        perCpu[cpu].put(key(asid, vpn), pte);
    }

    /** Drops one translation on every CPU (flush_tlb_range over one page). */
    public void flushPage(final int asid, final long vpn) {
        for (final PteTable m : perCpu) {
            m.remove(key(asid, vpn));
        }
    }

    /**
     * Drops the translations of pages [{@code vpnFrom}, {@code vpnTo}) of one address space on every CPU
     * ({@code flush_tlb_kernel_range()} over a range). The range must not cross bit 36 of the VPN.
     */
    public void flushRange(final int asid, final long vpnFrom, final long vpnTo) {
        if (vpnTo <= vpnFrom) {
            return;
        }
        final long from = key(asid, vpnFrom);
        final long to = from + (vpnTo - vpnFrom);
        for (final PteTable m : perCpu) {
            m.removeRange(from, to);
        }
    }

    /** Entries held, every CPU. */
    public long size() {
        long n = 0;
        for (final PteTable m : perCpu) {
            n += m.size();
        }
        return n;
    }

    /** Whether any CPU holds a translation for the page. */
    public boolean anyCpuHolds(final int asid, final long vpn) {
        for (final PteTable m : perCpu) {
            if (m.get(key(asid, vpn)) != MISSING) {
                return true;
            }
        }
        return false;
    }

    /** Every (cpu, asid, vpn, pte) entry in that order, for the attribute-alias monitor. */
    public void forEach(final EntryConsumer consumer) {
        for (int cpu = 0; cpu < perCpu.length; cpu++) {
            final int c = cpu;
            perCpu[cpu].forEach((k, pte) -> consumer.accept(c, (int) (k >>> VPN_BITS), vpnOf(k), pte));
        }
    }

    /**
     * {@link #forEach} without the entries of address space {@code asid} for pages [{@code vpnFrom},
     * {@code vpnTo}) (a range that does not cross bit 36 of the VPN, as for {@link #flushRange}).
     */
    public void forEachOutside(final int asid, final long vpnFrom, final long vpnTo, final EntryConsumer consumer) {
        final long from = key(asid, vpnFrom);
        final long to = from + Math.max(0, vpnTo - vpnFrom);
        for (int cpu = 0; cpu < perCpu.length; cpu++) {
            final int c = cpu;
            perCpu[cpu].forEachOutside(from, to, (k, pte) -> consumer.accept(c, (int) (k >>> VPN_BITS), vpnOf(k), pte));
        }
    }

    /** {@code cpu}'s entries before page {@code vpn} of address space {@code asid}, in (asid, vpn) order. */
    public void forEachBefore(final int cpu, final int asid, final long vpn, final EntryConsumer consumer) {
        perCpu[cpu].forEachIn(0, key(asid, vpn), (k, pte) -> consumer.accept(cpu, (int) (k >>> VPN_BITS), vpnOf(k), pte));
    }

    /** {@code cpu}'s entries from page {@code vpn} of address space {@code asid} on, in (asid, vpn) order. */
    public void forEachFrom(final int cpu, final int asid, final long vpn, final EntryConsumer consumer) {
        perCpu[cpu].forEachIn(key(asid, vpn), Long.MAX_VALUE,
                (k, pte) -> consumer.accept(cpu, (int) (k >>> VPN_BITS), vpnOf(k), pte));
    }

    /** Receives one TLB entry. */
    public interface EntryConsumer {
        void accept(int cpu, int asid, long vpn, long pte);
    }
}
