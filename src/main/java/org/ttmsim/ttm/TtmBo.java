package org.ttmsim.ttm;

import java.util.function.Consumer;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.Errno;
import org.ttmsim.release.Change;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.Machine;

/**
 * Models the buffer-object core of drivers/gpu/drm/ttm/ttm_bo.c and the inline helpers of
 * include/drm/ttm/ttm_bo.h: creation ({@code ttm_bo_init_reserved}), references and release (with
 * delayed destruction of busy buffers), reservation, LRU position, pinning, and
 * {@code ttm_bo_validate} with its two allocation passes, multihop moves and pipelined eviction
 * fences. Eviction and swapout are in {@link TtmBoEvict}.
 *
 * <p>Every function that the kernel documents as "call with the reservation held" checks it.
 */
public final class TtmBo {
    /** More hops than this through -EMULTIHOP is a driver bug. */
    private static final int MAX_HOPS = 8;

    private TtmBo() {
    }

    // ---- creation and references ------------------------------------------------------------

    /** Whether {@code ttm_bo_init_reserved()} gives a buffer of {@code type} an mmap offset: device and sg ones. */
    public static boolean hasMmapOffset(final int type) {
        return type == TtmBufferObject.TYPE_DEVICE || type == TtmBufferObject.TYPE_SG;
    }

    /**
     * {@code ttm_bo_init_reserved()}: initialises {@code bo} (a fresh {@link TtmBufferObject}), gives
     * device and sg buffers an mmap offset, locks the reservation (unless the caller passes its own,
     * already locked) and validates the buffer into {@code placement}. On failure the buffer is
     * released (its {@code destroy} runs).
     *
     * @return 0 with the reservation held; -ENOMEM, -ENOSPC (offset space), -EINVAL, -ERESTARTSYS
     */
    public static int initReserved(final TtmDevice bdev, final TtmBufferObject bo, final int type,
            final TtmPlacement placement, final long alignment, final OperationCtx ctx, final Object sg,
            final DmaResv resv, final Consumer<TtmBufferObject> destroy) {
        bo.setKref(1);
        bo.setBdev(bdev);
        bo.setType(type);
        bo.setPageAlignment(alignment);
        bo.setDestroy(destroy);
        bo.setPinCount(0);
        bo.setSg(sg);
        bo.setBulkMoveField(null);
        bo.setResv(resv != null ? resv : bo.baseResv());
        if ("bo".equals(bo.name())) {
            bo.setName("bo" + bdev.nextBoId());
        }
        bdev.global().boCountAdd(1);
        int ret;
        if (hasMmapOffset(type)) {
            ret = bdev.vmaManager().add(bo.vmaNode(), bo.numPages());
            if (ret != Errno.OK) {
                put(bo);
                return ret;
            }
        }
        if (resv == null) {
            if (!bo.resv().trylock()) {
                throw new IllegalStateException("new buffer's reservation already locked");
            }
        } else {
            resv.assertHeld();
        }
        ret = validate(bo, placement, ctx);
        if (ret != Errno.OK) {
            if (resv == null) {
                bo.resv().unlock();
            }
            put(bo);
            return ret;
        }
        return Errno.OK;
    }

    /** {@code ttm_bo_init_validate()}: {@link #initReserved}, then unreserve. */
    public static int initValidate(final TtmDevice bdev, final TtmBufferObject bo, final int type,
            final TtmPlacement placement, final long alignment, final boolean interruptible,
            final DmaResv resv, final Consumer<TtmBufferObject> destroy) {
        final OperationCtx ctx = new OperationCtx(interruptible, false);
        final int ret = initReserved(bdev, bo, type, placement, alignment, ctx, null, resv, destroy);
        if (ret != Errno.OK) {
            return ret;
        }
        if (resv == null) {
            unreserve(bo);
        }
        return Errno.OK;
    }

    /** {@code ttm_bo_get()}. */
    public static void get(final TtmBufferObject bo) {
        bo.setKref(bo.kref() + 1);
    }

    /** {@code ttm_bo_get_unless_zero()}. */
    public static boolean getUnlessZero(final TtmBufferObject bo) {
        if (bo.kref() == 0) {
            return false;
        }
        get(bo);
        return true;
    }

    /** {@code ttm_bo_put()}: drops a reference; the last one releases the buffer. */
    public static void put(final TtmBufferObject bo) {
        if (bo.kref() <= 0) {
            throw new IllegalStateException("put of " + bo.name() + " with no reference left");
        }
        bo.setKref(bo.kref() - 1);
        if (bo.kref() == 0) {
            release(bo);
        }
    }

    /** {@code ttm_bo_fini()}: the owner's final put. */
    public static void fini(final TtmBufferObject bo) {
        put(bo);
    }

    /**
     * {@code ttm_bo_release()}: zaps user mappings, drops the mmap offset, and frees the backing at
     * once if the buffer is idle and its reservation free; otherwise marks it deleted and queues its
     * destruction on the device workqueue, where it waits for the fences.
     */
    private static void release(final TtmBufferObject bo) {
        final TtmDevice bdev = bo.bdev();
        if (bo.pinCount() > 0) {
            warn(bo, "ttm_bo_release: WARN_ON_ONCE(bo->pin_count): " + bo.name() + " released while pinned");
        }
        if (!bo.deleted()) {
            individualizeResv(bo);
            bdev.funcs().releaseNotify(bo);
            // The model zaps here, before the offset goes, so no user PTE outlives the buffer.
            unmapVirtual(bo);
            bdev.vmaManager().remove(bo.vmaNode());
            TtmBoUtil.memIoFree(bdev, bo.resource());
            if (!bo.baseResv().testSignaled(DmaResvUsage.BOOKKEEP) || bo.type() == TtmBufferObject.TYPE_SG
                    || !bo.resv().trylock()) {
                queueDelayedDelete(bo);
                return;
            }
            cleanupMemtypeUse(bo);
            bo.resv().unlock();
        }
        bdev.global().boCountAdd(-1);
        if (bo.destroy() != null) {
            bo.destroy().accept(bo);
        }
    }

    /**
     * The busy-release path: resurrect the buffer and leave it to the workqueue. A buffer still pinned
     * is a driver bug the kernel warns about and unpins ("FIXME: QXL is triggering this"); without a
     * resource (purged while pinned) the kernel's ttm_resource_move_to_lru_tail(NULL) would oops, so the
     * model skips the LRU move and says so.
     */
    private static void queueDelayedDelete(final TtmBufferObject bo) {
        final TtmDevice bdev = bo.bdev();
        bo.setDeleted(true);
        if (bo.pinCount() > 0) {
            bo.setPinCount(0);
            if (bo.resource() != null) {
                TtmResource.moveToLruTail(bo.resource());
            } else {
                warn(bo, "ttm_bo_release: a pinned buffer without resource: ttm_resource_move_to_lru_tail(NULL)"
                        + " is a NULL dereference in the kernel (driver bug)");
            }
        }
        bo.setKref(1);
        bdev.wq().queue(() -> delayedDelete(bo));
    }

    /**
     * {@code ttm_bo_delayed_delete()}: waits for the buffer's own fences, locks it, frees the backing
     * and drops the resurrected reference. Returns false (retry later) while it cannot proceed.
     */
    private static boolean delayedDelete(final TtmBufferObject bo) {
        if (bo.baseResv().waitTimeout(DmaResvUsage.BOOKKEEP, false, Long.MAX_VALUE) == 0) {
            return false;
        }
        if (!bo.resv().trylock()) {
            return false;
        }
        cleanupMemtypeUse(bo);
        bo.resv().unlock();
        put(bo);
        return true;
    }

    /**
     * {@code ttm_bo_individualize_resv()}: a buffer sharing a reservation object copies its fences into
     * its own and, unless it is an sg buffer, switches to it.
     */
    private static void individualizeResv(final TtmBufferObject bo) {
        if (bo.resv() == bo.baseResv()) {
            return;
        }
        if (!bo.baseResv().trylock()) {
            throw new IllegalStateException("individualize: own reservation locked");
        }
        bo.baseResv().copyFences(bo.resv());
        bo.baseResv().unlock();
        if (bo.type() != TtmBufferObject.TYPE_SG) {
            bo.setResv(bo.baseResv());
        }
    }

    /** {@code ttm_bo_cleanup_memtype_use()}: driver notice, then tt and resource freed. */
    static void cleanupMemtypeUse(final TtmBufferObject bo) {
        bo.bdev().funcs().deleteMemNotify(bo);
        ttDestroy(bo);
        freeResource(bo);
    }

    /** {@code ttm_bo_tt_destroy()}: unpopulates and destroys the tt, if any. */
    public static void ttDestroy(final TtmBufferObject bo) {
        if (bo.ttm() == null) {
            return;
        }
        TtmTt.unpopulate(bo.bdev(), bo.ttm());
        TtmTt.destroy(bo.bdev(), bo.ttm());
        bo.setTtm(null);
    }

    /** {@code ttm_resource_free(bo, &bo->resource)}. */
    public static void freeResource(final TtmBufferObject bo) {
        TtmResource.free(bo, bo.resource());
        bo.setResource(null);
    }

    /** A kernel WARN: the model goes on as the kernel does, and says so on the bus. */
    static void warn(final TtmBufferObject bo, final String what) {
        bo.bdev().kernel().machine().bus().emit(EventKind.WARN, -1, null, what);
    }

    // ---- reservation and LRU ----------------------------------------------------------------

    /**
     * {@code ttm_bo_reserve()}: locks the buffer's reservation.
     *
     * @param noWait trylock only (refused outright together with a ticket)
     * @param ticket the ww acquire context, or null
     * @return 0; -EBUSY (no_wait and locked, or no_wait with a ticket); -EALREADY (already ours);
     *         -EDEADLK (wait-die: back off); -ERESTARTSYS (interrupted by a signal)
     */
    public static int reserve(final TtmBufferObject bo, final boolean interruptible, final boolean noWait,
            final WwAcquireCtx ticket) {
        if (noWait) {
            if (ticket != null) {
                return Errno.EBUSY;
            }
            return bo.resv().trylock() ? Errno.OK : Errno.EBUSY;
        }
        final int ret = interruptible ? bo.resv().lockInterruptible(ticket) : bo.resv().lock(ticket);
        return ret == Errno.EINTR ? Errno.ERESTARTSYS : ret;
    }

    /** {@code ttm_bo_unreserve()}: moves the resource to its LRU tail, then unlocks. */
    public static void unreserve(final TtmBufferObject bo) {
        moveToLruTailUnlocked(bo);
        bo.resv().unlock();
    }

    /** {@code ttm_bo_move_to_lru_tail()}: least likely to be evicted next. */
    public static void moveToLruTail(final TtmBufferObject bo) {
        bo.resv().assertHeld();
        if (bo.resource() != null) {
            TtmResource.moveToLruTail(bo.resource());
        }
    }

    /** {@code ttm_bo_move_to_lru_tail_unlocked()}. */
    static void moveToLruTailUnlocked(final TtmBufferObject bo) {
        moveToLruTail(bo);
    }

    /** {@code ttm_bo_set_bulk_move()}: joins or leaves a bulk move group. */
    public static void setBulkMove(final TtmBufferObject bo, final TtmLruBulkMove bulk) {
        bo.resv().assertHeld();
        if (bo.bulkMove() == bulk) {
            return;
        }
        if (bo.resource() != null) {
            TtmResource.delBulkMove(bo.resource(), bo);
        }
        bo.setBulkMoveField(bulk);
        if (bo.resource() != null) {
            TtmResource.addBulkMove(bo.resource(), bo);
        }
    }

    /**
     * {@code ttm_bo_pin()}: the buffer will not be evicted nor moved. On the first pin its resource
     * leaves the bulk move and the manager LRU for the device's unevictable list.
     */
    public static void pin(final TtmBufferObject bo) {
        bo.resv().assertHeld();
        if (bo.resource() != null) {
            TtmResource.delBulkMove(bo.resource(), bo);
        }
        final int was = bo.pinCount();
        bo.setPinCount(was + 1);
        if (was == 0 && bo.resource() != null) {
            TtmResource.moveToLruTail(bo.resource());
        }
    }

    /** {@code ttm_bo_unpin()}: the last unpin puts the resource back on its LRU (and bulk move). */
    public static void unpin(final TtmBufferObject bo) {
        bo.resv().assertHeld();
        if (bo.pinCount() == 0) {
            warn(bo, "ttm_bo_unpin: WARN_ON_ONCE(!bo->pin_count): " + bo.name() + " is not pinned");
            return;
        }
        bo.setPinCount(bo.pinCount() - 1);
        if (bo.pinCount() == 0 && bo.resource() != null) {
            TtmResource.addBulkMove(bo.resource(), bo);
            TtmResource.moveToLruTail(bo.resource());
        }
    }

    // ---- validate --------------------------------------------------------------------------

    /**
     * {@code ttm_bo_validate()}: makes the buffer live in one of {@code placement}'s places.
     *
     * <p>An empty placement purges the backing store. Otherwise, unless the current resource is
     * already compatible, a resource is allocated in two passes (first without eviction, skipping
     * FALLBACK places; then evicting, skipping DESIRED places) and the buffer moved there, through
     * intermediate hops when the driver asks. A buffer left without resource or in SYSTEM always gets
     * a tt.
     *
     * @return 0; -EINVAL (pinned buffer that would move); -ENOMEM (no space; -ENOSPC with
     *         PROPAGATE_ENOSPC); -EBUSY (no_wait_gpu); -ERESTARTSYS; the driver's move errors
     */
    public static int validate(final TtmBufferObject bo, final TtmPlacement placement, final OperationCtx ctx) {
        bo.resv().assertHeld();
        emit(bo, EventKind.VALIDATE, "validate " + bo.name() + " from " + where(bo) + " to " + placement);
        if (placement.isEmpty()) {
            return TtmBoUtil.pipelineGutting(bo);
        }
        boolean forceSpace = false;
        int ret;
        do {
            if (bo.resource() != null && TtmResource.compatible(bo.resource(), placement, forceSpace)) {
                return Errno.OK;
            }
            // Moving of pinned BOs is forbidden (from v6.4, b49323aa35d5; before, TTM moved them).
            if (bo.pinCount() > 0 && bo.bdev().kernel().release().has(Change.PINNED_MOVE_REFUSED)) {
                return Errno.EINVAL;
            }
            final TtmResource[] res = new TtmResource[1];
            ret = allocResource(bo, placement, ctx, forceSpace, res);
            forceSpace = !forceSpace;
            if (ret == Errno.ENOSPC) {
                continue;
            }
            if (ret != Errno.OK) {
                return ret;
            }
            ret = moveThroughHops(bo, res[0], ctx);
            if (ret != Errno.OK) {
                TtmResource.free(bo, res[0]);
                return ret;
            }
        } while (ret != Errno.OK && forceSpace);
        if (ret == Errno.ENOSPC) {
            // For backward compatibility with user space.
            return (bo.bdev().allocFlags() & TtmDevice.PROPAGATE_ENOSPC) != 0 ? Errno.ENOSPC : Errno.ENOMEM;
        }
        if (bo.resource() == null || bo.resource().memType() == TtmPlace.PL_SYSTEM) {
            return TtmTt.create(bo, true);
        }
        return Errno.OK;
    }

    /** The {@code bounce:} loop of validate: move, and on -EMULTIHOP go through the hop first. */
    private static int moveThroughHops(final TtmBufferObject bo, final TtmResource res, final OperationCtx ctx) {
        for (int hops = 0; hops <= MAX_HOPS; hops++) {
            final TtmPlace[] hop = new TtmPlace[1];
            int ret = handleMoveMem(bo, res, false, ctx, hop);
            if (ret != Errno.EMULTIHOP) {
                return ret;
            }
            ret = bounceTempBuffer(bo, ctx, hop[0]);
            if (ret != Errno.OK) {
                return ret;
            }
        }
        throw new IllegalStateException("driver asked for more than " + MAX_HOPS + " hops");
    }

    /** {@code ttm_bo_bounce_temp_buffer()}: allocates the hop place and moves there. */
    static int bounceTempBuffer(final TtmBufferObject bo, final OperationCtx ctx, final TtmPlace hop) {
        final TtmResource[] hopMem = new TtmResource[1];
        int ret = memSpace(bo, TtmPlacement.of(hop), hopMem, ctx);
        if (ret != Errno.OK) {
            return ret;
        }
        ret = handleMoveMem(bo, hopMem[0], false, ctx, null);
        if (ret != Errno.OK) {
            TtmResource.free(bo, hopMem[0]);
            return ret;
        }
        return Errno.OK;
    }

    /**
     * {@code ttm_bo_mem_space()}: {@link #allocResource} without, then with eviction.
     *
     * @return 0 with {@code res[0]} set; -ENOSPC; -EBUSY; other allocation errors
     */
    public static int memSpace(final TtmBufferObject bo, final TtmPlacement placement, final TtmResource[] res,
            final OperationCtx ctx) {
        boolean forceSpace = false;
        int ret;
        do {
            ret = allocResource(bo, placement, ctx, forceSpace, res);
            forceSpace = !forceSpace;
        } while (ret == Errno.ENOSPC && forceSpace);
        return ret;
    }

    /**
     * {@code ttm_bo_alloc_resource()}: tries each usable place in order. Types without a manager (or
     * unused) are skipped; so are FALLBACK places on the first pass and DESIRED places on the forced
     * pass. On the forced pass a full place (other than SYSTEM) is made room in by eviction. A place
     * whose pipelined eviction fences are still busy under no_wait_gpu is skipped too.
     *
     * @return 0 with {@code res[0]}; -ENOSPC when no place had room; other errors as they come
     */
    static int allocResource(final TtmBufferObject bo, final TtmPlacement placement, final OperationCtx ctx,
            final boolean forceSpace, final TtmResource[] res) {
        final TtmDevice bdev = bo.bdev();
        final WwAcquireCtx ticket = bo.resv().lockingCtx();
        int ret = bo.resv().reserveFences(TtmResourceManager.TTM_NUM_MOVE_FENCES);
        if (ret != Errno.OK) {
            return ret;
        }
        for (final TtmPlace place : placement.places()) {
            final TtmResourceManager man = bdev.managerType(place.memType());
            if (man == null || !man.used()) {
                continue;
            }
            if ((place.flags() & (forceSpace ? TtmPlace.FLAG_DESIRED : TtmPlace.FLAG_FALLBACK)) != 0) {
                continue;
            }
            final boolean mayEvict = forceSpace && place.memType() != TtmPlace.PL_SYSTEM;
            ret = TtmResource.alloc(bo, place, res);
            if (ret != Errno.OK) {
                if (ret != Errno.ENOSPC && ret != Errno.EAGAIN) {
                    return ret;
                }
                if (!mayEvict) {
                    continue;
                }
                ret = TtmBoEvict.evictAlloc(bdev, man, place, bo, ctx, ticket, res);
                if (ret == Errno.EBUSY) {
                    continue;
                }
                if (ret != Errno.OK) {
                    return ret;
                }
            }
            ret = addPipelinedEvictionFences(bo, man, ctx.noWaitGpu());
            if (ret != Errno.OK) {
                TtmResource.free(bo, res[0]);
                res[0] = null;
                if (ret == Errno.EBUSY) {
                    continue;
                }
                return ret;
            }
            return Errno.OK;
        }
        return Errno.ENOSPC;
    }

    /**
     * {@code ttm_bo_add_pipelined_eviction_fences()}: the buffer must not be used before pipelined
     * evictions out of the target manager finish. Under no_wait_gpu an unsignaled one gives -EBUSY;
     * otherwise the fences become KERNEL dependencies of the buffer.
     */
    private static int addPipelinedEvictionFences(final TtmBufferObject bo, final TtmResourceManager man,
            final boolean noWaitGpu) {
        for (int i = 0; i < TtmResourceManager.TTM_NUM_MOVE_FENCES; i++) {
            final DmaFence fence = man.evictionFence(i);
            if (fence == null) {
                continue;
            }
            if (noWaitGpu) {
                if (!fence.isSignaled()) {
                    return Errno.EBUSY;
                }
            } else {
                bo.resv().addFence(fence, DmaResvUsage.KERNEL);
            }
        }
        return bo.resv().reserveFences(1);
    }

    /**
     * {@code ttm_bo_handle_move_mem()}: zaps user mappings, gives the buffer a (populated, unless the
     * target is SYSTEM) tt when the target uses one, and calls the driver's move. Every successful move
     * adds the buffer's size to {@code bytes_moved}, so a multihop counts twice.
     *
     * @param hop receives the driver's hop place on -EMULTIHOP (may be null when no hop is allowed)
     * @return 0; -EMULTIHOP; the tt's or driver's error
     */
    static int handleMoveMem(final TtmBufferObject bo, final TtmResource mem, final boolean evict,
            final OperationCtx ctx, final TtmPlace[] hop) {
        final TtmDevice bdev = bo.bdev();
        final boolean oldUseTt = bo.resource() == null || bdev.managerType(bo.resource().memType()).useTt();
        final boolean newUseTt = bdev.managerType(mem.memType()).useTt();
        final String from = where(bo);
        unmapVirtualForMove(bo);
        int ret = Errno.OK;
        if (newUseTt) {
            // Zero-init the new tt if the old location should have used one as well.
            ret = TtmTt.create(bo, oldUseTt);
            if (ret == Errno.OK && mem.memType() != TtmPlace.PL_SYSTEM) {
                ret = populate(bo, ctx);
            }
        }
        if (ret == Errno.OK) {
            ret = bo.resv().reserveFences(1);
        }
        if (ret == Errno.OK) {
            ret = bdev.funcs().move(bo, evict, ctx, mem, hop != null ? hop : new TtmPlace[1]);
            if (ret == Errno.EMULTIHOP) {
                return ret;
            }
        }
        if (ret != Errno.OK) {
            if (!oldUseTt) {
                ttDestroy(bo);
            }
            return ret;
        }
        ctx.addBytesMoved(bo.size());
        final Machine machine = bdev.kernel().machine();
        machine.ledger().charge(Counter.BYTES_MOVED, bo.size(), 0);
        final String name = bo.name(); // names can be set later: the sentence says this moment's
        final String to = where(bo);
        final long size = bo.size();
        machine.bus().emit(EventKind.MOVE, -1, null, () -> String.format("%s %s: %s -> %s, %d bytes",
                evict ? "evict-move" : "move", name, from, to, size));
        return Errno.OK;
    }

    /**
     * The {@code ttm_bo_unmap_virtual()} before a move: the one site that consults the
     * {@code skip-zap-on-move} injection.
     */
    private static void unmapVirtualForMove(final TtmBufferObject bo) {
        final Machine machine = bo.bdev().kernel().machine();
        if (machine.fires(Injection.SKIP_ZAP_ON_MOVE)) {
            machine.fireInjection(Injection.SKIP_ZAP_ON_MOVE, "ttm_bo_handle_move_mem " + bo.name());
            TtmBoUtil.memIoFree(bo.bdev(), bo.resource());
            return;
        }
        unmapVirtual(bo);
    }

    /**
     * {@code ttm_bo_unmap_virtual()}: zaps every user PTE of the buffer ({@code drm_vma_node_unmap},
     * i.e. {@code unmap_mapping_range} of its offset range) and releases the io reservation.
     */
    public static void unmapVirtual(final TtmBufferObject bo) {
        final TtmDevice bdev = bo.bdev();
        if (bo.vmaNode().allocated() && bdev.devMapping() != null) {
            final Kernel kernel = bdev.kernel();
            kernel.memory().unmapMappingRange(bdev.devMapping(), bo.vmaNodeStart(), bo.vmaNode().pages());
        }
        TtmBoUtil.memIoFree(bdev, bo.resource());
    }

    /**
     * {@code ttm_bo_wait_ctx()}: waits for every fence of the buffer.
     *
     * @return 0; -EBUSY (no_wait_gpu and busy, or a timeout)
     */
    public static int waitCtx(final TtmBufferObject bo, final OperationCtx ctx) {
        if (ctx.noWaitGpu()) {
            return bo.resv().testSignaled(DmaResvUsage.BOOKKEEP) ? Errno.OK : Errno.EBUSY;
        }
        final long ret = bo.resv().waitTimeout(DmaResvUsage.BOOKKEEP, ctx.interruptible(), 15L * 250);
        return ret == 0 ? Errno.EBUSY : Errno.OK;
    }

    /**
     * {@code ttm_bo_populate()}: makes sure the tt (if any) has its pages, swapping them in; a buffer
     * coming back from swap returns to its LRU.
     */
    public static int populate(final TtmBufferObject bo, final OperationCtx ctx) {
        bo.resv().assertHeld();
        final TtmTt tt = bo.ttm();
        if (tt == null) {
            return Errno.OK;
        }
        final boolean swapped = tt.isSwapped();
        final int ret = TtmTt.populate(bo.bdev(), tt, ctx);
        if (ret != Errno.OK) {
            return ret;
        }
        if (swapped && !tt.isSwapped() && bo.pinCount() == 0 && bo.resource() != null) {
            TtmResource.addBulkMove(bo.resource(), bo);
            TtmResource.moveToLruTail(bo.resource());
        }
        return Errno.OK;
    }

    static String where(final TtmBufferObject bo) {
        return bo.resource() == null ? "none" : TtmPlace.memTypeName(bo.resource().memType());
    }

    static void emit(final TtmBufferObject bo, final EventKind kind, final String detail) {
        bo.bdev().kernel().machine().bus().emit(kind, -1, null, detail);
    }
}
