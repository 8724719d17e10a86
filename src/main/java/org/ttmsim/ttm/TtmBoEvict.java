package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;

/**
 * Models the eviction and swapout half of drivers/gpu/drm/ttm/ttm_bo.c: {@code ttm_bo_evict()} (driver's
 * evict_flags, purge or move with hops), {@code ttm_bo_eviction_valuable()}, the eviction walk that
 * makes room for an allocation ({@code ttm_bo_evict_alloc()} / {@code ttm_bo_evict_cb()}),
 * {@code ttm_bo_evict_first()} for manager teardown, and {@code ttm_bo_swapout()}.
 */
public final class TtmBoEvict {
    private static final int MAX_HOPS = 8;

    private TtmBoEvict() {
    }

    /**
     * {@code ttm_bo_evict()}: asks the driver where the buffer goes. An empty placement waits for idle
     * and purges (the tt stays, unpopulated and marked for clearing; the resource goes). Otherwise it
     * allocates with both passes (so FALLBACK places serve; nested eviction allowed) and moves,
     * following hops.
     *
     * @return 0; -EBUSY / -ENOSPC / -ENOMEM when no room; -ERESTARTSYS; move errors
     */
    public static int evict(final TtmBufferObject bo, final OperationCtx ctx) {
        bo.resv().assertHeld();
        final TtmPlacement placement = bo.bdev().funcs().evictFlags(bo);
        TtmBo.emit(bo, EventKind.EVICT, "evict " + bo.name() + " from " + TtmBo.where(bo) + " to "
                + (placement.isEmpty() ? "nowhere (purge)" : placement.toString()));
        if (placement.isEmpty()) {
            final int ret = TtmBo.waitCtx(bo, ctx);
            if (ret != Errno.OK) {
                return ret;
            }
            // Already synced, so this frees the backing store immediately.
            return TtmBoUtil.pipelineGutting(bo);
        }
        final TtmResource[] evictMem = new TtmResource[1];
        int ret = TtmBo.memSpace(bo, placement, evictMem, ctx);
        if (ret != Errno.OK) {
            return ret;
        }
        for (int hops = 0; ; hops++) {
            final TtmPlace[] hop = new TtmPlace[1];
            ret = TtmBo.handleMoveMem(bo, evictMem[0], true, ctx, hop);
            if (ret != Errno.EMULTIHOP) {
                break;
            }
            if (hops == MAX_HOPS) {
                throw new IllegalStateException("driver asked for more than " + MAX_HOPS + " hops");
            }
            ret = TtmBo.bounceTempBuffer(bo, ctx, hop[0]);
            if (ret != Errno.OK) {
                break;
            }
        }
        if (ret != Errno.OK) {
            TtmResource.free(bo, evictMem[0]);
        }
        return ret;
    }

    /**
     * The eviction of one named buffer, as an LRU walk reaches it ({@code ttm_bo_evict_first()},
     * {@code ttm_bo_evict_cb()}): a buffer without resource is on no LRU ("0 if successful or the
     * resource disappeared"); a pinned or swapped-out buffer sits on {@code bdev->unevictable}, which no
     * walk visits, so a pinned one cannot be evicted (-EBUSY) and a swapped one has nothing left to
     * evict (its pages are in shmem).
     *
     * @return 0, -EBUSY for a pinned buffer, or {@link #evict}'s result
     */
    public static int evictOne(final TtmBufferObject bo, final OperationCtx ctx) {
        bo.resv().assertHeld();
        if (bo.resource() == null) {
            TtmBo.emit(bo, EventKind.EVICT, "evict " + bo.name() + ": no resource, on no LRU: nothing to evict");
            return Errno.OK;
        }
        if (bo.pinCount() > 0) {
            TtmBo.emit(bo, EventKind.EVICT, "evict " + bo.name() + ": pinned, on the unevictable list: -EBUSY");
            return Errno.EBUSY;
        }
        if (bo.ttm() != null && bo.ttm().isSwapped()) {
            TtmBo.emit(bo, EventKind.EVICT, "evict " + bo.name() + ": swapped out, on the unevictable list:"
                    + " nothing to evict");
            return Errno.OK;
        }
        return evict(bo, ctx);
    }

    /**
     * {@code ttm_bo_eviction_valuable()}: always for SYSTEM; otherwise when the resource intersects the
     * place being made room in.
     */
    public static boolean evictionValuable(final TtmBufferObject bo, final TtmPlace place) {
        bo.resv().assertHeld();
        if (bo.resource().memType() == TtmPlace.PL_SYSTEM) {
            return true;
        }
        return TtmResource.intersects(bo.bdev(), bo.resource(), place, bo.size());
    }

    /**
     * {@code ttm_bo_evict_first()}: evicts (or, if deleted, cleans up) the oldest buffer of the manager.
     *
     * @return 0 (also if the buffer moved meanwhile); -ENOENT when the LRU is empty; errors
     */
    public static int evictFirst(final TtmDevice bdev, final TtmResourceManager man, final OperationCtx ctx) {
        final TtmResourceCursor cursor = new TtmResourceCursor(man);
        final TtmResource res = cursor.first();
        cursor.fini();
        if (res == null) {
            return Errno.ENOENT;
        }
        final TtmBufferObject bo = res.bo();
        if (!TtmBo.getUnlessZero(bo)) {
            return Errno.OK;
        }
        final int memType = res.memType();
        int ret = TtmBo.reserve(bo, ctx.interruptible(), ctx.noWaitGpu(), null);
        if (ret == Errno.OK) {
            if (bo.resource() != null && bo.resource().memType() == memType) {
                ret = evictOrCleanup(bo, ctx);
            }
            bo.resv().unlock();
        }
        TtmBo.put(bo);
        return ret;
    }

    private static int evictOrCleanup(final TtmBufferObject bo, final OperationCtx ctx) {
        if (bo.deleted()) {
            final int ret = TtmBo.waitCtx(bo, ctx);
            if (ret == Errno.OK) {
                TtmBo.cleanupMemtypeUse(bo);
            }
            return ret;
        }
        return evict(bo, ctx);
    }

    /** {@code struct ttm_bo_evict_walk} with {@code ttm_bo_evict_cb()}. */
    private static final class EvictWalk extends TtmLruWalk {
        private final TtmPlace place;
        private final TtmBufferObject evictor;
        private final TtmResource[] res;
        private long evicted;

        EvictWalk(final OperationCtx ctx, final WwAcquireCtx ticket, final TtmPlace place,
                final TtmBufferObject evictor, final TtmResource[] res) {
            super(ctx, ticket, true);
            this.place = place;
            this.evictor = evictor;
            this.res = res;
        }

        /**
         * Skips pinned buffers and those the driver does not find worth evicting; cleans up deleted
         * ones; evicts the others, then retries the evictor's allocation. A full target ends the
         * buffer's turn with -EBUSY (the walk goes on).
         */
        @Override
        protected long processBo(final TtmBufferObject bo) {
            if (bo.pinCount() > 0 || !bo.bdev().funcs().evictionValuable(bo, place)) {
                return 0;
            }
            long lret = evictOrCleanup(bo, ctx);
            if (lret == 0) {
                evicted++;
                if (res != null) {
                    lret = TtmResource.alloc(evictor, place, res);
                }
                if (lret == 0) {
                    return 1;
                }
            }
            return lret == Errno.ENOSPC ? Errno.EBUSY : lret;
        }
    }

    /**
     * {@code ttm_bo_evict_alloc()}: evicts from {@code man}'s LRU until {@code evictor} fits in
     * {@code place}. Trylock only at first; with a ticket, repeats with sleeping locks while making
     * progress.
     *
     * @return 0 with {@code res[0]}; -EBUSY when nothing (more) could be evicted; errors
     */
    static int evictAlloc(final TtmDevice bdev, final TtmResourceManager man, final TtmPlace place,
            final TtmBufferObject evictor, final OperationCtx ctx, final WwAcquireCtx ticket,
            final TtmResource[] res) {
        final EvictWalk walk = new EvictWalk(ctx, ticket, place, evictor, res);
        long lret = walk.forEvict(bdev, man, 1);
        if (lret == 0 && ticket != null) {
            walk.trylockOnly = false;
            do {
                walk.ticket = ticket;
                walk.evicted = 0;
                lret = walk.forEvict(bdev, man, 1);
            } while (lret == 0 && walk.evicted > 0);
        }
        if (lret < 0) {
            return (int) lret;
        }
        return lret == 0 ? Errno.EBUSY : Errno.OK;
    }

    // ---- swapout ---------------------------------------------------------------------------

    /**
     * The body of {@code ttm_bo_swapout_cb()} for one locked buffer: moves it to SYSTEM if needed
     * (a driver that wants a hop for that makes it fail), waits for idle, zaps user mappings and swaps
     * its tt out to shmem; the resource then sits on the unevictable list until swapped in.
     *
     * @return pages swapped out; -EBUSY when the buffer has no resource, is pinned, not worth it,
     *         unpopulated, external, already swapped, or cannot move or wait
     */
    public static long swapoutBo(final TtmBufferObject bo, final OperationCtx ctx) {
        bo.resv().assertHeld();
        if (bo.resource() == null) {
            return Errno.EBUSY; // on no LRU; and no populated tt to swap
        }
        final TtmPlace sys = TtmPlace.of(bo.resource().memType(), 0);
        if (bo.pinCount() > 0 || !bo.bdev().funcs().evictionValuable(bo, sys)) {
            return Errno.EBUSY;
        }
        final TtmTt tt = bo.ttm();
        if (tt == null || !tt.isPopulated() || (tt.pageFlags() & (TtmTt.FLAG_EXTERNAL | TtmTt.FLAG_SWAPPED)) != 0) {
            return Errno.EBUSY;
        }
        long ret;
        if (bo.deleted()) {
            final long pages = tt.numPages();
            ret = TtmBo.waitCtx(bo, ctx);
            if (ret == 0) {
                TtmBo.cleanupMemtypeUse(bo);
                ret = pages;
            }
            return nonFatal(ret);
        }
        ret = moveToSystemForSwap(bo, ctx);
        if (ret == 0) {
            ret = TtmBo.waitCtx(bo, ctx);
        }
        if (ret != 0) {
            return nonFatal(ret);
        }
        TtmBo.unmapVirtual(bo);
        bo.bdev().funcs().swapNotify(bo);
        TtmResource.delBulkMove(bo.resource(), bo);
        ret = TtmTt.swapout(bo.bdev(), bo.ttm(), bo);
        if (ret < 0) {
            TtmResource.addBulkMove(bo.resource(), bo);
        }
        TtmResource.moveToLruTail(bo.resource());
        return nonFatal(ret);
    }

    private static int moveToSystemForSwap(final TtmBufferObject bo, final OperationCtx ctx) {
        if (bo.resource().memType() == TtmPlace.PL_SYSTEM) {
            return Errno.OK;
        }
        final TtmResource[] evictMem = new TtmResource[1];
        int ret = TtmResource.alloc(bo, TtmPlace.of(TtmPlace.PL_SYSTEM, 0), evictMem);
        if (ret != Errno.OK) {
            return ret;
        }
        ret = TtmBo.handleMoveMem(bo, evictMem[0], true, ctx, new TtmPlace[1]);
        if (ret != Errno.OK) {
            // WARN(ret == -EMULTIHOP, "Unexpected multihop in swapout - likely driver bug.")
            TtmResource.free(bo, evictMem[0]);
        }
        return ret;
    }

    /** -ENOMEM and -ENOSPC are not fatal to a swapout walk: they become -EBUSY. */
    private static long nonFatal(final long ret) {
        return ret == Errno.ENOMEM || ret == Errno.ENOSPC ? Errno.EBUSY : ret;
    }

    /**
     * {@code ttm_bo_swapout()}: swaps out buffers of {@code man}'s LRU (trylock only) until
     * {@code target} pages are out.
     *
     * @return pages swapped out, or a negative errno
     */
    public static long swapout(final TtmDevice bdev, final OperationCtx ctx, final TtmResourceManager man,
            final long target) {
        final TtmLruWalk walk = new TtmLruWalk(ctx, null, true) {
            @Override
            protected long processBo(final TtmBufferObject bo) {
                return swapoutBo(bo, ctx);
            }
        };
        return walk.forEvict(bdev, man, target);
    }
}
