package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code dma-mmap-coherent}: The whole BO mapped by the DMA API at mmap; one protection per mapping.
 *
 * <p>Source: Hellwig, 4 Sep 2019, https://lore.kernel.org/r/20190904122204.GA16937@infradead.org; dma_direct_mmap() in kernel/dma/direct.c (v5.7 decrypt fix)
 */
public final class DmaMmapCoherent implements Design {
    @Override
    public String id() {
        return "dma-mmap-coherent";
    }

    @Override
    public String summary() {
        return "The whole BO mapped by the DMA API at mmap; one protection per mapping.";
    }

    /** {@value #OWN_RELEASE}: dma_mmap_coherent() decrypts from v5.7 (17c4a2ae15a7). */
    private static final String OWN_RELEASE = "v5.7";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "Hellwig, 4 Sep 2019, https://lore.kernel.org/r/20190904122204.GA16937@infradead.org; dma_direct_mmap() in kernel/dma/direct.c (v5.7 decrypt fix)";
    }

    @Override
    public int ttFlagsAtCreate(final TtmBufferObjectView bo, final int kernelFlags) {
        return kernelFlags & ~TtmTt.FLAG_DECRYPTED;
    }

    @Override
    public long vmaProtAtMmap(final MapContext now, final long vmPageProt) {
        // dma_mmap_coherent(): vm_page_prot = dma_pgprot(), decrypted where forced; iomem decrypted.
        final long prot = Prots.caching(now, vmPageProt);
        return Prots.decIf(now.iomem() || now.forceDmaUnencrypted(), now, prot);
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return true;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt) {
        // One protection per mapping: whatever mmap chose, whatever the backing is now.
        return vmPageProt;
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long pageKernel) {
        if (ctx.iomem()) {
            return Prots.dec(ctx, Prots.caching(ctx, pageKernel));
        }
        // The kernel uses the address dma_alloc_coherent() returned: the linear map.
        return LINEAR_MAP;
    }


    @Override
    public VmwDmaMode vmwgfxDmaMode(final EncryptionMode mode) {
        return mode.guestMemEncrypt() ? VmwDmaMode.ALLOC_COHERENT : VmwDmaMode.MAP_POPULATE;
    }
}
