package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;

/**
 * Models {@code struct ww_mutex} with wait-die semantics (kernel/locking/ww_mutex.h), as used by
 * {@code dma_resv}: a mutex that remembers which acquire context holds it.
 *
 * <p>The model is single-threaded: nobody else can ever release a lock while we sleep. A lock that
 * would have to sleep therefore ends in one of the kernel's early exits (-EALREADY, -EDEADLK, -EINTR
 * for an interruptible sleep with a signal pending); any other sleep would last forever and is
 * reported as a model bug.
 */
public final class WwMutex {
    private boolean locked;
    private WwAcquireCtx ctx;

    /** {@code ww_mutex_trylock(lock, NULL)}. */
    public boolean trylock() {
        if (locked) {
            return false;
        }
        locked = true;
        ctx = null;
        return true;
    }

    /**
     * {@code ww_mutex_lock()} / {@code ww_mutex_lock_interruptible()}.
     *
     * @param ctx           the acquire context, or null for a plain mutex_lock of the base lock
     * @param interruptible whether a pending signal ends the sleep
     * @return 0; -EALREADY when {@code ctx} already holds it; -EDEADLK when a younger context that holds
     *         other locks would wait for an older one (wait-die); -EINTR when an interruptible sleep
     *         meets a pending signal
     */
    public int lock(final WwAcquireCtx ctx, final boolean interruptible) {
        if (ctx != null && locked && this.ctx == ctx) {
            return Errno.EALREADY;
        }
        if (!locked) {
            take(ctx);
            return Errno.OK;
        }
        if (ctx != null && ctx.acquired() > 0 && this.ctx != null && ctx.stamp() > this.ctx.stamp()) {
            return Errno.EDEADLK;
        }
        if (interruptible && ctx != null && ctx.task() != null && ctx.task().signalPending()) {
            return Errno.EINTR;
        }
        throw new IllegalStateException("lock held elsewhere: a single-threaded model would sleep forever");
    }

    private void take(final WwAcquireCtx ctx) {
        locked = true;
        this.ctx = ctx;
        if (ctx != null) {
            ctx.acquiredInc();
        }
    }

    /** {@code ww_mutex_unlock()}. */
    public void unlock() {
        if (!locked) {
            throw new IllegalStateException("unlock of an unlocked ww_mutex");
        }
        if (ctx != null) {
            ctx.acquiredDec();
        }
        locked = false;
        ctx = null;
    }

    public boolean isLocked() {
        return locked;
    }

    /** The holder's acquire context ({@code lock->ctx}), null for a trylock or plain lock. */
    public WwAcquireCtx ctx() {
        return ctx;
    }

    /** Test hook: {@code bo->base.resv->lock.ctx = &ctx2}. */
    void setCtx(final WwAcquireCtx ctx) {
        this.ctx = ctx;
    }
}
