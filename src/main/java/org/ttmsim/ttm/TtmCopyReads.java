package org.ttmsim.ttm;

/**
 * Receives what a kernel copy read from a buffer's current backing, so that the bytes are judged like
 * any CPU read ({@code cpu-garbage}: a read through a kernel mapping): the source pages of
 * {@code ttm_bo_move_memcpy()} (through the linear map or an ioremap) and the pages
 * {@code ttm_tt_swapout()} copies to shmem (through the linear map). Those bytes become the buffer's
 * content elsewhere (the destination, the swap file), so a garbled read is garbage the user meets later.
 *
 * <p>Not reported here: SWIOTLB bounce copies ({@code swiotlb_bounce()}), whose source is never the
 * buffer's backing at that moment: {@code dma_map_page()} runs inside {@code ttm_pool_alloc()}, before
 * the tt is populated (and before a swap-in fills it), and the copy back at {@code dma_unmap_page()}
 * reads the bounce slot (the device's view, judged when the device reads it) into pages being freed.
 */
@FunctionalInterface
public interface TtmCopyReads {
    /** Nobody judges. */
    TtmCopyReads NONE = (bo, offset, data, how) -> { };

    /**
     * {@code data} was read by the kernel from page-aligned {@code offset} of {@code bo}'s backing, by
     * {@code how} (one text per copy: the judge merges the pages of one copy).
     */
    void read(TtmBufferObject bo, long offset, byte[] data, String how);
}
