package org.ttmsim.hw;

/**
 * An x86-64 page-table entry packed in a {@code long}: models {@code pte_t}
 * (arch/x86/include/asm/pgtable_types.h). No PTE objects exist: a PTE is its bits.
 *
 * <pre>
 *  63                     cbit                    12 11      8 7   5 4   3   2   1   0
 * +--------------------+------+---------------------+---------+---+---+---+---+---+---+
 * |      (unused)      | C/S  |        PFN          | (avail) |PAT|PCD|PWT|U/S|R/W| P |
 * +--------------------+------+---------------------+---------+---+---+---+---+---+---+
 * </pre>
 *
 * <p>The encryption bit sits inside the physical-address field at position {@code cbit}
 * (CPUID 0x8000001F EBX[5:0] on AMD, GPAW-1 on TDX), so a PFN must stay below {@code 2^(cbit-12)}.
 * Its meaning (C=1 private on AMD, S=1 shared on TDX) is decided by {@link CcPlatform}, not here.
 * Caching uses Linux's PAT programming: WB = 0, WC = PWT, UC- = PCD.
 */
public final class Pte {
    public static final long PRESENT = 1L;
    public static final long RW = 1L << 1;
    public static final long USER = 1L << 2;
    public static final long PWT = 1L << 3;
    public static final long PCD = 1L << 4;
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final long CACHE_MASK = PWT | PCD;
    private static final long ADDR_MASK = ((1L << 52) - 1) & ~(PAGE_SIZE - 1);

    private Pte() {
    }

    /** Builds a PTE from a PFN and flag bits (which may include the encryption bit). */
    public static long make(final long pfn, final long flags) {
        return (pfn << PAGE_SHIFT) | flags;
    }

    /** The PFN, with the encryption bit at {@code cbit} masked out of the address field. */
    public static long pfn(final long pte, final int cbit) {
        return ((pte & ADDR_MASK) & ~(1L << cbit)) >>> PAGE_SHIFT;
    }

    /** Everything but the address field: present, RW, caching, and (separately) the enc bit. */
    public static long flags(final long pte, final int cbit) {
        return (pte & ~ADDR_MASK) | (pte & (1L << cbit));
    }

    public static boolean present(final long pte) {
        return (pte & PRESENT) != 0;
    }

    public static boolean writable(final long pte) {
        return (pte & RW) != 0;
    }

    /** Whether the raw encryption bit at {@code cbit} is set (its meaning depends on the vendor). */
    public static boolean encBit(final long pte, final int cbit) {
        return (pte & (1L << cbit)) != 0;
    }

    /** The memory type the PAT bits select. */
    public static Caching caching(final long pte) {
        final long c = pte & CACHE_MASK;
        if (c == 0) {
            return Caching.CACHED;
        }
        return c == PWT ? Caching.WRITE_COMBINED : Caching.UNCACHED;
    }

    /** Caching bits for a memory type: models {@code ttm_prot_from_caching()}'s PAT choice. */
    public static long cachingBits(final Caching caching) {
        switch (caching) {
            case CACHED:
                return 0;
            case WRITE_COMBINED:
                return PWT;
            default:
                return PCD;
        }
    }

    /** Replaces the caching bits of a PTE or pgprot. */
    public static long withCaching(final long pte, final Caching caching) {
        return (pte & ~CACHE_MASK) | cachingBits(caching);
    }

    /** A short human form, e.g. {@code pfn=0x1234 P RW wb C=1}. */
    public static String describe(final long pte, final int cbit) {
        return String.format("pfn=0x%x %s%s %s enc-bit=%d", pfn(pte, cbit), present(pte) ? "P" : "-",
                writable(pte) ? " RW" : " RO", caching(pte).id(), encBit(pte, cbit) ? 1 : 0);
    }
}
