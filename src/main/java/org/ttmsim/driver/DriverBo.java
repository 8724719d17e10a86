package org.ttmsim.driver;

import org.ttmsim.hw.Caching;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmTt;

/**
 * A driver's buffer object: the TTM object plus what the driver keeps beside it, as
 * {@code struct amdgpu_bo} or {@code struct vmw_bo} embed {@code struct ttm_buffer_object}. Here that
 * is the caching the user asked for at creation, which the driver's {@code ttm_tt_create} honours.
 */
public final class DriverBo extends TtmBufferObject {
    private final Caching caching;

    public DriverBo(final long size, final Caching caching) {
        super(size);
        this.caching = caching;
    }

    /** The caching requested at creation. */
    public Caching requestedCaching() {
        return caching;
    }

    /** The requested caching of any BO (cached for objects not made by a driver, e.g. ghosts). */
    public static Caching cachingOf(final TtmBufferObject bo) {
        TtmBufferObject b = bo;
        while (b.ghostOf() != null) {
            b = b.ghostOf();
        }
        return b instanceof DriverBo d ? d.caching : Caching.CACHED;
    }

    /**
     * The drivers' {@code ttm_tt_create}: a tt that keeps DMA addresses ({@code ttm_sg_tt_init()}, as
     * amdgpu and vmwgfx do), so the device reaches its pages through the DMA API; an sg buffer's tt
     * (EXTERNAL) gets pages only, since the model has no dma-buf import.
     *
     * @return the tt, or null (TTM turns it into -ENOMEM)
     */
    static TtmTt createTt(final TtmBufferObject bo, final int pageFlags, final Caching caching) {
        final TtmTt tt = new TtmTt();
        final int ret = (pageFlags & TtmTt.FLAG_EXTERNAL) != 0 ? tt.init(bo, pageFlags, caching, 0)
                : tt.sgInit(bo, pageFlags, caching);
        return ret == org.ttmsim.hw.Errno.OK ? tt : null;
    }

    /**
     * A tt without DMA addresses ({@code ttm_tt_init()}): the driver hands the device the pages' physical
     * addresses (vmwgfx's {@code vmw_dma_phys}, the KUnit device).
     */
    static TtmTt createPhysTt(final TtmBufferObject bo, final int pageFlags, final Caching caching) {
        final TtmTt tt = new TtmTt();
        return tt.init(bo, pageFlags, caching, 0) == org.ttmsim.hw.Errno.OK ? tt : null;
    }
}
