package org.ttmsim.ttm;

/**
 * The decision points at which a mapping design (SPEC §5) is consulted. TTM calls these and nothing
 * else about designs; the {@code design} layer implements them. {@link #UPSTREAM} is today's kernel,
 * used by the KUnit port and as the default.
 *
 * <p>Protections are pgprot {@code long}s (see {@link org.ttmsim.hw.Pte}).
 */
public interface TtmPolicy {
    /**
     * {@code ttm_tt_create()}: the page flags a new tt gets. {@code kernelFlags} are what today's
     * kernel computes (ZERO_ALLOC / EXTERNAL by type, plus DECRYPTED iff the pool uses DMA allocation
     * and the guest encrypts memory).
     */
    int ttFlagsAtCreate(TtmBufferObjectView bo, int kernelFlags);

    /** The policy of today's kernel: flags unchanged. */
    TtmPolicy UPSTREAM = (bo, kernelFlags) -> kernelFlags;

    /** What a policy may read of a BO at tt creation: its device's DMA-allocation use and type. */
    interface TtmBufferObjectView {
        boolean poolUsesDmaAlloc();

        /** {@code force_dma_unencrypted(dev)} for the BO's device. */
        boolean forceDmaUnencrypted();

        /** ttm_bo_type: 0 device, 1 kernel, 2 sg. */
        int type();
    }
}
