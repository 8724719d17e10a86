package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;

/**
 * Models {@code struct ttm_device_funcs} (include/drm/ttm/ttm_device.h): every driver decision TTM
 * consults. Optional hooks are default methods that hold the core's fallback, as the kernel does at
 * each call site when the pointer is NULL.
 */
public interface TtmDeviceFuncs {
    /**
     * {@code ttm_tt_create}: a new, initialised tt for {@code bo} with exactly these page flags.
     *
     * @return the tt, or null (TTM turns that into -ENOMEM)
     */
    TtmTt ttmTtCreate(TtmBufferObject bo, int pageFlags);

    /**
     * {@code ttm_tt_populate}: allocates the tt's pages. Fallback: {@code ttm_pool_alloc()} from the
     * device pool.
     *
     * @return 0 or a negative errno
     */
    default int ttmTtPopulate(final TtmDevice bdev, final TtmTt ttm, final OperationCtx ctx) {
        return bdev.pool().alloc(ttm, ctx);
    }

    /** {@code ttm_tt_unpopulate}: frees the pages. Fallback: {@code ttm_pool_free()}. */
    default void ttmTtUnpopulate(final TtmDevice bdev, final TtmTt ttm) {
        bdev.pool().free(ttm);
    }

    /** {@code ttm_tt_destroy}: frees the tt. Fallback: {@code ttm_tt_fini()}. */
    default void ttmTtDestroy(final TtmDevice bdev, final TtmTt ttm) {
        ttm.fini();
    }

    /**
     * {@code eviction_valuable}: whether evicting {@code bo} can make room for {@code place}.
     * Fallback: {@code ttm_bo_eviction_valuable()}.
     */
    default boolean evictionValuable(final TtmBufferObject bo, final TtmPlace place) {
        return TtmBoEvict.evictionValuable(bo, place);
    }

    /**
     * {@code evict_flags}: where to evict {@code bo} to. An empty placement purges the buffer (its
     * contents are dropped).
     */
    TtmPlacement evictFlags(TtmBufferObject bo);

    /**
     * {@code move}: moves {@code bo} from its current resource to {@code newMem}; on success
     * {@code bo.resource()} is {@code newMem}.
     *
     * @param hop {@code hop[0]} receives the intermediate place when the move needs one
     * @return 0; -EMULTIHOP with {@code hop[0]} set to move through it first; other errors
     */
    int move(TtmBufferObject bo, boolean evict, OperationCtx ctx, TtmResource newMem, TtmPlace[] hop);

    /** {@code delete_mem_notify}: the buffer's memory is about to be freed. */
    default void deleteMemNotify(final TtmBufferObject bo) {
    }

    /** {@code swap_notify}: the buffer is about to be swapped out. */
    default void swapNotify(final TtmBufferObject bo) {
    }

    /** {@code release_notify}: the last reference to the buffer is gone. */
    default void releaseNotify(final TtmBufferObject bo) {
    }

    /**
     * {@code io_mem_reserve}: fills {@code mem}'s bus placement (offset, is_iomem, caching) for CPU
     * access. Fallback: nothing, the memory is not iomem.
     *
     * @return 0 or a negative errno
     */
    default int ioMemReserve(final TtmDevice bdev, final TtmResource mem) {
        return Errno.OK;
    }

    /**
     * The driver's own step in its fault handler before {@code ttm_bo_vm_fault_reserved()}, with the
     * reservation held (amdgpu: {@code amdgpu_bo_fault_reserve_notify()}). Fallback: nothing, as in
     * {@code ttm_bo_vm_fault()}.
     *
     * @return 0 to go on with the fault, or a VM_FAULT_* code to end it with
     */
    default int faultReserveNotify(final TtmBufferObject bo) {
        return 0;
    }

    /** {@code io_mem_free}. */
    default void ioMemFree(final TtmDevice bdev, final TtmResource mem) {
    }

    /**
     * {@code access_memory}: debugger-style access ({@code ttm_bo_access()}) to a buffer in a memory
     * type TTM cannot map itself. Fallback: -EIO.
     *
     * @return bytes accessed, or a negative errno
     */
    default int accessMemory(final TtmBufferObject bo, final long offset, final byte[] buf, final int len,
            final boolean write) {
        return Errno.EIO;
    }

    /**
     * {@code io_mem_pfn}: the PFN of page {@code pageOffset} of an iomem buffer. Fallback
     * ({@code ttm_bo_io_mem_pfn()}): linear from {@code bus.offset}.
     */
    default long ioMemPfn(final TtmBufferObject bo, final long pageOffset) {
        return (bo.resource().busOffset() >>> 12) + pageOffset;
    }
}
