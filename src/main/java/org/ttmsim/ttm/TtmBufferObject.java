package org.ttmsim.ttm;

import java.util.function.Consumer;

/**
 * Models {@code struct ttm_buffer_object} (include/drm/ttm/ttm_bo.h) with the parts of its embedded
 * {@code struct drm_gem_object} TTM reads: size, reservation object and mmap offset node.
 *
 * <p>The operations are in {@link TtmBo} (ttm_bo.c), {@link TtmBoEvict} (eviction and swapout) and
 * {@link TtmBoUtil} (ttm_bo_util.c). A new object is the kernel's zeroed struct after
 * {@code drm_gem_private_object_init()}: size set, reservation object its own.
 */
public class TtmBufferObject implements TtmDecisions.TtView {
    /** {@code ttm_bo_type_device}: user-visible, gets an mmap offset. */
    public static final int TYPE_DEVICE = 0;
    /** {@code ttm_bo_type_kernel}: kernel-internal. */
    public static final int TYPE_KERNEL = 1;
    /** {@code ttm_bo_type_sg}: imported, its pages come from an sg table. */
    public static final int TYPE_SG = 2;

    // The GEM object: constant after creation.
    private long size;
    private final DmaResv baseResv = new DmaResv();
    private final DrmVmaOffsetNode vmaNode = new DrmVmaOffsetNode(this);
    // Constant after ttm_bo_init_reserved().
    private TtmDevice bdev;
    private int type;
    private long pageAlignment;
    private Consumer<TtmBufferObject> destroy;
    private Object sg;
    private String name = "bo";
    private TtmBufferObject ghostOf;
    // The reference count and the reservation pointer.
    private int kref;
    private DmaResv resv = baseResv;
    // Protected by the reservation lock.
    private int priority;
    private int pinCount;
    private TtmResource resource;
    private TtmTt ttm;
    private boolean deleted;
    private TtmLruBulkMove bulkMove;

    /** kzalloc + {@code drm_gem_private_object_init(dev, &bo->base, size)}. */
    public TtmBufferObject(final long size) {
        this.size = size;
    }

    /**
     * The ghost a pipelined move or gutting hands the old backing to ({@code ttm_buffer_object_transfer}):
     * a struct copy with its own reference count, no pin, no offset node, and (except for sg buffers)
     * its own reservation object, locked.
     */
    static TtmBufferObject ghostOf(final TtmBufferObject bo) {
        final TtmBufferObject g = new TtmBufferObject(bo.size);
        g.bdev = bo.bdev;
        g.type = bo.type;
        g.pageAlignment = bo.pageAlignment;
        g.sg = bo.sg;
        g.name = "ghost of " + bo.name;
        g.priority = bo.priority;
        g.resource = bo.resource;
        g.ttm = bo.ttm;
        g.bulkMove = bo.bulkMove;
        g.kref = 1;
        g.ghostOf = bo;
        if (bo.type == TYPE_SG) {
            g.resv = bo.resv;
        }
        if (!g.baseResv.trylock()) {
            throw new IllegalStateException("fresh ghost reservation already locked");
        }
        return g;
    }

    /** {@code bo->base.size}: bytes. */
    public long size() {
        return size;
    }

    /** Test hook: {@code bo->base.size += 1}. */
    void setSize(final long size) {
        this.size = size;
    }

    /** {@code PFN_UP(bo->base.size)}. */
    public long numPages() {
        return (size + 4095) >>> 12;
    }

    /** {@code bo->base.resv}: the reservation object in use (its own unless shared). */
    public DmaResv resv() {
        return resv;
    }

    /** Uses an external reservation object ({@code bo->base.resv = resv}). */
    public void setResv(final DmaResv resv) {
        this.resv = resv;
    }

    /** {@code &bo->base._resv}: the embedded one. */
    public DmaResv baseResv() {
        return baseResv;
    }

    /** {@code bo->base.vma_node}: the mmap offset. */
    public DrmVmaOffsetNode vmaNode() {
        return vmaNode;
    }

    /** {@code drm_vma_node_start()}: the first mmap page offset (valid for device and sg buffers). */
    public long vmaNodeStart() {
        return vmaNode.start();
    }

    public TtmDevice bdev() {
        return bdev;
    }

    void setBdev(final TtmDevice bdev) {
        this.bdev = bdev;
    }

    /** {@code ttm_bo_type}: {@link #TYPE_DEVICE}, {@link #TYPE_KERNEL} or {@link #TYPE_SG}. */
    @Override
    public int type() {
        return type;
    }

    /** Sets the type before init (KUnit sets {@code bo->type} by hand). */
    public void setType(final int type) {
        this.type = type;
    }

    @Override
    public boolean poolUsesDmaAlloc() {
        return bdev != null && bdev.pool().usesDmaAlloc();
    }

    @Override
    public boolean guestMemEncrypt() {
        return bdev != null && bdev.kernel().machine().mode().guestMemEncrypt();
    }

    @Override
    public boolean forceDmaUnencrypted() {
        return bdev != null && bdev.dev() != null && bdev.kernel().dma().forceDmaUnencrypted(bdev.dev());
    }

    public long pageAlignment() {
        return pageAlignment;
    }

    void setPageAlignment(final long alignment) {
        this.pageAlignment = alignment;
    }

    public Consumer<TtmBufferObject> destroy() {
        return destroy;
    }

    void setDestroy(final Consumer<TtmBufferObject> destroy) {
        this.destroy = destroy;
    }

    /** {@code bo->sg}: always null in the model (no dma-buf import). */
    public Object sg() {
        return sg;
    }

    void setSg(final Object sg) {
        this.sg = sg;
    }

    /** A label for traces (a scenario's BO id). */
    public String name() {
        return name;
    }

    public void setName(final String name) {
        this.name = name;
    }

    /** For a ghost, the buffer whose old backing it holds; else null. */
    public TtmBufferObject ghostOf() {
        return ghostOf;
    }

    /** {@code kref_read(&bo->kref)}. */
    public int kref() {
        return kref;
    }

    void setKref(final int kref) {
        this.kref = kref;
    }

    /** LRU priority, 0 .. TTM_MAX_BO_PRIORITY - 1; set before the buffer gets a resource. */
    public int priority() {
        return priority;
    }

    public void setPriority(final int priority) {
        if (priority < 0 || priority >= TtmResourceManager.TTM_MAX_BO_PRIORITY) {
            throw new IllegalArgumentException("priority must be in 0..3, was " + priority);
        }
        this.priority = priority;
    }

    public int pinCount() {
        return pinCount;
    }

    void setPinCount(final int pinCount) {
        this.pinCount = pinCount;
    }

    /** The current backing resource, or null (no placement). */
    public TtmResource resource() {
        return resource;
    }

    /** {@code ttm_bo_assign_mem()} and the like. */
    void setResource(final TtmResource resource) {
        this.resource = resource;
    }

    /** The current memory type, or -1 without a resource. */
    public int memType() {
        return resource == null ? -1 : resource.memType();
    }

    /** The tt (system pages), or null. */
    public TtmTt ttm() {
        return ttm;
    }

    void setTtm(final TtmTt ttm) {
        this.ttm = ttm;
    }

    /** Released while busy: waiting for delayed destruction. */
    public boolean deleted() {
        return deleted;
    }

    /** Test hook: {@code bo->deleted = true}. */
    void setDeleted(final boolean deleted) {
        this.deleted = deleted;
    }

    public TtmLruBulkMove bulkMove() {
        return bulkMove;
    }

    void setBulkMoveField(final TtmLruBulkMove bulk) {
        this.bulkMove = bulk;
    }

    @Override
    public String toString() {
        return name + "(" + size + " bytes, " + (resource == null ? "no placement" : resource) + ")";
    }
}
