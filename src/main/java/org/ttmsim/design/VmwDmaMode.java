package org.ttmsim.design;

/**
 * Models vmwgfx's {@code enum vmw_dma_map_mode} (drivers/gpu/drm/vmwgfx/vmwgfx_drv.h) plus the
 * 2020–2024 refusal: how guest-backed memory (GMRs, MOBs) reaches the device.
 */
public enum VmwDmaMode {
    /** {@code vmw_dma_alloc_coherent}: TTM's pool allocates with dma_alloc_coherent. */
    ALLOC_COHERENT("alloc_coherent"),
    /** {@code vmw_dma_map_populate}: plain pages, dma_map_page at populate (SWIOTLB may bounce). */
    MAP_POPULATE("map_populate"),
    /** v5.7–2024 under SEV: DMA refused, no GMR/MOB memory types at all. */
    REFUSE("refuse");

    private final String id;

    VmwDmaMode(final String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
