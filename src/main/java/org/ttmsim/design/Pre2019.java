package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
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

    /** {@value #OWN_RELEASE}: the 2019 thread was written against v5.3. */
    private static final String OWN_RELEASE = "v5.3";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
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
        // System pages keep vm_page_prot (encrypted); iomem is decrypted.
        return Prots.ioProt(ctx, vmPageProt, false);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long pageKernel) {
        return Prots.kmap(ctx, numPages, pageKernel, true, false);
    }


    @Override
    public VmwDmaMode vmwgfxDmaMode(final EncryptionMode mode) {
        return mode.guestMemEncrypt() ? VmwDmaMode.ALLOC_COHERENT : VmwDmaMode.MAP_POPULATE;
    }
}
