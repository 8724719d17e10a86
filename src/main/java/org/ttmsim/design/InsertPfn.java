package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code insert-pfn}: dma_alloc_coherent pages inserted with plain vmf_insert_pfn: every PTE gets vm_page_prot.
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
        return "dma_alloc_coherent pages inserted with plain vmf_insert_pfn: every PTE gets vm_page_prot.";
    }

    /** {@value #OWN_RELEASE}: Lutomirski proposed it in the September 2019 thread (v5.3). */
    private static final String OWN_RELEASE = "v5.3";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "Lutomirski, 3 Sep 2019, https://lore.kernel.org/r/CALCETrVnNpPwmRddGLku9hobE7wG30_3j+QfcYxk09hZgtaYww@mail.gmail.com";
    }

    @Override
    public int ttFlagsAtCreate(final TtmBufferObjectView bo, final int kernelFlags) {
        return kernelFlags & ~TtmTt.FLAG_DECRYPTED;
    }

    @Override
    public long vmaProtAtMmap(final MapContext now, final long vmPageProt) {
        return vmPageProt;
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return false;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt) {
        // Plain vmf_insert_pfn(): the VMA's own protection for every page, iomem included.
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
