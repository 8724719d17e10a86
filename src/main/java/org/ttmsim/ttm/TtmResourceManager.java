package org.ttmsim.ttm;

import java.util.Arrays;
import org.ttmsim.hw.Errno;

/**
 * Models {@code struct ttm_resource_manager} (include/drm/ttm/ttm_resource.h) and its functions in
 * drivers/gpu/drm/ttm/ttm_resource.c: size and usage, the per-priority LRU lists, whether the type is
 * in use, and the fences of pipelined evictions out of it.
 *
 * <p>Drivers subclass it (the kernel's container_of) and set {@link #func()} and {@link #useTt()}
 * before {@link #init}.
 */
public class TtmResourceManager {
    /** {@code TTM_MAX_BO_PRIORITY}. */
    public static final int TTM_MAX_BO_PRIORITY = 4;
    /** {@code TTM_NUM_MOVE_FENCES}: eviction-fence slots, one per fence context. */
    public static final int TTM_NUM_MOVE_FENCES = 8;

    // Set by the driver before init.
    private ResourceManagerFunc func;
    private boolean useTt;
    // Set by ttm_resource_manager_init().
    private TtmDevice bdev;
    private long size;
    // Protected by the device's LRU lock.
    private boolean useType;
    private long usage;
    private final TtmLruList[] lru = new TtmLruList[TTM_MAX_BO_PRIORITY];
    // Protected by eviction_lock.
    private final DmaFence[] evictionFences = new DmaFence[TTM_NUM_MOVE_FENCES];

    /**
     * @param func  the allocator
     * @param useTt whether buffers placed here are backed by ttm_tt pages (system memory)
     */
    public TtmResourceManager(final ResourceManagerFunc func, final boolean useTt) {
        this.func = func;
        this.useTt = useTt;
        for (int i = 0; i < TTM_MAX_BO_PRIORITY; i++) {
            lru[i] = new TtmLruList("lru" + i);
        }
    }

    /** {@code ttm_resource_manager_init()}: usage 0, empty LRUs, no eviction fences. */
    public void init(final TtmDevice bdev, final long size) {
        this.bdev = bdev;
        this.size = size;
        this.usage = 0;
        for (int i = 0; i < TTM_MAX_BO_PRIORITY; i++) {
            lru[i] = new TtmLruList("lru" + i);
        }
        Arrays.fill(evictionFences, null);
    }

    /** {@code ttm_resource_manager_set_used()}. */
    public void setUsed(final boolean used) {
        this.useType = used;
    }

    /** {@code ttm_resource_manager_used()}. */
    public boolean used() {
        return useType;
    }

    /** {@code ttm_resource_manager_usage()}: bytes allocated. */
    public long usage() {
        return usage;
    }

    void addUsage(final long bytes) {
        usage += bytes;
    }

    public long size() {
        return size;
    }

    public TtmDevice bdev() {
        return bdev;
    }

    public ResourceManagerFunc func() {
        return func;
    }

    /** Replaces the function table (the KUnit busy manager does this after init). */
    public void setFunc(final ResourceManagerFunc func) {
        this.func = func;
    }

    public boolean useTt() {
        return useTt;
    }

    public void setUseTt(final boolean useTt) {
        this.useTt = useTt;
    }

    /** {@code &man->lru[priority]}. */
    public TtmLruList lru(final int priority) {
        return lru[priority];
    }

    /** {@code man->eviction_fences[i]}. */
    public DmaFence evictionFence(final int i) {
        return evictionFences[i];
    }

    public void setEvictionFence(final int i, final DmaFence fence) {
        evictionFences[i] = fence;
    }

    /** {@code ttm_resource_manager_cleanup()}: drops the eviction fences. */
    public void cleanup() {
        Arrays.fill(evictionFences, null);
    }

    /**
     * {@code ttm_resource_manager_evict_all()}: evicts every buffer out of the manager (oldest first),
     * then waits for the pipelined evictions.
     *
     * @return 0, or the first eviction error
     */
    public int evictAll(final TtmDevice bdev) {
        final OperationCtx ctx = new OperationCtx();
        int ret;
        int rounds = 0;
        do {
            ret = TtmBoEvict.evictFirst(bdev, this, ctx);
            if (++rounds > 1_000_000) {
                throw new IllegalStateException("evict_all made no progress");
            }
        } while (ret == Errno.OK);
        if (ret != Errno.ENOENT) {
            return ret;
        }
        for (final DmaFence fence : evictionFences) {
            if (fence != null && !fence.isSignaled() && fence.waitTimeout(false, Long.MAX_VALUE) == 0) {
                return Errno.EBUSY;
            }
        }
        return Errno.OK;
    }

    /** {@code ttm_resource_manager_debug()}. */
    public String debug() {
        return String.format("use_type: %b use_tt: %b size: %d usage: %d %s", useType, useTt, size, usage,
                func.debug(this));
    }
}
