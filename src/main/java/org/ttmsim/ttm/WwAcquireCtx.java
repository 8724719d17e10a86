package org.ttmsim.ttm;

/**
 * Models {@code struct ww_acquire_ctx} (include/linux/ww_mutex.h): one locking transaction (a "ticket")
 * with its age stamp, its task and how many locks it holds.
 */
public final class WwAcquireCtx {
    private final WwClass wwClass;
    private final Task task;
    private long stamp;
    private int acquired;

    /** {@code ww_acquire_init(ctx, ww_class)} for {@code task}. */
    public WwAcquireCtx(final WwClass wwClass, final Task task) {
        this.wwClass = wwClass;
        this.task = task;
        this.stamp = wwClass.nextStamp();
    }

    private WwAcquireCtx(final WwAcquireCtx other) {
        this.wwClass = other.wwClass;
        this.task = other.task;
        this.stamp = other.stamp;
        this.acquired = other.acquired;
    }

    /** A struct copy ({@code ctx2 = ctx1}), as the KUnit deadlock test makes. */
    public static WwAcquireCtx copyOf(final WwAcquireCtx other) {
        return new WwAcquireCtx(other);
    }

    public long stamp() {
        return stamp;
    }

    /** Test hook: {@code ctx.stamp--} and the like. */
    void setStamp(final long stamp) {
        this.stamp = stamp;
    }

    public Task task() {
        return task;
    }

    public int acquired() {
        return acquired;
    }

    void acquiredInc() {
        acquired++;
    }

    void acquiredDec() {
        acquired--;
    }

    /** {@code ww_acquire_fini()}: every lock must have been released. */
    public void fini() {
        if (acquired != 0) {
            throw new IllegalStateException("ww_acquire_fini with " + acquired + " locks still held");
        }
    }
}
