package org.ttmsim.design;

import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code pre-2019}: TTM before the 2019 patches: system pages mapped with vm_page_prot (encrypted), iomem decrypted.
 *
 * <p>Source: v4.14 SME series (2017), ttm_bo_vm.c before 2019; reference/thread-and-kernel.md §4 A0
 */
public final class Pre2019 implements Design {
    @Override
    public String id() {
        return "pre-2019";
    }

    @Override
    public String summary() {
        return "TTM before the 2019 patches: system pages mapped with vm_page_prot (encrypted), iomem decrypted.";
    }

    @Override
    public String origin() {
        return "v4.14 SME series (2017), ttm_bo_vm.c before 2019; reference/thread-and-kernel.md §4 A0";
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
        final long prot = Prots.caching(ctx, vmPageProt);
        // "Iomem should not be marked encrypted"; system pages keep vm_page_prot (encrypted).
        return Prots.decIf(ctx.iomem(), ctx, prot);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long pageKernel) {
        if (ctx.iomem()) {
            return Prots.dec(ctx, Prots.caching(ctx, pageKernel));
        }
        if (Prots.singleCachedPage(ctx, numPages)) {
            return LINEAR_MAP;
        }
        return Prots.caching(ctx, pageKernel);
    }

    @Override
    public boolean mprotectKeepsEncBit() {
        return false;
    }

    @Override
    public VmwDmaMode vmwgfxDmaMode(final EncryptionMode mode) {
        return mode.guestMemEncrypt() ? VmwDmaMode.ALLOC_COHERENT : VmwDmaMode.MAP_POPULATE;
    }
}
