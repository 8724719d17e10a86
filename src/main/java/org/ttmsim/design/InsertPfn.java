package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code insert-pfn}: dma_alloc_coherent pages inserted with plain vmf_insert_pfn: every PTE gets the VMA's vm_page_prot, iomem included.
 *
 * <p>Faults insert with {@code vm_page_prot} whatever the backing (no ttm_io_prot, no decryption of
 * iomem); the kernel uses the address dma_alloc_coherent() returned, so tt kernel maps go through the
 * linear map.
 *
 * <p>Source: Lutomirski, 3 Sep 2019, https://lore.kernel.org/r/CALCETrVnNpPwmRddGLku9hobE7wG30_3j+QfcYxk09hZgtaYww@mail.gmail.com
 */
public final class InsertPfn implements Design {
    @Override
    public String id() {
        return "insert-pfn";
    }

    @Override
    public String summary() {
        return "dma_alloc_coherent pages inserted with plain vmf_insert_pfn: every PTE gets the VMA's vm_page_prot, iomem included.";
    }

    @Override
    public String origin() {
        return "Lutomirski, 3 Sep 2019, https://lore.kernel.org/r/CALCETrVnNpPwmRddGLku9hobE7wG30_3j+QfcYxk09hZgtaYww@mail.gmail.com";
    }

    /** {@value #OWN_RELEASE}: Lutomirski proposed it in the September 2019 thread (v5.3). */
    private static final String OWN_RELEASE = "v5.3";

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
        return vmPageProt;
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return false;
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
