package org.ttmsim.ttm;

import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;

/**
 * Models {@code struct ttm_resource} with its {@code struct ttm_bus_placement}
 * (include/drm/ttm/ttm_resource.h) and the resource functions of drivers/gpu/drm/ttm/ttm_resource.c:
 * init/fini (usage and LRU accounting), alloc/free through the manager, the compatibility and
 * intersection tests, and LRU placement (manager LRU, bulk move, or the device's unevictable list).
 *
 * <p>Managers that need per-resource state subclass this, as drivers embed the struct.
 */
public class TtmResource {
    // Set by ttm_resource_init(), then owned by the manager.
    private long start;
    private long size;
    private int memType;
    private int placement;
    private TtmBufferObject bo;
    // Bus placement: set by the driver's io_mem_reserve, cleared by ttm_mem_io_free.
    private long busAddr;
    private long busOffset;
    private boolean busIsIomem;
    private Caching busCaching = Caching.CACHED;
    // Protected by the device's LRU lock.
    private final TtmLruItem lru = new TtmLruItem(this);

    /** {@code ttm_resource_init()}: fills the resource, charges usage and links it on an LRU. */
    public static void init(final TtmBufferObject bo, final TtmPlace place, final TtmResource res) {
        res.start = 0;
        res.size = bo.size();
        res.memType = place.memType();
        res.placement = place.flags();
        res.busAddr = 0;
        res.busOffset = 0;
        res.busIsIomem = false;
        res.busCaching = Caching.CACHED;
        res.bo = bo;
        final TtmDevice bdev = bo.bdev();
        final TtmResourceManager man = bdev.managerType(place.memType());
        if (unevictable(res, bo)) {
            bdev.unevictable().moveTail(res.lru);
        } else {
            man.lru(bo.priority()).moveTail(res.lru);
        }
        man.addUsage(res.size);
    }

    /** {@code ttm_resource_fini()}: unlinks the resource and gives its size back. */
    public static void fini(final TtmResourceManager man, final TtmResource res) {
        TtmLruList.del(res.lru);
        man.addUsage(-res.size);
    }

    /**
     * {@code ttm_resource_alloc()}: asks the place's manager for a resource and adds it to the buffer's
     * bulk move.
     *
     * @param res {@code res[0]} receives the resource on success
     * @return 0, or the manager's error (-ENOSPC when full)
     */
    public static int alloc(final TtmBufferObject bo, final TtmPlace place, final TtmResource[] res) {
        final TtmResourceManager man = bo.bdev().managerType(place.memType());
        final int ret = man.func().alloc(man, bo, place, res);
        if (ret != Errno.OK) {
            return ret;
        }
        addBulkMove(res[0], bo);
        return Errno.OK;
    }

    /** {@code ttm_resource_free()}: gives the resource back to its manager; null is a no-op. */
    public static void free(final TtmBufferObject bo, final TtmResource res) {
        if (res == null) {
            return;
        }
        delBulkMove(res, bo);
        final TtmResourceManager man = bo.bdev().managerType(res.memType);
        man.func().free(man, res);
    }

    /**
     * {@code ttm_resource_intersects()}: whether the resource overlaps the place's range (used to judge
     * whether evicting it helps). Managers without an {@code intersects} hook say yes.
     */
    public static boolean intersects(final TtmDevice bdev, final TtmResource res, final TtmPlace place,
            final long size) {
        final TtmResourceManager man = bdev.managerType(res.memType);
        if (place == null) {
            return true;
        }
        return man.func().intersects(man, res, place, size);
    }

    /**
     * {@code ttm_resource_compatible()}: whether the resource already satisfies one place of the
     * placement: same memory type, not a temporary (multihop) resource, not a FALLBACK place on the
     * first pass nor a DESIRED place when evicting, CONTIGUOUS honoured, and the manager agrees.
     */
    public static boolean compatible(final TtmResource res, final TtmPlacement placement, final boolean evicting) {
        final TtmBufferObject bo = res.bo;
        if ((res.placement & TtmPlace.FLAG_TEMPORARY) != 0) {
            return false;
        }
        for (final TtmPlace place : placement.places()) {
            if (res.memType != place.memType()) {
                continue;
            }
            if ((place.flags() & (evicting ? TtmPlace.FLAG_DESIRED : TtmPlace.FLAG_FALLBACK)) != 0) {
                continue;
            }
            if ((place.flags() & TtmPlace.FLAG_CONTIGUOUS) != 0 && (res.placement & TtmPlace.FLAG_CONTIGUOUS) == 0) {
                continue;
            }
            final TtmResourceManager man = bo.bdev().managerType(res.memType);
            if (!man.func().compatible(man, res, place, bo.size())) {
                continue;
            }
            return true;
        }
        return false;
    }

    /** {@code ttm_resource_is_swapped()}: the buffer's current resource, with its tt swapped out. */
    static boolean isSwapped(final TtmResource res, final TtmBufferObject bo) {
        if (bo.resource() != res || bo.ttm() == null) {
            return false;
        }
        return bo.ttm().isSwapped();
    }

    /** {@code ttm_resource_unevictable()}: pinned, or swapped out. */
    static boolean unevictable(final TtmResource res, final TtmBufferObject bo) {
        return bo.pinCount() > 0 || isSwapped(res, bo);
    }

    /** {@code ttm_resource_add_bulk_move()}. */
    static void addBulkMove(final TtmResource res, final TtmBufferObject bo) {
        if (bo.bulkMove() != null && !unevictable(res, bo)) {
            bo.bulkMove().add(res);
        }
    }

    /** {@code ttm_resource_del_bulk_move()}. */
    static void delBulkMove(final TtmResource res, final TtmBufferObject bo) {
        if (bo.bulkMove() != null && !unevictable(res, bo)) {
            bo.bulkMove().del(res);
        }
    }

    /**
     * {@code ttm_resource_move_to_lru_tail()}: unevictable resources to the device's unevictable list,
     * bulk-move members to the end of their run, others to their manager's LRU tail.
     */
    public static void moveToLruTail(final TtmResource res) {
        final TtmBufferObject bo = res.bo;
        final TtmDevice bdev = bo.bdev();
        if (unevictable(res, bo)) {
            bdev.unevictable().moveTail(res.lru);
        } else if (bo.bulkMove() != null) {
            bo.bulkMove().tail(res);
        } else {
            bdev.managerType(res.memType).lru(bo.priority()).moveTail(res.lru);
        }
    }

    /** {@code ttm_resource_set_bo()}. */
    static void setBo(final TtmResource res, final TtmBufferObject bo) {
        res.bo = bo;
    }

    /** First page of the allocation within its manager. */
    public long start() {
        return start;
    }

    /** For managers: where the allocation starts, in pages. */
    protected void setStart(final long start) {
        this.start = start;
    }

    /** For managers: records that the allocation is physically contiguous. */
    protected void markContiguous() {
        this.placement |= TtmPlace.FLAG_CONTIGUOUS;
    }

    /** Bytes. */
    public long size() {
        return size;
    }

    public long numPages() {
        return (size + 4095) >>> 12;
    }

    public int memType() {
        return memType;
    }

    /** The TTM_PL_FLAG_* bits of the place it was allocated for. */
    public int placement() {
        return placement;
    }

    public TtmBufferObject bo() {
        return bo;
    }

    /** {@code bus.addr}: a premapped kernel address, 0 if none. */
    public long busAddr() {
        return busAddr;
    }

    /** {@code bus.offset}: the bus (physical) address of iomem, set by {@code io_mem_reserve}. */
    public long busOffset() {
        return busOffset;
    }

    public boolean busIsIomem() {
        return busIsIomem;
    }

    public Caching busCaching() {
        return busCaching;
    }

    /** For a driver's {@code io_mem_reserve}: fills the bus placement. */
    public void setBus(final long offset, final boolean isIomem, final Caching caching) {
        this.busOffset = offset;
        this.busIsIomem = isIomem;
        this.busCaching = caching;
    }

    void clearBusMapping() {
        this.busOffset = 0;
        this.busAddr = 0;
    }

    void setBusIsIomem(final boolean isIomem) {
        this.busIsIomem = isIomem;
    }

    public TtmLruItem lru() {
        return lru;
    }

    @Override
    public String toString() {
        return TtmPlace.memTypeName(memType) + "@" + start + "+" + numPages() + "p";
    }
}
