package org.ttmsim.ttm;

/**
 * Models {@code struct drm_vma_offset_node} (include/drm/drm_vma_manager.h): a buffer's range of fake
 * mmap offsets, in pages. {@code start} is what {@code drm_vma_node_start()} returns; a user mmap at
 * byte offset {@code start << PAGE_SHIFT} maps the buffer, and {@code unmap_mapping_range()} of that
 * range zaps every such mapping.
 */
public final class DrmVmaOffsetNode {
    private final Object owner;
    private long start;
    private long pages;
    private boolean allocated;

    /** @param owner the object the offset names (the buffer object), for lookups */
    public DrmVmaOffsetNode(final Object owner) {
        this.owner = owner;
    }

    public Object owner() {
        return owner;
    }

    /** {@code drm_mm_node_allocated(&node->vm_node)}. */
    public boolean allocated() {
        return allocated;
    }

    /** {@code drm_vma_node_start()}: the first page offset. */
    public long start() {
        return start;
    }

    /** {@code drm_vma_node_size()}: pages. */
    public long pages() {
        return pages;
    }

    /** {@code drm_vma_node_offset_addr()}: the mmap byte offset. */
    public long offsetAddr() {
        return start << 12;
    }

    void assign(final long start, final long pages) {
        this.start = start;
        this.pages = pages;
        this.allocated = true;
    }

    /** {@code drm_vma_node_reset()}. */
    void reset() {
        this.start = 0;
        this.pages = 0;
        this.allocated = false;
    }
}
