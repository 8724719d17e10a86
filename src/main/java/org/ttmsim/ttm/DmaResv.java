package org.ttmsim.ttm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ttmsim.hw.Errno;

/**
 * Models {@code struct dma_resv} (include/linux/dma-resv.h, drivers/dma-buf/dma-resv.c): the
 * reservation lock of a buffer (a wait-die {@link WwMutex}) and the fences of the work that still
 * uses it, each with a {@link DmaResvUsage}.
 */
public final class DmaResv {
    /** A fence slot. */
    public record Entry(DmaFence fence, DmaResvUsage usage) {
    }

    private final WwMutex lock = new WwMutex();
    private final List<Entry> fences = new ArrayList<>();
    private boolean fenceListAllocated;

    public WwMutex lockObject() {
        return lock;
    }

    /** {@code dma_resv_lock(obj, ctx)}: 0, -EALREADY or -EDEADLK. */
    public int lock(final WwAcquireCtx ctx) {
        return lock.lock(ctx, false);
    }

    /** {@code dma_resv_lock_interruptible(obj, ctx)}: 0, -EALREADY, -EDEADLK or -EINTR. */
    public int lockInterruptible(final WwAcquireCtx ctx) {
        return lock.lock(ctx, true);
    }

    /** {@code dma_resv_trylock()}. */
    public boolean trylock() {
        return lock.trylock();
    }

    /** {@code dma_resv_unlock()}. */
    public void unlock() {
        lock.unlock();
    }

    public boolean isLocked() {
        return lock.isLocked();
    }

    /** {@code dma_resv_assert_held()}: a model bug if the lock is not held. */
    public void assertHeld() {
        if (!lock.isLocked()) {
            throw new IllegalStateException("dma_resv not held");
        }
    }

    /** {@code dma_resv_locking_ctx()}: the ticket the holder locked with, or null. */
    public WwAcquireCtx lockingCtx() {
        return lock.ctx();
    }

    /** {@code dma_resv_reserve_fences()}: allocates the fence list; never fails in the model. */
    public int reserveFences(final int num) {
        fenceListAllocated = true;
        return Errno.OK;
    }

    /** Whether {@code resv->fences} has been allocated. */
    public boolean fenceListAllocated() {
        return fenceListAllocated;
    }

    /** {@code dma_resv_add_fence()}: a fence already present keeps its most important usage. */
    public void addFence(final DmaFence fence, final DmaResvUsage usage) {
        fenceListAllocated = true;
        for (int i = 0; i < fences.size(); i++) {
            final Entry e = fences.get(i);
            if (e.fence() == fence) {
                if (usage.ordinal() < e.usage().ordinal()) {
                    fences.set(i, new Entry(fence, usage));
                }
                return;
            }
        }
        fences.add(new Entry(fence, usage));
    }

    /** {@code dma_resv_copy_fences(dst = this, src)}. */
    public int copyFences(final DmaResv src) {
        fenceListAllocated = true;
        for (final Entry e : src.fences) {
            addFence(e.fence(), e.usage());
        }
        return Errno.OK;
    }

    /** {@code dma_resv_test_signaled()}: every fence of {@code usage} or more important has signaled. */
    public boolean testSignaled(final DmaResvUsage usage) {
        for (final Entry e : fences) {
            if (e.usage().ordinal() <= usage.ordinal() && !e.fence().isSignaled()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code dma_resv_wait_timeout()}: waits for every fence of {@code usage} or more important.
     *
     * @return a positive value when all signaled, 0 on timeout (a hung fence)
     */
    public long waitTimeout(final DmaResvUsage usage, final boolean interruptible, final long timeout) {
        for (final Entry e : fences) {
            if (e.usage().ordinal() <= usage.ordinal() && e.fence().waitTimeout(interruptible, timeout) == 0) {
                return 0;
            }
        }
        return Math.max(1, timeout);
    }

    /** The fences, in the order they were added. */
    public List<Entry> fences() {
        return Collections.unmodifiableList(fences);
    }
}
