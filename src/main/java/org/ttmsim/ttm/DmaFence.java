package org.ttmsim.ttm;

/**
 * Models {@code struct dma_fence} (include/linux/dma-fence.h, drivers/dma-buf/dma-fence.c): a point in
 * a GPU timeline that signals once the work before it completes.
 *
 * <p>The model has no threads and no clock, so a fence says up front how it completes:
 * <ul>
 * <li>{@link #stub()}: already signaled ({@code dma_fence_get_stub()});
 * <li>{@link #pending}: signals when somebody waits for it (the GPU finishes while the waiter
 * sleeps), or when {@link #signal()} is called at an explicit step;
 * <li>{@link #afterPolls}: additionally signals on its n-th {@link #isSignaled()} poll;
 * <li>{@link #hung}: only {@link #signal()} completes it; a wait times out (a GPU hang).
 * </ul>
 * What KUnit does with a kthread that signals after 20 ms becomes an explicit {@link #signal()} at
 * the point the test chooses.
 */
public final class DmaFence {
    // Constant after creation.
    private final String name;
    private final long context;
    private final long seqno;
    private final boolean completesOnWait;
    // Changes as the timeline advances.
    private boolean signaled;
    private int pollsLeft;

    private DmaFence(final String name, final long context, final long seqno, final boolean completesOnWait,
            final int polls, final boolean signaled) {
        this.name = name;
        this.context = context;
        this.seqno = seqno;
        this.completesOnWait = completesOnWait;
        this.pollsLeft = polls;
        this.signaled = signaled;
    }

    /** {@code dma_fence_get_stub()}: a fence that is already signaled. */
    public static DmaFence stub() {
        return new DmaFence("stub", 0, 0, true, 0, true);
    }

    /** An unsignaled fence that completes when waited for or explicitly signaled. */
    public static DmaFence pending(final String name) {
        return new DmaFence(name, 0, 0, true, 0, false);
    }

    /** An unsignaled fence on timeline {@code context} at point {@code seqno}. */
    public static DmaFence pending(final String name, final long context, final long seqno) {
        return new DmaFence(name, context, seqno, true, 0, false);
    }

    /** Signals on the {@code polls}-th {@link #isSignaled()} call (or when waited for). */
    public static DmaFence afterPolls(final String name, final int polls) {
        if (polls < 1) {
            throw new IllegalArgumentException("polls must be at least 1, was " + polls);
        }
        return new DmaFence(name, 0, 0, true, polls, false);
    }

    /** A fence whose work never completes on its own: waits time out. */
    public static DmaFence hung(final String name) {
        return new DmaFence(name, 0, 0, false, 0, false);
    }

    public String name() {
        return name;
    }

    public long context() {
        return context;
    }

    public long seqno() {
        return seqno;
    }

    /** {@code dma_fence_is_signaled()}: polls the fence (which may make it signal). */
    public boolean isSignaled() {
        if (!signaled && pollsLeft > 0 && --pollsLeft == 0) {
            signaled = true;
        }
        return signaled;
    }

    /**
     * {@code dma_fence_signal()}.
     *
     * @return true if the fence had already signaled ({@code dma_fence_check_and_signal()})
     */
    public boolean signal() {
        final boolean was = signaled;
        signaled = true;
        return was;
    }

    /**
     * {@code dma_fence_wait_timeout()}: sleeps until the fence signals.
     *
     * @return a positive remainder on success, 0 on timeout (only a {@link #hung} fence times out)
     */
    public long waitTimeout(final boolean interruptible, final long timeout) {
        if (isSignaled()) {
            return Math.max(1, timeout);
        }
        if (completesOnWait) {
            signaled = true;
            return Math.max(1, timeout);
        }
        return 0;
    }

    /** {@code dma_fence_is_later(f1, f2)}: same context, later seqno. */
    public boolean isLater(final DmaFence other) {
        return context == other.context && seqno > other.seqno;
    }

    @Override
    public String toString() {
        return name + (signaled ? "(signaled)" : "(pending)");
    }
}
