package org.ttmsim.ttm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ttmsim.hw.Errno;

/**
 * A {@code ttm_resource_manager} backed by the {@link GpuBuddy} allocator, as the KUnit mock manager
 * (drivers/gpu/drm/ttm/tests/ttm_mock_manager.c) and amdgpu's VRAM manager
 * (drivers/gpu/drm/amd/amdgpu/amdgpu_vram_mgr.c) are: chunk and minimum block PAGE_SIZE, place
 * TOPDOWN and CONTIGUOUS passed to the buddy, range and contiguity checks per block.
 *
 * <p>A manager made {@code alwaysContiguous} (the generic driver's VRAM, whose bus offset must be
 * linear, as with ttm_range_manager.c) allocates every resource as one contiguous run and marks it
 * CONTIGUOUS, as amdgpu does for allocations that happen to be contiguous.
 */
public class TtmBuddyManager extends TtmResourceManager {
    private static final long PAGE_SIZE = 4096;

    /** Models {@code struct ttm_mock_resource} / {@code amdgpu_vram_mgr_resource}: the blocks. */
    public static final class BuddyResource extends TtmResource {
        private final List<GpuBuddy.Block> blocks = new ArrayList<>();
        private int flags;

        public List<GpuBuddy.Block> blocks() {
            return Collections.unmodifiableList(blocks);
        }

        /** The buddy flags the allocation used. */
        public int buddyFlags() {
            return flags;
        }
    }

    /** The manager functions: {@code ttm_mock_manager_funcs} with amdgpu's intersects/compatible. */
    public static final ResourceManagerFunc FUNC = new ResourceManagerFunc() {
        @Override
        public int alloc(final TtmResourceManager man, final TtmBufferObject bo, final TtmPlace place,
                final TtmResource[] res) {
            return ((TtmBuddyManager) man).allocResource(bo, place, res);
        }

        @Override
        public void free(final TtmResourceManager man, final TtmResource res) {
            ((TtmBuddyManager) man).mm.freeList(((BuddyResource) res).blocks);
            TtmResource.fini(man, res);
        }

        @Override
        public boolean intersects(final TtmResourceManager man, final TtmResource res, final TtmPlace place,
                final long size) {
            for (final GpuBuddy.Block b : ((BuddyResource) res).blocks) {
                final long fpfn = b.offset();
                final long lpfn = fpfn + b.chunks();
                if (place.fpfn() < lpfn && (place.lpfn() == 0 || place.lpfn() > fpfn)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean compatible(final TtmResourceManager man, final TtmResource res, final TtmPlace place,
                final long size) {
            for (final GpuBuddy.Block b : ((BuddyResource) res).blocks) {
                final long fpfn = b.offset();
                final long lpfn = fpfn + b.chunks();
                if (fpfn < place.fpfn() || (place.lpfn() != 0 && lpfn > place.lpfn())) {
                    return false;
                }
            }
            return (place.flags() & TtmPlace.FLAG_CONTIGUOUS) == 0
                    || (res.placement() & TtmPlace.FLAG_CONTIGUOUS) != 0;
        }

        @Override
        public String debug(final TtmResourceManager man) {
            return "buddy avail: " + ((TtmBuddyManager) man).mm.avail();
        }
    };

    // Constant after creation.
    private final GpuBuddy mm;
    private final long defaultPageSize = PAGE_SIZE;
    private final boolean alwaysContiguous;

    /**
     * @param useTt            buffers here are backed by ttm_tt pages
     * @param size             bytes managed
     * @param alwaysContiguous every resource is one contiguous run
     */
    public TtmBuddyManager(final boolean useTt, final long size, final boolean alwaysContiguous) {
        super(FUNC, useTt);
        this.mm = new GpuBuddy(size, PAGE_SIZE);
        this.alwaysContiguous = alwaysContiguous;
    }

    /**
     * {@code ttm_mock_manager_init()}: a buddy manager of {@code size} bytes registered for
     * {@code memType} and marked used.
     */
    public static TtmBuddyManager init(final TtmDevice bdev, final int memType, final long size,
            final boolean useTt, final boolean alwaysContiguous) {
        final TtmBuddyManager man = new TtmBuddyManager(useTt, size, alwaysContiguous);
        man.init(bdev, size);
        bdev.setDriverManager(memType, man);
        man.setUsed(true);
        return man;
    }

    /**
     * {@code ttm_mock_manager_fini()}: evicts everything; on failure leaves the manager registered.
     *
     * @return 0 or the eviction error
     */
    public static int fini(final TtmDevice bdev, final int memType) {
        final TtmResourceManager man = bdev.managerType(memType);
        final int err = man.evictAll(bdev);
        if (err != Errno.OK) {
            return err;
        }
        man.setUsed(false);
        bdev.setDriverManager(memType, null);
        return Errno.OK;
    }

    public GpuBuddy buddy() {
        return mm;
    }

    private int allocResource(final TtmBufferObject bo, final TtmPlace place, final TtmResource[] res) {
        final BuddyResource r = new BuddyResource();
        TtmResource.init(bo, place, r);
        if ((place.flags() & TtmPlace.FLAG_TOPDOWN) != 0) {
            r.flags |= GpuBuddy.TOPDOWN_ALLOCATION;
        }
        if ((place.flags() & TtmPlace.FLAG_CONTIGUOUS) != 0 || alwaysContiguous) {
            r.flags |= GpuBuddy.CONTIGUOUS_ALLOCATION;
        }
        final long start = place.fpfn() * PAGE_SIZE;
        final long end = place.lpfn() != 0 ? Math.min(place.lpfn() * PAGE_SIZE, mm.size()) : mm.size();
        final long allocSize = (r.size() + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        final int err = start < end ? mm.allocBlocks(start, end, allocSize, defaultPageSize, r.blocks, r.flags)
                : Errno.ENOSPC;
        if (err != Errno.OK) {
            mm.freeList(r.blocks);
            TtmResource.fini(this, r);
            return err == Errno.EINVAL ? Errno.ENOSPC : err;
        }
        long first = Long.MAX_VALUE;
        for (final GpuBuddy.Block b : r.blocks) {
            first = Math.min(first, b.offset());
        }
        r.setStart(first);
        if (alwaysContiguous) {
            r.markContiguous();
        }
        res[0] = r;
        return Errno.OK;
    }
}
