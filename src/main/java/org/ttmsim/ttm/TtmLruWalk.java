package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;

/**
 * Models {@code struct ttm_lru_walk} and {@code ttm_lru_walk_for_evict()}
 * (drivers/gpu/drm/ttm/ttm_bo_util.c): walks a manager's LRU lists, lowest priority and oldest first,
 * locks each buffer (trylock; with a ticket and not trylock-only, one sleeping ticket-lock per walk),
 * takes a reference and hands it to {@link #processBo}, until the progress reaches the target or an
 * error stops the walk.
 */
public abstract class TtmLruWalk {
    // struct ttm_lru_walk_arg
    final OperationCtx ctx;
    WwAcquireCtx ticket;
    boolean trylockOnly;

    protected TtmLruWalk(final OperationCtx ctx, final WwAcquireCtx ticket, final boolean trylockOnly) {
        this.ctx = ctx;
        this.ticket = ticket;
        this.trylockOnly = trylockOnly;
    }

    /**
     * The action on one locked, referenced buffer ({@code process_bo}).
     *
     * @return progress made (&gt;= 0), or a negative errno; -EBUSY and -EALREADY mean "skip it"
     */
    protected abstract long processBo(TtmBufferObject bo);

    /**
     * {@code ttm_lru_walk_for_evict()}.
     *
     * @return the progress made, or a negative errno
     */
    public long forEvict(final TtmDevice bdev, final TtmResourceManager man, final long target) {
        final TtmResourceCursor cursor = new TtmResourceCursor(man);
        long progress = 0;
        for (TtmResource res = cursor.first(); res != null; res = cursor.next()) {
            final TtmBufferObject bo = res.bo();
            final boolean[] needsUnlock = new boolean[1];
            final boolean locked = trylock(bo, needsUnlock);
            if (!locked && (ticket == null || ctx.noWaitGpu() || trylockOnly)) {
                continue;
            }
            if (!TtmBo.getUnlessZero(bo)) {
                unlockIf(bo, needsUnlock[0]);
                continue;
            }
            final int memType = res.memType();
            long lret = 0;
            if (!locked) {
                lret = ticketlock(bo, needsUnlock);
            }
            if (lret == 0 && bo.resource() != null && bo.resource().memType() == memType) {
                lret = processBo(bo);
            }
            unlockIf(bo, needsUnlock[0]);
            TtmBo.put(bo);
            if (lret == Errno.EBUSY || lret == Errno.EALREADY) {
                lret = 0;
            }
            progress = lret < 0 ? lret : progress + lret;
            if (progress < 0 || progress >= target) {
                break;
            }
        }
        cursor.fini();
        return progress;
    }

    /** {@code ttm_lru_walk_trylock()}: a trylock, or a buffer sharing the caller's held reservation. */
    private boolean trylock(final TtmBufferObject bo, final boolean[] needsUnlock) {
        needsUnlock[0] = false;
        if (bo.resv().trylock()) {
            needsUnlock[0] = true;
            return true;
        }
        if (bo.resv() == ctx.resv() && ctx.allowResEvict()) {
            bo.resv().assertHeld();
            return true;
        }
        return false;
    }

    /** {@code ttm_lru_walk_ticketlock()}: one sleeping lock per walk; -EDEADLK becomes -ENOSPC. */
    private int ticketlock(final TtmBufferObject bo, final boolean[] needsUnlock) {
        int ret = ctx.interruptible() ? bo.resv().lockInterruptible(ticket) : bo.resv().lock(ticket);
        if (ret == Errno.OK) {
            needsUnlock[0] = true;
            ticket = null;
        } else if (ret == Errno.EDEADLK) {
            ret = Errno.ENOSPC;
        }
        return ret;
    }

    private static void unlockIf(final TtmBufferObject bo, final boolean locked) {
        if (locked) {
            bo.resv().unlock();
        }
    }
}
