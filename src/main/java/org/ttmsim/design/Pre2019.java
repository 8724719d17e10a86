package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code pre-2019}: TTM before the 2019 patches: tt pages mapped with vm_page_prot (encrypted), iomem decrypted.
 *
 * <p>The patch reverts TTM_TT_FLAG_DECRYPTED (71ce046327cf): on a release that has it, tt pages are again
 * mapped with the encrypted protection; on its own release (v5.3) it changes nothing.
 *
 * <p>Source: ttm_bo_vm.c and ttm_bo_util.c as the v4.14 SME series (2017) left them, unchanged until 2024; the thread of 2019: https://lore.kernel.org/r/20190903131504.18935-1-thomas_os@shipmail.org
 */
public final class Pre2019 implements Design {
    @Override
    public String id() {
        return "pre-2019";
    }

    @Override
    public String summary() {
        return "TTM before the 2019 patches: tt pages mapped with vm_page_prot (encrypted), iomem decrypted.";
    }

    @Override
    public String origin() {
        return "ttm_bo_vm.c and ttm_bo_util.c as the v4.14 SME series (2017) left them, unchanged until 2024; the thread of 2019: https://lore.kernel.org/r/20190903131504.18935-1-thomas_os@shipmail.org";
    }

    /** {@value #OWN_RELEASE}: the 2019 thread was written against v5.3. */
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
        return kernelProt;
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return kernelProt;
    }
}
