package org.ttmsim.driver;

import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.release.Change;
import org.ttmsim.release.KernelRelease;

/**
 * Models vmwgfx's {@code enum vmw_dma_map_mode} (drivers/gpu/drm/vmwgfx/vmwgfx_drv.h) plus the
 * v5.7–v6.8 refusal: how guest-backed memory (GMRs, MOBs) reaches the device. Chosen per release by
 * {@link #select}, as {@code vmw_dma_select_mode()} does.
 */
public enum VmwDmaMode {
    /** {@code vmw_dma_phys}: plain pages, the device is handed their physical addresses (no DMA API). */
    PHYS("phys"),
    /** {@code vmw_dma_alloc_coherent}: TTM's pool allocates with dma_alloc_coherent. */
    ALLOC_COHERENT("alloc_coherent"),
    /** {@code vmw_dma_map_populate}: plain pages, dma_map_page at populate (SWIOTLB may bounce). */
    MAP_POPULATE("map_populate"),
    /** v5.7–v6.8 under memory encryption: DMA refused, no GMR/MOB memory types at all. */
    REFUSE("refuse");

    private final String id;

    VmwDmaMode(final String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * {@code vmw_dma_select_mode()} of {@code release}: coherent under memory encryption from v6.9
     * ({@link Change#VMWGFX_COHERENT_UNDER_MEM_ENCRYPT}); refused under memory encryption (SME hosts too)
     * from v5.7 ({@link Change#VMWGFX_REFUSES_DMA_UNDER_MEM_ENCRYPT}), before {@code vmw_force_coherent}
     * is even looked at; {@code vmw_dma_map_populate} by default from about v5.3
     * ({@link Change#VMWGFX_MAP_POPULATE_DEFAULT}), {@code vmw_dma_phys} before.
     *
     * @param forceCoherent the {@code vmw_force_coherent} module parameter ({@code device.dma-alloc: true})
     */
    public static VmwDmaMode select(final KernelRelease release, final EncryptionMode mode,
            final boolean forceCoherent) {
        if (release.has(Change.VMWGFX_COHERENT_UNDER_MEM_ENCRYPT)) {
            return forceCoherent || mode.memEncrypt() ? ALLOC_COHERENT : MAP_POPULATE;
        }
        if (release.has(Change.VMWGFX_REFUSES_DMA_UNDER_MEM_ENCRYPT) && mode.memEncrypt()) {
            return REFUSE;
        }
        if (forceCoherent) {
            return ALLOC_COHERENT;
        }
        return release.has(Change.VMWGFX_MAP_POPULATE_DEFAULT) ? MAP_POPULATE : PHYS;
    }
}
