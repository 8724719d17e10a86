package org.ttmsim.ttm;

/**
 * Models {@code struct ttm_operation_ctx} (include/drm/ttm/ttm_bo.h): how an operation may sleep and
 * what it may evict, plus the {@code bytes_moved} counter every successful move adds to.
 *
 * <p>A class rather than a record because {@code bytes_moved} accumulates across the calls the
 * context is passed to, as in the kernel.
 */
public final class OperationCtx {
    // Constant for the operation.
    private final boolean interruptible;
    private final boolean noWaitGpu;
    private final boolean gfpRetryMayfail;
    private final boolean allowResEvict;
    private final DmaResv resv;
    // Accumulated by the operation.
    private long bytesMoved;

    /**
     * @param interruptible   sleep interruptibly
     * @param noWaitGpu       return -EBUSY rather than wait for the GPU
     * @param gfpRetryMayfail let page allocations fail rather than invoke the OOM killer
     * @param allowResEvict   buffers sharing {@code resv} (already locked by the caller) may be evicted
     * @param resv            the reservation object the caller holds, for {@code allowResEvict}
     */
    public OperationCtx(final boolean interruptible, final boolean noWaitGpu, final boolean gfpRetryMayfail,
            final boolean allowResEvict, final DmaResv resv) {
        this.interruptible = interruptible;
        this.noWaitGpu = noWaitGpu;
        this.gfpRetryMayfail = gfpRetryMayfail;
        this.allowResEvict = allowResEvict;
        this.resv = resv;
    }

    /** {@code struct ttm_operation_ctx ctx = { };} */
    public OperationCtx() {
        this(false, false, false, false, null);
    }

    /** {@code { .interruptible = i, .no_wait_gpu = n }} */
    public OperationCtx(final boolean interruptible, final boolean noWaitGpu) {
        this(interruptible, noWaitGpu, false, false, null);
    }

    public boolean interruptible() {
        return interruptible;
    }

    public boolean noWaitGpu() {
        return noWaitGpu;
    }

    public boolean gfpRetryMayfail() {
        return gfpRetryMayfail;
    }

    public boolean allowResEvict() {
        return allowResEvict;
    }

    public DmaResv resv() {
        return resv;
    }

    public long bytesMoved() {
        return bytesMoved;
    }

    void addBytesMoved(final long bytes) {
        bytesMoved += bytes;
    }
}
