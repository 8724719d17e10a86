package org.ttmsim.ttm;

import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CcPlatform;

/**
 * What a mapping decision may know about a buffer's backing at that moment: whether it is iomem, its
 * caching, its tt flags, how its pool allocates, and the machine's encryption facts.
 *
 * @param iomem                the resource is device memory ({@code bus.is_iomem})
 * @param caching              the caching of the backing ({@code tt->caching} or {@code res->bus.caching})
 * @param ttFlags              the tt's page flags (0 without a tt)
 * @param dmaAllocPool         the device's pool allocates with dma_alloc_coherent ({@code use_dma_alloc})
 * @param forceDmaUnencrypted  {@code force_dma_unencrypted(dev)} for the device
 * @param cc                   the machine's encryption-bit semantics and mode
 */
public record MapContext(boolean iomem, Caching caching, int ttFlags, boolean dmaAllocPool,
        boolean forceDmaUnencrypted, CcPlatform cc) {
    public boolean ttDecrypted() {
        return (ttFlags & TtmTt.FLAG_DECRYPTED) != 0;
    }
}
