package org.ttmsim.mm;

import org.agrona.collections.Long2LongHashMap;
import org.ttmsim.hw.Caching;

/**
 * Models the memory type x86 PAT keeps for RAM pages (arch/x86/mm/pat/memtype.c): {@code set_memory_wc()},
 * {@code set_memory_uc()} and {@code set_memory_wb()} (TTM's {@code set_pages_array_*()}) record it in the
 * page's flags ({@code _PGMT_WC}, {@code _PGMT_UC_MINUS}, {@code _PGMT_WB}), and {@code lookup_memtype()}
 * returns it, write-back when never set. {@code track_pfn_insert()} uses it to override the caching of
 * every PFN that {@code vmf_insert_pfn_prot()} inserts ({@link Memory#vmfInsertPfnProt}).
 *
 * <p>Device memory is not tracked here: the model keeps the caching its driver's io_mem_reserve gives
 * (TTM's own ttm_io_prot), which for amdgpu agrees with the write-combined reservation of its aperture.
 */
public final class PatMemtype {
    private static final long WB = -1;
    /** pfn -> Caching ordinal, for pages not write-back. */
    private final Long2LongHashMap memtype = new Long2LongHashMap(WB);

    /** Records {@code caching} for {@code pages} pages from {@code firstPfn}. */
    public void set(final long firstPfn, final int pages, final Caching caching) {
        for (int i = 0; i < pages; i++) {
            if (caching == Caching.CACHED) {
                memtype.remove(firstPfn + i);
            } else {
                memtype.put(firstPfn + i, caching.ordinal());
            }
        }
    }

    /** {@code lookup_memtype()} of a RAM page: its recorded type, or write-back. */
    public Caching lookup(final long pfn) {
        final long v = memtype.get(pfn);
        return v == WB ? Caching.CACHED : Caching.values()[(int) v];
    }
}
