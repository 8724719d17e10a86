package org.ttmsim.ttm;

import java.util.Map;
import java.util.TreeMap;
import org.ttmsim.hw.Errno;

/**
 * Models {@code struct drm_vma_offset_manager} (drivers/gpu/drm/drm_vma_manager.c): the fake file
 * offsets user space passes to mmap() to name a buffer object. Offsets are in pages, from
 * {@code DRM_FILE_PAGE_OFFSET_START}; allocation is first fit, lowest offset first, so it is
 * deterministic.
 */
public final class DrmVmaOffsetManager {
    /** {@code DRM_FILE_PAGE_OFFSET_START}: the first page offset after 4 GiB. */
    public static final long DRM_FILE_PAGE_OFFSET_START = (0xFFFF_FFFFL >>> 12) + 1;
    /** {@code DRM_FILE_PAGE_OFFSET_SIZE}. */
    public static final long DRM_FILE_PAGE_OFFSET_SIZE = (0xFFFF_FFFFL >>> 12) * 256;

    private final long start;
    private final long pages;
    private final TreeMap<Long, DrmVmaOffsetNode> nodes = new TreeMap<>();

    /** {@code drm_vma_offset_manager_init(mgr, DRM_FILE_PAGE_OFFSET_START, DRM_FILE_PAGE_OFFSET_SIZE)}. */
    public DrmVmaOffsetManager() {
        this(DRM_FILE_PAGE_OFFSET_START, DRM_FILE_PAGE_OFFSET_SIZE);
    }

    public DrmVmaOffsetManager(final long pageOffset, final long size) {
        this.start = pageOffset;
        this.pages = size;
    }

    /**
     * {@code drm_vma_offset_add()}: gives the node {@code numPages} pages of offset space; a node that
     * already has space keeps it.
     *
     * @return 0, or -ENOSPC when the offset space is exhausted
     */
    public int add(final DrmVmaOffsetNode node, final long numPages) {
        if (node.allocated()) {
            return Errno.OK;
        }
        long cursor = start;
        for (final Map.Entry<Long, DrmVmaOffsetNode> e : nodes.entrySet()) {
            if (e.getKey() - cursor >= numPages) {
                break;
            }
            cursor = e.getKey() + e.getValue().pages();
        }
        if (cursor + numPages > start + pages) {
            return Errno.ENOSPC;
        }
        node.assign(cursor, numPages);
        nodes.put(cursor, node);
        return Errno.OK;
    }

    /** The offset space's size, pages ({@code DRM_FILE_PAGE_OFFSET_SIZE} for a device's manager). */
    public long pages() {
        return pages;
    }

    /** {@code drm_vma_offset_remove()}: frees the node's space; the node is reset. */
    public void remove(final DrmVmaOffsetNode node) {
        if (node.allocated()) {
            nodes.remove(node.start());
            node.reset();
        }
    }

    /**
     * {@code drm_vma_offset_lookup_locked()}: the node whose range contains
     * {@code [pageOffset, pageOffset + numPages)}, or null.
     */
    public DrmVmaOffsetNode lookup(final long pageOffset, final long numPages) {
        final Map.Entry<Long, DrmVmaOffsetNode> e = nodes.floorEntry(pageOffset);
        if (e == null) {
            return null;
        }
        final DrmVmaOffsetNode n = e.getValue();
        return pageOffset + numPages <= n.start() + n.pages() ? n : null;
    }
}
