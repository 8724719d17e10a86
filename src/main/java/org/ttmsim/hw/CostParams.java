package org.ttmsim.hw;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cost model's parameters, in nanoseconds (or picoseconds per byte), with defaults from public
 * measurements and estimates, each named below (est. = an estimate where no primary number was found). Scenario {@code costs:} overrides use the kebab-case names
 * listed by {@link #names()}.
 *
 * @param faultNs               minor page fault entry/exit: ~1 µs median (https://ddumbying.vercel.app/experiments/pagefault-latency)
 * @param pteInsertNs           one vmf_insert_pfn_prot incl. the per-PTE PAT lookup (est.; Vetter "dead slow")
 * @param tlbShootdownPerCpuNs  one IPI round trip per target CPU: ~1.5–2 µs (https://unseel.com/cs/tlb-shootdown; arch/x86/mm/tlb.c)
 * @param cacheFlushPerPageNs   clflush of 64 lines of a 4 KiB page: est. 0.5–2 µs
 * @param cpaPerPageNs          rewriting one direct-map PTE in __set_memory_enc_pgtable: ~0.1 µs/page
 * @param largePageSplitNs      splitting a 2 MiB direct-map mapping: ~2–5 µs
 * @param hypercallSevNs        KVM_HC_MAP_GPA_RANGE from a SEV guest: ~1–5 µs
 * @param hypercallSnpNs        page-state-change VMGEXIT from SEV-SNP (#VC + GHCB): est. 2–5× a world switch
 * @param hypercallTdxNs        TDVMCALL MapGPA from a TD: est. 2–5× a world switch
 * @param pvalidatePerPageNs    PVALIDATE / TDG.MEM.PAGE.ACCEPT per 4 KiB page (est.)
 * @param copyPsPerByte         memcpy (moves, bounces, swap): ~10 GB/s, i.e. 100 ps per byte
 * @param encryptedLineNs       extra latency of a line through the AES engine: +10–20 ns (AMD: "minor increase in latency", https://developer.amd.com/sev/)
 * @param poolAllocPerPageNs    taking one page from the buddy allocator (est.)
 */
public record CostParams(long faultNs, long pteInsertNs, long tlbShootdownPerCpuNs, long cacheFlushPerPageNs,
        long cpaPerPageNs, long largePageSplitNs, long hypercallSevNs, long hypercallSnpNs, long hypercallTdxNs,
        long pvalidatePerPageNs, long copyPsPerByte, long encryptedLineNs, long poolAllocPerPageNs) {

    public static CostParams defaults() {
        return new CostParams(1_000, 100, 1_500, 1_000, 100, 3_000, 2_000, 5_000, 5_000, 300, 100, 15, 200);
    }

    /** The parameter names accepted in a scenario's {@code costs:}, in declaration order. */
    public static Map<String, String> names() {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put("fault-ns", "minor page fault, ~1 µs median");
        m.put("pte-insert-ns", "one PTE insert with its PAT lookup (est.)");
        m.put("tlb-shootdown-per-cpu-ns", "TLB shootdown IPI per target CPU, ~1.5-2 µs");
        m.put("cache-flush-per-page-ns", "clflush of one 4 KiB page, est. 0.5-2 µs");
        m.put("cpa-per-page-ns", "rewrite one direct-map PTE, ~0.1 µs (est.)");
        m.put("large-page-split-ns", "split one 2 MiB direct-map mapping, ~2-5 µs (est.)");
        m.put("hypercall-sev-ns", "KVM_HC_MAP_GPA_RANGE from SEV, ~1-5 µs (est.)");
        m.put("hypercall-snp-ns", "page-state-change VMGEXIT from SEV-SNP, est. 2-5x world switch");
        m.put("hypercall-tdx-ns", "TDVMCALL MapGPA from TDX, est. 2-5x world switch");
        m.put("pvalidate-per-page-ns", "PVALIDATE / TDX accept per page (est.)");
        m.put("copy-ps-per-byte", "memcpy, ~10 GB/s (moves, bounce, swap)");
        m.put("encrypted-line-ns", "extra latency per line through the AES engine, +10-20 ns");
        m.put("pool-alloc-per-page-ns", "buddy allocator, per page (est.)");
        return m;
    }

    /** The largest value a nanosecond parameter takes: one second per operation. */
    public static final long MAX_NS = 1_000_000_000L;
    /** The largest {@code copy-ps-per-byte}: a microsecond per byte (a 1 MB/s copy). */
    public static final long MAX_PS_PER_BYTE = 1_000_000L;

    /**
     * The largest value of parameter {@code name}: bounds far beyond any real machine, under which a run's
     * {@code simulated_ns} stays within a long (a billion charged operations at a second each, or a terabyte
     * copied at a microsecond per byte, is 10^18 ns; the limit is 9.2 x 10^18).
     */
    public static long max(final String name) {
        return name.endsWith("-ps-per-byte") ? MAX_PS_PER_BYTE : MAX_NS;
    }

    /** Applies overrides by name; unknown names throw (the scenario layer rejects them first). */
    public CostParams with(final Map<String, Long> overrides) {
        final long[] v = toArray();
        final String[] keys = names().keySet().toArray(new String[0]);
        for (final Map.Entry<String, Long> e : overrides.entrySet()) {
            final int i = java.util.Arrays.asList(keys).indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("unknown cost parameter '" + e.getKey() + "'");
            }
            v[i] = e.getValue();
        }
        return new CostParams(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
    }

    private long[] toArray() {
        return new long[] {faultNs, pteInsertNs, tlbShootdownPerCpuNs, cacheFlushPerPageNs, cpaPerPageNs,
            largePageSplitNs, hypercallSevNs, hypercallSnpNs, hypercallTdxNs, pvalidatePerPageNs, copyPsPerByte,
            encryptedLineNs, poolAllocPerPageNs};
    }

    /** The hypercall cost of one conversion request in a mode (0 on the SME host or without encryption). */
    public long hypercallNs(final EncryptionMode mode) {
        switch (mode) {
            case SEV:
                return hypercallSevNs;
            case SEV_SNP:
                return hypercallSnpNs;
            case TDX:
                return hypercallTdxNs;
            default:
                return 0;
        }
    }
}
