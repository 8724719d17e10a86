package org.ttmsim.driver;

import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBoUtil;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmDeviceFuncs;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;
import org.ttmsim.ttm.TtmResource;
import org.ttmsim.ttm.TtmTt;
import org.ttmsim.release.Change;
import org.ttmsim.release.KernelRelease;

/**
 * Models amdgpu's TTM callbacks (drivers/gpu/drm/amd/amdgpu/amdgpu_ttm.c): VRAM behind a PCI BAR
 * (iomem, write-combined), GTT as system pages the GPU reaches through the GART (the SPEC's
 * {@code tt}); eviction VRAM → GTT → SYSTEM; a move between VRAM and SYSTEM hops through GTT
 * ({@code -EMULTIHOP}). The SDMA copy engine is modelled as a CPU copy ({@code ttm_bo_move_memcpy}),
 * which is also amdgpu's fallback; {@code use_dma_alloc} under memory encryption
 * ({@code drm_need_swiotlb()}) is applied by {@link Drivers}.
 */
final class Amdgpu implements TtmDeviceFuncs {
    private final long vramBase;
    private final KernelRelease release;
    private final boolean physical;

    Amdgpu(final long vramBase, final KernelRelease release) {
        this(vramBase, release, false);
    }

    /** @param physical whether the GART is programmed with physical addresses (device.dma-api: false) */
    Amdgpu(final long vramBase, final KernelRelease release, final boolean physical) {
        this.vramBase = vramBase;
        this.release = release;
        this.physical = physical;
    }

    /**
     * {@code amdgpu_pci_probe()}: from v5.9 ({@link Change#AMDGPU_RAVEN_REFUSES_SME}) a Raven APU is refused
     * whenever memory encryption is active. Returns the log line of the refusal, or null when it binds.
     */
    static String probeRefusal(final KernelRelease release, final org.ttmsim.hw.EncryptionMode mode,
            final String chip) {
        if ("raven".equals(chip) && mode.memEncrypt() && release.has(Change.AMDGPU_RAVEN_REFUSES_SME)) {
            return "amdgpu: SME is not compatible with RAVEN (probe failed: -ENOTSUPP)";
        }
        return null;
    }

    /** {@code amdgpu_ttm_tt_create()}: the caching the BO was created with (cached or USWC). */
    @Override
    public TtmTt ttmTtCreate(final TtmBufferObject bo, final int pageFlags) {
        return physical ? DriverBo.createPhysTt(bo, pageFlags, DriverBo.cachingOf(bo))
                : DriverBo.createTt(bo, pageFlags, DriverBo.cachingOf(bo));
    }

    /**
     * {@code amdgpu_evict_flags()}: GTT to system; VRAM to GTT, and from about v5.15
     * ({@link Change#AMDGPU_EVICT_GTT_OR_SYSTEM}) to GTT or system, so that a full GTT (the first pass
     * of {@code ttm_bo_alloc_resource()} evicts nothing) sends the buffer to system memory.
     */
    @Override
    public TtmPlacement evictFlags(final TtmBufferObject bo) {
        if (bo.type() == TtmBufferObject.TYPE_SG) {
            return TtmPlacement.empty(); // "Don't handle scatter gather BOs": purged
        }
        final int from = bo.resource() == null ? TtmPlace.PL_SYSTEM : bo.resource().memType();
        if (from != TtmPlace.PL_VRAM) {
            return TtmPlacement.of(TtmPlace.of(TtmPlace.PL_SYSTEM, 0));
        }
        if (release.has(Change.AMDGPU_EVICT_GTT_OR_SYSTEM)) {
            return TtmPlacement.of(TtmPlace.of(TtmPlace.PL_TT, 0), TtmPlace.of(TtmPlace.PL_SYSTEM, 0));
        }
        return TtmPlacement.of(TtmPlace.of(TtmPlace.PL_TT, 0));
    }

    /** {@code amdgpu_bo_move()}: bind/unbind for SYSTEM ↔ GTT, copy for GTT ↔ VRAM, hop otherwise. */
    @Override
    public int move(final TtmBufferObject bo, final boolean evict, final OperationCtx ctx, final TtmResource newMem,
            final TtmPlace[] hop) {
        final TtmResource old = bo.resource();
        if (old == null || (old.memType() == TtmPlace.PL_SYSTEM && bo.ttm() == null)) {
            TtmBoUtil.moveNull(bo, newMem); // nothing to copy yet
            return Errno.OK;
        }
        final int from = old.memType();
        final int to = newMem.memType();
        if (from != TtmPlace.PL_VRAM && to != TtmPlace.PL_VRAM) {
            TtmBoUtil.moveNull(bo, newMem);
            return Errno.OK;
        }
        if ((from == TtmPlace.PL_SYSTEM && to == TtmPlace.PL_VRAM)
                || (from == TtmPlace.PL_VRAM && to == TtmPlace.PL_SYSTEM)) {
            hop[0] = TtmPlace.of(TtmPlace.PL_TT, TtmPlace.FLAG_TEMPORARY);
            return Errno.EMULTIHOP;
        }
        return TtmBoUtil.moveMemcpy(bo, ctx, newMem);
    }

    /**
     * {@code amdgpu_bo_fault_reserve_notify()} (drivers/gpu/drm/amd/amdgpu/amdgpu_object.c), from v6.9
     * ({@link Change#AMDGPU_FAULT_REVALIDATES}): a buffer without a CPU-visible resource (the model's
     * VRAM is all visible, so: a purged one) is validated into VRAM or GTT first, VRAM only if that needs
     * no eviction; a pinned one cannot move: SIGBUS. Before v6.9 the check read
     * {@code bo->resource->mem_type} first, which the generic fault path's NULL check stands for.
     */
    @Override
    public int faultReserveNotify(final TtmBufferObject bo) {
        if (bo.resource() != null || !release.has(Change.AMDGPU_FAULT_REVALIDATES)) {
            return 0;
        }
        if (bo.pinCount() > 0) {
            return org.ttmsim.mm.VmOperations.VM_FAULT_SIGBUS; // "Can't move a pinned BO to visible VRAM"
        }
        final TtmPlacement vramGtt = TtmPlacement.of(TtmPlace.of(TtmPlace.PL_VRAM, TtmPlace.FLAG_DESIRED),
                TtmPlace.of(TtmPlace.PL_TT, 0));
        final int r = org.ttmsim.ttm.TtmBo.validate(bo, vramGtt, new OperationCtx(false, false));
        if (r == Errno.EBUSY || r == Errno.ERESTARTSYS) {
            return org.ttmsim.mm.VmOperations.VM_FAULT_NOPAGE;
        }
        return r == Errno.OK ? 0 : org.ttmsim.mm.VmOperations.VM_FAULT_SIGBUS;
    }

    /** {@code amdgpu_ttm_io_mem_reserve()}: VRAM is iomem at the BAR aperture, write-combined. */
    @Override
    public int ioMemReserve(final TtmDevice bdev, final TtmResource mem) {
        if (mem.memType() == TtmPlace.PL_VRAM) {
            mem.setBus(vramBase + (mem.start() << 12), true, Caching.WRITE_COMBINED);
        }
        return Errno.OK;
    }
}
