package org.ttmsim.hw;

/** The counters of the result's {@code costs} (docs/SCENARIOS.md), with their stable keys. {@code simulated_ns} is derived in the ledger. */
public enum Counter {
    FAULTS("faults", "user page faults handled"),
    PTES_INSERTED("ptes_inserted", "user PTEs inserted by vmf_insert_pfn_prot and friends"),
    PTES_ZAPPED("ptes_zapped", "user PTEs removed by unmap_mapping_range / munmap"),
    TLB_SHOOTDOWNS("tlb_shootdowns", "TLB flushes sent to other CPUs (one per target CPU)"),
    CACHE_FLUSH_PAGES("cache_flush_pages", "pages whose cache lines were flushed (clflush)"),
    PAGES_DECRYPTED("pages_decrypted", "pages converted to shared by set_memory_decrypted"),
    PAGES_ENCRYPTED("pages_encrypted", "pages converted to private by set_memory_encrypted"),
    HYPERCALLS("hypercalls", "VMGEXIT / TDVMCALL / KVM hypercalls"),
    SWIOTLB_BYTES("swiotlb_bytes", "bytes copied through SWIOTLB bounce buffers"),
    BYTES_MOVED("bytes_moved", "bytes moved by TTM buffer moves (ttm_operation_ctx.bytes_moved)"),
    POOL_HITS("pool_hits", "ttm_pool allocations served from a pool list"),
    POOL_MISSES("pool_misses", "ttm_pool allocations that went to the page or DMA allocator");

    private final String key;
    private final String description;

    Counter(final String key, final String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }
}
