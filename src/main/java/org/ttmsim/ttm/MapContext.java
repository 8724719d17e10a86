package org.ttmsim.ttm;

import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CcPlatform;
import org.ttmsim.mm.Pgprot;

/**
 * What a mapping decision may know about a buffer's backing at that moment: whether it is iomem, its
 * caching, its tt flags, how its pool allocates, what the DMA layer says of its device, and the
 * machine's encryption facts.
 *
 * @param iomem                the resource is device memory ({@code bus.is_iomem}; not a {@code use_tt} manager)
 * @param caching              the caching of the backing ({@code tt->caching} or {@code res->bus.caching})
 * @param ttFlags              the tt's page flags (0 without a tt)
 * @param dmaAllocPool         the device's pool allocates with dma_alloc_coherent ({@code use_dma_alloc})
 * @param forceDmaUnencrypted  {@code force_dma_unencrypted(dev)} for the device
 * @param dmaPgprotDecrypts    {@code dma_pgprot()} on this release decrypts for the device
 *                             ({@link org.ttmsim.release.Change#DMA_PGPROT_DECRYPTS})
 * @param cc                   the machine's encryption-bit semantics and mode
 */
public record MapContext(boolean iomem, Caching caching, int ttFlags, boolean dmaAllocPool,
        boolean forceDmaUnencrypted, boolean dmaPgprotDecrypts, CcPlatform cc) {
    public boolean ttDecrypted() {
        return (ttFlags & TtmTt.FLAG_DECRYPTED) != 0;
    }

    /** {@code pgprot_decrypted(prot)}. */
    public long decrypted(final long prot) {
        return cc.mkDec(prot);
    }

    /** {@code ttm_prot_from_caching(caching, prot)}: the backing's caching over {@code prot}. */
    public long withCaching(final long prot) {
        return Pgprot.withCaching(prot, caching);
    }

    /** What a vmap of this backing would use: {@code ttm_io_prot(bo, res, PAGE_KERNEL)} without DECRYPTED. */
    public long vmapProt() {
        return withCaching(Pgprot.pageKernel(cc));
    }
}
