package org.ttmsim.sim;

import java.util.List;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;
import org.ttmsim.mm.Mmap;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.scenario.PlaceSpec;
import org.ttmsim.scenario.Step;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBo;
import org.ttmsim.ttm.TtmBoEvict;
import org.ttmsim.ttm.TtmBoMmap;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;

/**
 * Carries out one scenario step on the world, the way a driver's ioctl or a user's memory access
 * reaches the kernel: buffer operations take the reservation, call TTM and release it; mappings go
 * through mmap; accesses through the CPU, kernel-map and device paths ({@link Accesses}).
 */
final class StepExecutor {
    private final World world;
    private final Accesses accesses;

    StepExecutor(final World world) {
        this.world = world;
        this.accesses = new Accesses(world);
    }

    StepResult execute(final Step step) {
        if (!world.driver().probed() && (step instanceof Step.OnBo || step instanceof Step.OnMap)) {
            return done(step, Errno.ENODEV, "no device: " + world.driver().probeError());
        }
        if (step instanceof Step.Create s) {
            final int ret = create(s);
            return done(step, ret, ret == Errno.OK ? describeBo(s.bo()) : refusedCreate(s, ret));
        }
        if (step instanceof Step.Mmap s) {
            return mmap(s);
        }
        if (step instanceof Step.Munmap s) {
            return munmap(s);
        }
        if (step instanceof Step.Mprotect s) {
            return mprotect(s);
        }
        if (step instanceof Step.PoolShrink s) {
            final long freed = world.bdev().global().poolShrink(s.pages());
            return done(step, Errno.OK, "pool shrinker freed " + freed + " pages");
        }
        if (step instanceof Step.PageAlloc s) {
            return pageAlloc(s);
        }
        if (step instanceof Step.PageFree s) {
            return pageFree(s);
        }
        if (step instanceof Step.Read || step instanceof Step.Write) {
            return accesses.execute(step);
        }
        return boOp((Step.OnBo) step);
    }

    /** {@code alloc_pages(GFP_KERNEL, order)} for a plain kernel user; ENOMEM when the allocator is empty. */
    private StepResult pageAlloc(final Step.PageAlloc s) {
        final int order = Integer.numberOfTrailingZeros(s.pages());
        final long pfn = world.kernel().pageAllocator().allocPages(order);
        if (pfn == org.ttmsim.mm.PageAllocator.NO_PAGE) {
            return done(s, Errno.ENOMEM, "alloc_pages order " + order + " failed");
        }
        world.pageAllocs().put(s.alloc(), new long[] {pfn, order});
        world.oracle().forget(Accesses.pagesKey(s.alloc()));
        final org.ttmsim.mm.DirectMap dm = world.kernel().directMap();
        int decrypted = 0;
        for (int i = 0; i < s.pages(); i++) {
            decrypted += dm.isDecrypted(pfn + i) ? 1 : 0;
        }
        return done(s, Errno.OK, String.format("%s holds %d page(s) at pfn 0x%x, direct map %s", s.alloc(), s.pages(),
                pfn, decrypted == 0 ? "encrypted" : decrypted + " of " + s.pages()
                        + " page(s) decrypted (left shared by an earlier owner)"));
    }

    /** {@code __free_pages()}; ENOENT when the allocation is not held. */
    private StepResult pageFree(final Step.PageFree s) {
        final long[] a = world.pageAllocs().remove(s.alloc());
        if (a == null) {
            return done(s, Errno.ENOENT, s.alloc() + " is not held (never allocated, failed, or freed)");
        }
        world.kernel().pageAllocator().freePages(a[0], (int) a[1]);
        world.oracle().forget(Accesses.pagesKey(s.alloc()));
        return done(s, Errno.OK, String.format("%s freed %d page(s) at pfn 0x%x", s.alloc(), 1 << a[1], a[0]));
    }

    /** create: ttm_bo_init_reserved() into the placement, then unreserve. */
    private int create(final Step.Create s) {
        final DriverBo bo = new DriverBo(s.size(), Caching.fromId(s.caching()));
        bo.setName(s.bo());
        bo.setPriority(s.priority());
        final int ret = TtmBo.initReserved(world.bdev(), bo, boType(s.type()), placement(s.placement()), 4096,
                ctx(), null, null, world::released);
        if (ret == Errno.OK) {
            TtmBo.unreserve(bo);
            world.addBo(s.bo(), bo);
        }
        return ret;
    }

    private StepResult boOp(final Step.OnBo step) {
        final TtmBufferObject bo = world.bos().get(step.bo());
        if (bo == null) {
            return done(step, Errno.ENOENT, step.bo() + " does not exist (never created, failed, or destroyed)");
        }
        if (step instanceof Step.Destroy) {
            final String key = world.name(bo);
            world.removeBo(step.bo());
            TtmBo.fini(bo); // the handle's reference; a mapping may still hold the buffer
            return done(step, Errno.OK, bo.kref() == 0 ? step.bo() + " released"
                    : bo.deleted() ? step.bo() + " released; its destruction waits on the workqueue"
                    : step.bo() + " handle closed; " + key + " lives on while mapped");
        }
        TtmBo.reserve(bo, false, false, null);
        final int ret;
        final boolean purging;
        try {
            purging = purges(step, bo);
            ret = reservedOp(step, bo);
        } finally {
            TtmBo.unreserve(bo);
        }
        if (ret == Errno.OK && purging) {
            world.oracle().forget(world.name(bo)); // purged: the content is gone on purpose
        }
        return done(step, ret, describeBo(step.bo()));
    }

    /**
     * Whether the step, if it succeeds, purges the buffer's content ({@code ttm_bo_pipeline_gutting()}):
     * an empty placement, or an eviction the driver sends nowhere (amdgpu's sg buffers).
     */
    private static boolean purges(final Step.OnBo step, final TtmBufferObject bo) {
        if (step instanceof Step.Validate v) {
            return v.placement().isEmpty();
        }
        return step instanceof Step.Evict && bo.resource() != null && bo.pinCount() == 0
                && (bo.ttm() == null || !bo.ttm().isSwapped()) && bo.bdev().funcs().evictFlags(bo).isEmpty();
    }

    private int reservedOp(final Step.OnBo step, final TtmBufferObject bo) {
        if (step instanceof Step.Validate s) {
            return TtmBo.validate(bo, placement(s.placement()), ctx());
        }
        if (step instanceof Step.Evict) {
            return TtmBoEvict.evictOne(bo, ctx());
        }
        if (step instanceof Step.Pin) {
            TtmBo.pin(bo);
            return Errno.OK;
        }
        if (step instanceof Step.Unpin) {
            TtmBo.unpin(bo);
            return Errno.OK;
        }
        if (step instanceof Step.Swapout) {
            final long r = TtmBoEvict.swapoutBo(bo, ctx());
            return r < 0 ? (int) r : Errno.OK;
        }
        throw new IllegalStateException("unhandled step " + step.op());
    }

    private StepResult mmap(final Step.Mmap s) {
        final TtmBufferObject bo = world.bos().get(s.bo());
        if (bo == null) {
            return done(s, Errno.ENOENT, s.bo() + " does not exist");
        }
        final MmStruct mm = world.process(s.process());
        final Mmap.Result r = world.kernel().mmap().doMmap(mm, new TtmBoMmap(bo, world.kernel().memory()), bo.vmaNodeStart(),
                bo.numPages(), !s.isPrivate(), "rw".equals(s.prot()), bo, s.as());
        if (r.error() != Errno.OK) {
            return done(s, r.error(), "mmap of " + s.bo() + " refused");
        }
        world.maps().put(s.as(), r.vma());
        return done(s, Errno.OK, String.format("%s mapped %s at 0x%x (%s)", s.process(), s.bo(), r.vma().start(),
                world.machine().cc().attrLabel(r.vma().vmPageProt())));
    }

    private StepResult munmap(final Step.Munmap s) {
        final Vma vma = world.maps().get(s.map());
        if (vma == null || vma.mm().findVma(vma.start()) != vma) {
            // do_vmi_munmap(): no VMA in the range is not an error.
            return done(s, Errno.OK, s.map() + " is not mapped: nothing to unmap");
        }
        world.kernel().mmap().doMunmap(vma);
        return done(s, Errno.OK, s.map() + " unmapped");
    }

    private StepResult mprotect(final Step.Mprotect s) {
        final Vma vma = world.maps().get(s.map());
        if (vma == null || vma.mm().findVma(vma.start()) != vma) {
            return done(s, Errno.ENOMEM, s.map() + " is not mapped");
        }
        final int r = world.kernel().mmap().mprotect(vma, "rw".equals(s.prot()));
        return done(s, r, String.format("%s now %s, vm_page_prot %s", s.map(), s.prot(),
                world.machine().cc().attrLabel(vma.vmPageProt())));
    }

    /**
     * A failed create, and why when it is the mmap offset space: ttm_bo_init_reserved() asks it for the
     * buffer's pages before any placement, and it is 1 TiB less 256 pages whatever the machine's memory.
     */
    private String refusedCreate(final Step.Create s, final int ret) {
        final long pages = org.ttmsim.mm.PageAllocator.pages(s.size());
        final long space = world.bdev().vmaManager().pages();
        final boolean offset = TtmBo.hasMmapOffset(boType(s.type()));
        return s.bo() + " not created" + (ret != Errno.ENOSPC || !offset || pages <= space ? "" : String.format(
                java.util.Locale.ROOT,
                ": its %,d pages do not fit the mmap offset space of %,d pages (drm_vma_offset_add(),"
                        + " DRM_FILE_PAGE_OFFSET_SIZE)", pages, space));
    }

    private String describeBo(final String name) {
        final TtmBufferObject bo = world.bos().get(name);
        if (bo == null) {
            return name + " does not exist";
        }
        return name + " in " + FinalState.placement(bo) + (bo.ttm() != null ? ", tt " + (bo.ttm().isPopulated()
                ? "populated" : "unpopulated") + " " + String.join(",", FinalState.flagNames(bo.ttm().pageFlags()))
                : "");
    }

    static StepResult done(final Step step, final int ret, final String detail) {
        return new StepResult(step.index(), step.op(), Errno.name(ret), step.expectedResult(), null, null, detail);
    }

    private static OperationCtx ctx() {
        return new OperationCtx(true, false);
    }

    private static int boType(final String type) {
        switch (type) {
            case "kernel":
                return TtmBufferObject.TYPE_KERNEL;
            case "sg":
                return TtmBufferObject.TYPE_SG;
            default:
                return TtmBufferObject.TYPE_DEVICE;
        }
    }

    /** Scenario placements to TTM places: system/tt/vram and the four flags. */
    static TtmPlacement placement(final List<PlaceSpec> specs) {
        final TtmPlace[] places = new TtmPlace[specs.size()];
        for (int i = 0; i < places.length; i++) {
            final PlaceSpec p = specs.get(i);
            final int type = "vram".equals(p.memType()) ? TtmPlace.PL_VRAM
                    : "tt".equals(p.memType()) ? TtmPlace.PL_TT : TtmPlace.PL_SYSTEM;
            int flags = 0;
            for (final String f : p.flags()) {
                flags |= "contiguous".equals(f) ? TtmPlace.FLAG_CONTIGUOUS : "topdown".equals(f) ? TtmPlace.FLAG_TOPDOWN
                        : "desired".equals(f) ? TtmPlace.FLAG_DESIRED : TtmPlace.FLAG_FALLBACK;
            }
            places[i] = TtmPlace.of(type, flags);
        }
        return TtmPlacement.of(places);
    }
}
