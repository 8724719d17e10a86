package org.ttmsim.ttm;

import org.ttmsim.dma.Kernel;

/** Builds the {@link MapContext} of a buffer's current backing, for the design's decisions. */
public final class TtmMapContexts {
    private TtmMapContexts() {
    }

    public static MapContext of(final TtmBufferObject bo) {
        final TtmDevice bdev = bo.bdev();
        final Kernel kernel = bdev.kernel();
        final TtmResource res = bo.resource();
        if (res != null) {
            TtmBoUtil.memIoReserve(bdev, res); // the bus placement tells iomem from system pages
        }
        final boolean iomem = res != null && res.busIsIomem();
        final TtmTt tt = bo.ttm();
        final org.ttmsim.hw.Caching caching = iomem ? res.busCaching()
                : tt != null ? tt.caching() : org.ttmsim.hw.Caching.CACHED;
        final boolean forced = bdev.dev() != null && kernel.dma().forceDmaUnencrypted(bdev.dev());
        final boolean pgprotDecrypts = bdev.dev() != null && kernel.dma().dmaPgprotDecrypts(bdev.dev());
        return new MapContext(iomem, caching, tt == null ? 0 : tt.pageFlags(), bdev.pool().usesDmaAlloc(), forced,
                pgprotDecrypts, kernel.machine().cc());
    }
}
