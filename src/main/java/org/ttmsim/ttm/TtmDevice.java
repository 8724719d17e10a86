package org.ttmsim.ttm;

import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Errno;
import org.ttmsim.mm.AddressSpace;

/**
 * Models {@code struct ttm_device} and drivers/gpu/drm/ttm/ttm_device.c: the driver's function
 * table, the resource manager of each memory type (SYSTEM registered by TTM itself), the page pool,
 * the list of unevictable (pinned or swapped) resources, the address space user mappings of its
 * buffers live in, the mmap offset manager, and the design's {@link TtmDecisions} in force.
 *
 * <p>Built like the kernel's: {@code new TtmDevice(glob)} (the zeroed struct), then {@link #init}.
 */
public final class TtmDevice {
    /** {@code TTM_NUM_MEM_TYPES}. */
    public static final int TTM_NUM_MEM_TYPES = 8;
    /** {@code TTM_ALLOCATION_PROPAGATE_ENOSPC}: validate returns -ENOSPC instead of -ENOMEM. */
    public static final int PROPAGATE_ENOSPC = 1 << 10;

    // Constant for the device's life.
    private final TtmGlobal glob;
    private final Kernel kernel;
    private final TtmResourceManager sysman = new TtmResourceManager(TtmSysManager.FUNC, true);
    private final TtmPool pool;
    // Set by ttm_device_init().
    private TtmDeviceFuncs funcs;
    private TtmCopyReads copyReads = TtmCopyReads.NONE;
    private DmaDevice dev;
    private AddressSpace devMapping;
    private DrmVmaOffsetManager vmaManager;
    private int allocFlags;
    private TtmWorkqueue wq;
    private TtmDecisions decisions = TtmDecisions.KERNEL;
    // Protected by the LRU lock.
    private final TtmResourceManager[] manDrv = new TtmResourceManager[TTM_NUM_MEM_TYPES];
    private TtmLruList unevictable = new TtmLruList("unevictable");
    private int nextBoId;

    public TtmDevice(final TtmGlobal glob) {
        this.glob = glob;
        this.kernel = glob.kernel();
        this.pool = new TtmPool(glob);
    }

    /**
     * {@code ttm_device_init()}: registers the system manager, sets up the pool (DMA-coherent per-device
     * pools with {@link TtmPool#USE_DMA_ALLOC}) and the workqueue, and adds the device to the global
     * list.
     *
     * @param funcs      the driver's callbacks
     * @param dev        the DMA device the pool allocates for (may be null: no DMA mappings)
     * @param mapping    the address space user mappings of the buffers are linked in (DRM's anon inode)
     * @param vmaManager the mmap offset manager
     * @param allocFlags TTM_ALLOCATION_* bits
     * @return 0, or -EINVAL without an offset manager
     */
    public int init(final TtmDeviceFuncs funcs, final DmaDevice dev, final AddressSpace mapping,
            final DrmVmaOffsetManager vmaManager, final int allocFlags) {
        if (vmaManager == null) {
            return Errno.EINVAL;
        }
        this.wq = new TtmWorkqueue("ttm");
        this.allocFlags = allocFlags;
        this.funcs = funcs;
        this.unevictable = new TtmLruList("unevictable");
        TtmSysManager.init(this);
        pool.init(dev, TtmPool.NUMA_NO_NODE, allocFlags);
        this.dev = dev;
        this.vmaManager = vmaManager;
        this.devMapping = mapping;
        glob.addDevice(this);
        return Errno.OK;
    }

    /**
     * {@code ttm_device_fini()}: leaves the global list, drains the workqueue, unregisters the system
     * manager and empties the pool.
     */
    public void fini() {
        glob.removeDevice(this);
        // Items that can never finish (a hung fence) are dropped with the queue.
        wq.drain();
        wq = null;
        final TtmResourceManager man = managerType(TtmPlace.PL_SYSTEM);
        man.setUsed(false);
        setDriverManager(TtmPlace.PL_SYSTEM, null);
        pool.fini();
    }

    /** {@code ttm_manager_type()}: the manager registered for the type, or null. */
    public TtmResourceManager managerType(final int memType) {
        return memType >= 0 && memType < TTM_NUM_MEM_TYPES ? manDrv[memType] : null;
    }

    /** {@code ttm_set_driver_manager()}. */
    public void setDriverManager(final int memType, final TtmResourceManager man) {
        manDrv[memType] = man;
    }

    /** {@code &bdev->sysman}: the embedded system manager. */
    public TtmResourceManager sysman() {
        return sysman;
    }

    public TtmDeviceFuncs funcs() {
        return funcs;
    }

    /** Replaces the function table, as tests assign {@code bdev->funcs}. */
    public void setFuncs(final TtmDeviceFuncs funcs) {
        this.funcs = funcs;
    }

    public TtmPool pool() {
        return pool;
    }

    public TtmGlobal global() {
        return glob;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The DMA device ({@code bdev->dev}). */
    public DmaDevice dev() {
        return dev;
    }

    /** {@code bdev->dev_mapping}: where user mappings of this device's buffers are reverse-mapped. */
    public AddressSpace devMapping() {
        return devMapping;
    }

    /** {@code bdev->vma_manager}. */
    public DrmVmaOffsetManager vmaManager() {
        return vmaManager;
    }

    public int allocFlags() {
        return allocFlags;
    }

    /** {@code bdev->wq}, null before init and after fini. */
    public TtmWorkqueue wq() {
        return wq;
    }

    /** Runs the queued delayed destructions once; returns how many completed. */
    public int runWorkqueue() {
        return wq == null ? 0 : wq.run();
    }

    /** {@code bdev->unevictable}: pinned and swapped-out resources. */
    public TtmLruList unevictable() {
        return unevictable;
    }

    /** The design's decisions in force (default: the release's own, {@link TtmDecisions#KERNEL}). */
    public TtmDecisions decisions() {
        return decisions;
    }

    public void setDecisions(final TtmDecisions decisions) {
        this.decisions = decisions;
    }

    /** Who judges the bytes kernel copies read from buffers ({@link TtmCopyReads#NONE} unless set). */
    public TtmCopyReads copyReads() {
        return copyReads;
    }

    public void setCopyReads(final TtmCopyReads copyReads) {
        this.copyReads = copyReads;
    }

    int nextBoId() {
        return ++nextBoId;
    }
}
