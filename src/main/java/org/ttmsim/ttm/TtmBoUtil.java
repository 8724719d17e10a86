package org.ttmsim.ttm;

import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.release.Change;

/**
 * Models the move helpers of drivers/gpu/drm/ttm/ttm_bo_util.c: io reservation
 * ({@code ttm_mem_io_reserve/free}), the CPU copy move ({@code ttm_bo_move_memcpy} with its kmap
 * iterators), the null move, the cleanup after synchronous and accelerated moves (ghost objects,
 * pipelined evictions), and {@code ttm_bo_pipeline_gutting}.
 */
public final class TtmBoUtil {
    private TtmBoUtil() {
    }

    // ---- io reservation --------------------------------------------------------------------

    /** {@code ttm_mem_io_reserve()}: lets the driver fill the bus placement, once. */
    public static int memIoReserve(final TtmDevice bdev, final TtmResource mem) {
        if (mem.busOffset() != 0 || mem.busAddr() != 0) {
            return Errno.OK;
        }
        mem.setBusIsIomem(false);
        return bdev.funcs().ioMemReserve(bdev, mem);
    }

    /** {@code ttm_mem_io_free()}: drops the bus mapping (is_iomem stays). */
    public static void memIoFree(final TtmDevice bdev, final TtmResource mem) {
        if (mem == null || (mem.busOffset() == 0 && mem.busAddr() == 0)) {
            return;
        }
        bdev.funcs().ioMemFree(bdev, mem);
        mem.clearBusMapping();
    }

    /**
     * {@code ttm_io_prot()}: the protection a mapping of {@code res} needs over {@code prot}: the
     * backing's caching ({@code ttm_prot_from_caching()}) and, for a tt marked DECRYPTED on a release
     * that has the flag ({@link Change#TT_FLAG_DECRYPTED}, v6.9), {@code pgprot_decrypted()}.
     */
    public static long ioProt(final TtmBufferObject bo, final MapContext ctx, final long prot) {
        long tmp = prot;
        if (!ctx.iomem() && ctx.ttDecrypted() && bo.bdev().kernel().release().has(Change.TT_FLAG_DECRYPTED)) {
            tmp = ctx.decrypted(tmp);
        }
        return ctx.withCaching(tmp);
    }

    // ---- moves -----------------------------------------------------------------------------

    /** {@code ttm_bo_move_null()}: no data moves; the old resource goes, the new one is the buffer's. */
    public static void moveNull(final TtmBufferObject bo, final TtmResource newMem) {
        TtmBo.freeResource(bo);
        bo.setResource(newMem);
    }

    /**
     * {@code ttm_bo_move_sync_cleanup()}: after a finished copy, waits for idle, drops the tt if the
     * target does not use one, frees the old resource and assigns the new.
     */
    public static void moveSyncCleanup(final TtmBufferObject bo, final TtmResource newMem) {
        final TtmResourceManager man = bo.bdev().managerType(newMem.memType());
        if (waitFreeNode(bo, man.useTt()) != Errno.OK) {
            return; // WARN_ON(ret)
        }
        bo.setResource(newMem);
    }

    /** {@code ttm_bo_wait_free_node()}. */
    private static int waitFreeNode(final TtmBufferObject bo, final boolean dstUseTt) {
        if (bo.resv().waitTimeout(DmaResvUsage.BOOKKEEP, false, 15L * 250) == 0) {
            return Errno.EBUSY;
        }
        if (!dstUseTt) {
            TtmBo.ttDestroy(bo);
        }
        TtmBo.freeResource(bo);
        return Errno.OK;
    }

    /**
     * {@code ttm_bo_move_memcpy()}: the CPU copies the buffer page by page from its current backing to
     * {@code dstMem}: tt pages through the kernel's linear map, iomem through an ioremap (decrypted, with
     * the resource's caching), as the kernel's kmap iterators do. A source without populated pages has
     * nothing to copy: the destination is cleared instead (unless it is a tt not marked for clearing).
     * Both sides tt: nothing to copy at all (a single tt serves both).
     *
     * @return 0, or -EINVAL / the populate or io-reserve error; the old data is untouched on failure
     */
    public static int moveMemcpy(final TtmBufferObject bo, final OperationCtx ctx, final TtmResource dstMem) {
        final TtmDevice bdev = bo.bdev();
        final TtmResource srcMem = bo.resource();
        if (srcMem == null) {
            return Errno.EINVAL;
        }
        final TtmResourceManager dstMan = bdev.managerType(dstMem.memType());
        final TtmResourceManager srcMan = bdev.managerType(srcMem.memType());
        final TtmTt ttm = bo.ttm();
        if (ttm != null && (ttm.isSwapped() || dstMan.useTt())) {
            final int ret = TtmBo.populate(bo, ctx);
            if (ret != Errno.OK) {
                return ret;
            }
        }
        final KmapIter dst = KmapIter.init(bdev, dstMem, dstMan.useTt(), bo.ttm());
        if (dst.error != Errno.OK) {
            return dst.error;
        }
        final KmapIter src = KmapIter.init(bdev, srcMem, srcMan.useTt(), bo.ttm());
        if (src.error != Errno.OK) {
            dst.fini(bdev, dstMem);
            return src.error;
        }
        final boolean clear = src.mapsTt && (ttm == null || !ttm.isPopulated());
        if (!(clear && ttm != null && (ttm.pageFlags() & TtmTt.FLAG_ZERO_ALLOC) == 0)) {
            moveMemcpy(bo, clear, (int) dstMem.numPages(), dst, src);
        }
        src.fini(bdev, srcMem);
        moveSyncCleanup(bo, dstMem);
        dst.fini(bdev, dstMem);
        return Errno.OK;
    }

    /**
     * {@code ttm_move_memcpy()}: copy (or clear) page by page; tt to tt is a no-op. Each source page read
     * goes to the device's {@link TtmCopyReads}: it is still the buffer's backing, and its bytes become the
     * destination's.
     */
    private static void moveMemcpy(final TtmBufferObject bo, final boolean clear, final int numPages,
            final KmapIter dst, final KmapIter src) {
        if (dst.mapsTt && src.mapsTt) {
            return;
        }
        final Kernel kernel = bo.bdev().kernel();
        final Machine machine = kernel.machine();
        final byte[] buf = new byte[(int) Pte.PAGE_SIZE];
        final String how = "ttm_bo_move_memcpy source read (" + (src.mapsTt ? "tt pages via the linear map"
                : "iomem via ioremap") + ")";
        for (int i = 0; i < numPages; i++) {
            if (!clear && kernel.cpuAccess().access(kernel.initMm(), src.mapLocal(i), buf, 0, buf.length, false,
                    null) == Errno.OK) {
                bo.bdev().copyReads().read(bo, (long) i << Pte.PAGE_SHIFT, buf, how);
            }
            kernel.cpuAccess().access(kernel.initMm(), dst.mapLocal(i), buf, 0, buf.length, true, null);
        }
        machine.ledger().chargePs((long) numPages * Pte.PAGE_SIZE * machine.costs().copyPsPerByte());
    }

    /**
     * Models {@code struct ttm_kmap_iter} with its two kinds: {@code ttm_kmap_iter_tt} (the tt's pages
     * through the linear map; x86-64 has no highmem, so {@code kmap_local_page_prot()} is the linear
     * map) and {@code ttm_kmap_iter_linear_io} (one ioremap of the whole resource).
     */
    private static final class KmapIter {
        final boolean mapsTt;
        final int error;
        private final TtmTt tt;
        private final long vaddr;
        private final int pages;

        private KmapIter(final boolean mapsTt, final int error, final TtmTt tt, final long vaddr, final int pages) {
            this.mapsTt = mapsTt;
            this.error = error;
            this.tt = tt;
            this.vaddr = vaddr;
            this.pages = pages;
        }

        /** Linear io if the resource is iomem; else the tt iterator if the manager uses tts. */
        static KmapIter init(final TtmDevice bdev, final TtmResource mem, final boolean useTt, final TtmTt tt) {
            final int ret = memIoReserve(bdev, mem);
            if (ret != Errno.OK) {
                return new KmapIter(false, ret, null, 0, 0);
            }
            if (!mem.busIsIomem()) {
                memIoFree(bdev, mem);
                return useTt ? new KmapIter(true, Errno.OK, tt, 0, 0) : new KmapIter(false, Errno.EINVAL, null, 0, 0);
            }
            final Kernel kernel = bdev.kernel();
            final int n = (int) mem.numPages();
            final long[] pfns = new long[n];
            for (int i = 0; i < n; i++) {
                pfns[i] = (mem.busOffset() >>> Pte.PAGE_SHIFT) + i;
            }
            // memremap (cached), ioremap_wc or ioremap (UC-): iomem is never mapped encrypted.
            final long prot = kernel.machine().cc().mkDec(Pgprot.withCaching(Pgprot.pageKernel(kernel.machine().cc()),
                    mem.busCaching()));
            return new KmapIter(false, Errno.OK, null, kernel.vmalloc().vmap(pfns, n, prot), n);
        }

        /** The kernel virtual address of page {@code i}. */
        long mapLocal(final int i) {
            if (mapsTt) {
                return DirectMap.va(tt.pages()[i] << Pte.PAGE_SHIFT);
            }
            return vaddr + ((long) i << Pte.PAGE_SHIFT);
        }

        /** {@code ttm_kmap_iter_linear_io_fini()}: iounmap and io free. */
        void fini(final TtmDevice bdev, final TtmResource mem) {
            if (!mapsTt && error == Errno.OK) {
                bdev.kernel().vmalloc().vunmap(vaddr, pages);
                memIoFree(bdev, mem);
            }
        }
    }

    /**
     * {@code ttm_bo_move_accel_cleanup()}: after a GPU copy fenced by {@code fence}. A plain move hands
     * the old backing to a ghost object that lives until the fence signals; a pipelined eviction out of
     * a manager without tts records the fence on that manager and frees the old resource at once; any
     * other eviction waits.
     */
    public static int moveAccelCleanup(final TtmBufferObject bo, final DmaFence fence, final boolean evict,
            final boolean pipeline, final TtmResource newMem) {
        final TtmDevice bdev = bo.bdev();
        final TtmResourceManager from = bdev.managerType(bo.resource().memType());
        final TtmResourceManager man = bdev.managerType(newMem.memType());
        bo.resv().addFence(fence, DmaResvUsage.KERNEL);
        int ret = Errno.OK;
        if (!evict) {
            ret = moveToGhost(bo, fence, man.useTt());
        } else if (!from.useTt() && pipeline) {
            movePipelineEvict(bo, fence);
        } else {
            ret = waitFreeNode(bo, man.useTt());
        }
        if (ret != Errno.OK) {
            return ret;
        }
        bo.setResource(newMem);
        return Errno.OK;
    }

    /** {@code ttm_bo_move_to_ghost()}. */
    private static int moveToGhost(final TtmBufferObject bo, final DmaFence fence, final boolean dstUseTt) {
        final TtmBufferObject ghost = transfer(bo);
        ghost.baseResv().addFence(fence, DmaResvUsage.KERNEL);
        // Moving to system memory keeps the tt with the buffer; else the ghost unbinds and frees it.
        if (dstUseTt) {
            ghost.setTtm(null);
        } else {
            bo.setTtm(null);
        }
        ghost.baseResv().unlock();
        TtmBo.put(ghost);
        return Errno.OK;
    }

    /** {@code ttm_bo_move_pipeline_evict()}: one fence slot per fence context on the source manager. */
    private static void movePipelineEvict(final TtmBufferObject bo, final DmaFence fence) {
        final TtmResourceManager from = bo.bdev().managerType(bo.resource().memType());
        int i = 0;
        boolean stored = false;
        for (; i < TtmResourceManager.TTM_NUM_MOVE_FENCES && !stored; i++) {
            final DmaFence tmp = from.evictionFence(i);
            if (tmp == null || (fence.context() == tmp.context() && fence.isLater(tmp))) {
                from.setEvictionFence(i, fence);
                stored = true;
            } else if (fence.context() == tmp.context()) {
                stored = true; // an equal or later fence of this context is already there
            }
        }
        if (!stored) {
            fence.waitTimeout(false, Long.MAX_VALUE); // WARN: not enough fence slots
        }
        TtmBo.freeResource(bo);
    }

    /**
     * {@code ttm_buffer_object_transfer()}: a ghost takes the buffer's resource (and, as a struct copy,
     * its tt pointer); the buffer is left without resource. The ghost holds a reference on the buffer
     * and has its reservation locked.
     */
    static TtmBufferObject transfer(final TtmBufferObject bo) {
        final TtmBufferObject ghost = TtmBufferObject.ghostOf(bo);
        bo.bdev().global().boCountAdd(1);
        ghost.setDestroy(TtmBoUtil::transferredDestroy);
        if (ghost.resource() != null) {
            TtmResource.setBo(ghost.resource(), ghost);
            bo.setResource(null);
            TtmBo.setBulkMove(ghost, null);
        } else {
            ghost.setBulkMoveField(null);
        }
        ghost.baseResv().reserveFences(TtmResourceManager.TTM_NUM_MOVE_FENCES);
        TtmBo.get(bo);
        TtmBo.moveToLruTailUnlocked(ghost);
        return ghost;
    }

    /** {@code ttm_transfered_destroy()}: the ghost's end drops its reference on the buffer. */
    private static void transferredDestroy(final TtmBufferObject ghost) {
        TtmBo.put(ghost.ghostOf());
    }

    /**
     * {@code ttm_bo_pipeline_gutting()}: purges the buffer's contents. Idle: the tt is unpopulated and
     * (device buffers) marked for clearing, or created if missing; the resource is freed. Busy: a ghost
     * takes the resource and the old tt until the fences signal, and the buffer gets a fresh,
     * unpopulated tt. Either way the buffer ends without resource and no bytes move.
     */
    public static int pipelineGutting(final TtmBufferObject bo) {
        if (bo.resv().testSignaled(DmaResvUsage.BOOKKEEP)) {
            if (bo.ttm() == null) {
                final int ret = TtmTt.create(bo, true);
                if (ret != Errno.OK) {
                    return ret;
                }
            } else {
                TtmTt.unpopulate(bo.bdev(), bo.ttm());
                if (bo.type() == TtmBufferObject.TYPE_DEVICE) {
                    bo.ttm().markForClear();
                }
            }
            return guttedResource(bo);
        }
        // An unpopulated tt for the buffer after the ghost takes the current one, created first since
        // failing after the transfer is not an option; cleared if the buffer is used again.
        final TtmTt old = bo.ttm();
        bo.setTtm(null);
        final int ret = TtmTt.create(bo, true);
        final TtmTt fresh = bo.ttm();
        bo.setTtm(old);
        if (ret != Errno.OK) {
            return ret;
        }
        final TtmBufferObject ghost = transfer(bo);
        ghost.baseResv().copyFences(bo.resv());
        ghost.baseResv().unlock();
        TtmBo.put(ghost);
        bo.setTtm(fresh);
        return guttedResource(bo);
    }

    /**
     * Where a purged buffer's resource goes: from v6.4 nowhere ({@code ttm_resource_free(bo,
     * &bo->resource)}, {@link Change#PURGE_FREES_RESOURCE}); before, a SYSTEM resource
     * ({@code ttm_bo_assign_mem(bo, sys_res)}), so later accesses find an unpopulated tt in SYSTEM.
     */
    private static int guttedResource(final TtmBufferObject bo) {
        if (bo.bdev().kernel().release().has(Change.PURGE_FREES_RESOURCE)) {
            TtmBo.freeResource(bo);
            return Errno.OK;
        }
        final TtmResource[] sys = new TtmResource[1];
        final int ret = TtmResource.alloc(bo, TtmPlace.of(TtmPlace.PL_SYSTEM, 0), sys);
        if (ret != Errno.OK) {
            return ret;
        }
        moveNull(bo, sys[0]);
        return Errno.OK;
    }

}
