package org.ttmsim.hw;

import org.agrona.collections.Long2LongHashMap;

/**
 * Per-CPU translation caches: models the x86 TLB as software sees it. An entry keeps the PTE it was
 * filled with until flushed, so a PTE changed without a flush is still used (stale translation).
 * Keyed by (address-space id, virtual page number).
 */
public final class Tlb {
    private static final long MISSING = 0;
    private final Long2LongHashMap[] perCpu;

    public Tlb(final int cpus) {
        perCpu = new Long2LongHashMap[cpus];
        for (int i = 0; i < cpus; i++) {
            perCpu[i] = new Long2LongHashMap(MISSING);
        }
    }

    public int cpus() {
        return perCpu.length;
    }

    private static long key(final int asid, final long vpn) {
        return ((long) asid << 44) | vpn;
    }

    /** The cached PTE, or 0 when the CPU has no translation. */
    public long lookup(final int cpu, final int asid, final long vpn) {
        return perCpu[cpu].get(key(asid, vpn));
    }

    public void fill(final int cpu, final int asid, final long vpn, final long pte) {
        perCpu[cpu].put(key(asid, vpn), pte);
    }

    /** Drops one translation on every CPU (flush_tlb_range over one page). */
    public void flushPage(final int asid, final long vpn) {
        for (final Long2LongHashMap m : perCpu) {
            m.remove(key(asid, vpn));
        }
    }

    /** Whether any CPU holds a translation for the page. */
    public boolean anyCpuHolds(final int asid, final long vpn) {
        for (final Long2LongHashMap m : perCpu) {
            if (m.get(key(asid, vpn)) != MISSING) {
                return true;
            }
        }
        return false;
    }

    /** Every (cpu, key, pte) entry, for the stale-mapping monitor. */
    public void forEach(final EntryConsumer consumer) {
        for (int cpu = 0; cpu < perCpu.length; cpu++) {
            final int c = cpu;
            perCpu[cpu].forEachLong((k, pte) -> consumer.accept(c, (int) (k >>> 44), k & ((1L << 44) - 1), pte));
        }
    }

    /** Receives one TLB entry. */
    public interface EntryConsumer {
        void accept(int cpu, int asid, long vpn, long pte);
    }
}
