package org.ttmsim.hw;

/**
 * Deliberate faults (docs/SCENARIOS.md, "inject"): each switches off one kernel safeguard at exactly one named site, and
 * each firing emits an {@link EventKind#INJECT} event.
 */
public enum Injection {
    /** ttm_bo_handle_move_mem() skips ttm_bo_unmap_virtual() before a move. */
    SKIP_ZAP_ON_MOVE("skip-zap-on-move"),
    /** __set_memory_enc_pgtable() skips the cache flush before changing a page's encryption attribute. */
    SKIP_CACHE_FLUSH("skip-cache-flush"),
    /** flush_tlb_range() after a zap, and cpa_flush() after a conversion, are skipped. */
    SKIP_TLB_FLUSH("skip-tlb-flush"),
    /** The hypervisor refuses the page-state change (MapGPA / PSC / KVM_HC_MAP_GPA_RANGE). */
    CONVERSION_FAILS("conversion-fails"),
    /** ttm_pool keeps nothing: pages are freed (and re-converted) on every populate. */
    NO_POOL("no-pool");

    private final String id;

    Injection(final String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Injection fromId(final String id) {
        for (final Injection i : values()) {
            if (i.id.equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown injection '" + id + "'");
    }
}
