package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.release.Releases;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code stock}: The release's own TTM with no patch: ttm_io_prot, the kmap fast path and the tt flags as that release has them.
 *
 * <p>No patch: every decision point keeps the release's value. On v6.9 or later this is today's
 * kernel.
 *
 * <p>Source: the kernel release itself: ttmsim kernels lists what changed in which release
 */
public final class Stock implements Design {
    @Override
    public String id() {
        return "stock";
    }

    @Override
    public String summary() {
        return "The release's own TTM with no patch: ttm_io_prot, the kmap fast path and the tt flags as that release has them.";
    }

    @Override
    public String origin() {
        return "the kernel release itself: ttmsim kernels lists what changed in which release";
    }

    /** The newest release the model knows. */
    @Override
    public KernelRelease ownRelease() {
        return Releases.newest();
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return kernelFlags;
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
