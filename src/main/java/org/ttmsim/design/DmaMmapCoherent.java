package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code dma-mmap-coherent}: The whole BO mapped by the DMA API at mmap, with dma_pgprot(); one protection per mapping.
 *
 * <p>At mmap {@code vm_page_prot} becomes {@code dma_pgprot()} of the backing (decrypted where the
 * release's dma_pgprot decrypts, v5.7 on) or decrypted for iomem, and every page is populated and
 * mapped at once; later faults reuse that one protection whatever the backing becomes.
 *
 * <p>Source: Hellwig, 4 Sep 2019, https://lore.kernel.org/r/20190904122204.GA16937@infradead.org; dma_direct_mmap() in kernel/dma/direct.c
 */
public final class DmaMmapCoherent implements Design {
    @Override
    public String id() {
        return "dma-mmap-coherent";
    }

    @Override
    public String summary() {
        return "The whole BO mapped by the DMA API at mmap, with dma_pgprot(); one protection per mapping.";
    }

    @Override
    public String origin() {
        return "Hellwig, 4 Sep 2019, https://lore.kernel.org/r/20190904122204.GA16937@infradead.org; dma_direct_mmap() in kernel/dma/direct.c";
    }

    /** {@value #OWN_RELEASE}: dma_mmap_coherent() decrypts from v5.7 (17c4a2ae15a7). */
    private static final String OWN_RELEASE = "v5.7";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return Prots.withoutDecrypted(kernelFlags);
    }

    @Override
    public long vmaProt(final MapContext now, final long vmPageProt) {
        return Prots.decIf(now.iomem() || now.dmaPgprotDecrypts(), now, now.withCaching(vmPageProt));
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return true;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt, final long kernelProt) {
        return vmPageProt;
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return Prots.kmapLinearForTt(ctx, kernelProt);
    }
}
