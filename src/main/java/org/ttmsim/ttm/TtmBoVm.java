package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.Memory;
import org.ttmsim.mm.Vma;
import org.ttmsim.mm.VmFault;
import org.ttmsim.mm.VmOperations;
import org.ttmsim.hw.CcPlatform;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.release.Change;

/**
 * Models the TTM fault path, {@code ttm_bo_vm_fault()} → {@code ttm_bo_vm_reserve()} →
 * {@code ttm_bo_vm_fault_reserved()} (drivers/gpu/drm/ttm/ttm_bo_vm.c): the BO's VMA operations.
 *
 * <p>The kernel's order: reserve (trylock), wait for a pipelined move, io reserve, populate, then
 * prefault up to {@link #TTM_BO_VM_NUM_PREFAULT} pages. The protection is the release's own rule
 * ({@link #kernelProt}): before v5.6 a stack copy of the VMA with {@code vm_get_page_prot(vm_flags)},
 * since v5.6 the VMA's {@code vm_page_prot} ({@link Change#FAULT_PROT_FROM_VM_PAGE_PROT}); then
 * {@code ttm_io_prot()}, and "Iomem should not be marked encrypted". The design may patch the result
 * ({@link TtmDecisions#faultProt}); nothing else here asks it.
 */
public final class TtmBoVm implements VmOperations {
    /** {@code TTM_BO_VM_NUM_PREFAULT} (include/drm/ttm/ttm_bo.h). */
    public static final int TTM_BO_VM_NUM_PREFAULT = 16;
    private final Memory memory;
    private final TtmDecisions decisions;

    public TtmBoVm(final Memory memory, final TtmDecisions decisions) {
        this.memory = memory;
        this.decisions = decisions;
    }

    /**
     * {@code ttm_bo_vm_fault()} (or a driver's fault handler built on it): reserve, the driver's
     * {@link TtmDeviceFuncs#faultReserveNotify} (amdgpu's), fault, unreserve.
     */
    @Override
    public int fault(final VmFault vmf) {
        final TtmBufferObject bo = (TtmBufferObject) vmf.vma().privateData();
        final int reserved = reserve(bo);
        if (reserved != 0) {
            return reserved;
        }
        try {
            final int notify = bo.bdev().funcs().faultReserveNotify(bo);
            if (notify != 0) {
                return notify;
            }
            return faultReserved(vmf, vmf.vma().vmPageProt(), TTM_BO_VM_NUM_PREFAULT);
        } finally {
            bo.resv().unlock();
        }
    }

    /**
     * {@code vm_ops->close} ({@code ttm_bo_vm_close()}): the VMA's reference to the buffer goes; the last
     * one releases it ({@code ttm_bo_mmap_obj()} took it).
     */
    @Override
    public void close(final Vma vma) {
        TtmBo.put((TtmBufferObject) vma.privateData());
    }

    /**
     * {@code ttm_bo_vm_reserve()}: a trylock; when it fails the kernel drops mmap_lock, waits for the
     * holder and returns VM_FAULT_RETRY. In this single-threaded model a contended lock is held by the
     * scenario itself, so the retry would never succeed: that is reported as SIGBUS rather than a hang.
     * Then "Refuse to fault imported pages": an EXTERNAL tt that is not EXTERNAL_MAPPABLE is SIGBUS, in
     * every release the model knows (667a50db0477, 2014).
     */
    private int reserve(final TtmBufferObject bo) {
        if (!bo.resv().trylock()) {
            memory.machine().bus().emit(EventKind.FAULT, -1, null, "ttm_bo_vm_reserve: reservation busy");
            return VM_FAULT_SIGBUS;
        }
        final TtmTt tt = bo.ttm();
        if (tt != null && (tt.pageFlags() & TtmTt.FLAG_EXTERNAL) != 0
                && (tt.pageFlags() & TtmTt.FLAG_EXTERNAL_MAPPABLE) == 0) {
            bo.resv().unlock();
            memory.machine().bus().emit(EventKind.FAULT, -1, null,
                    "ttm_bo_vm_reserve: refuse to fault imported pages: SIGBUS");
            return VM_FAULT_SIGBUS;
        }
        return 0;
    }

    /**
     * {@code ttm_bo_vm_fault_reserved()}: inserts the faulting page and prefaults up to
     * {@code numPrefault} pages after it.
     *
     * @return VM_FAULT_NOPAGE; VM_FAULT_SIGBUS (offset beyond the BO, io reserve failed, no resource,
     *         or, from v6.4, populate failed); VM_FAULT_OOM (populate failed before v6.4, or the first
     *         page is missing)
     */
    public int faultReserved(final VmFault vmf, final long vmPageProt, final int numPrefault) {
        final TtmBufferObject bo = (TtmBufferObject) vmf.vma().privateData();
        final Vma vma = vmf.vma();
        // ttm_bo_vm_fault_idle(): wait for a pipelined move (KERNEL fences), so the fault sees the new
        // backing and never the ghost's old pages.
        bo.resv().waitTimeout(DmaResvUsage.KERNEL, true, Long.MAX_VALUE);
        if (bo.resource() == null) {
            // A purged buffer (v6.4 on): ttm_mem_io_reserve(bdev, NULL) dereferences it. Its nearest
            // check fails the fault with VM_FAULT_SIGBUS, which is what the model returns.
            TtmBo.warn(bo, "ttm_bo_vm_fault_reserved: " + bo.name() + " has no resource (purged while mapped):"
                    + " ttm_mem_io_reserve(bdev, NULL) is a NULL dereference in the kernel (driver bug); SIGBUS here");
            return VM_FAULT_SIGBUS;
        }
        if (TtmBoUtil.memIoReserve(bo.bdev(), bo.resource()) != Errno.OK) {
            return VM_FAULT_SIGBUS;
        }
        final long nodeStart = bo.vmaNodeStart();
        long pageOffset = ((vmf.address() - vma.start()) >>> Pte.PAGE_SHIFT) + vma.pgoff() - nodeStart;
        final long pageLast = vma.pages() + vma.pgoff() - nodeStart;
        if (pageOffset >= bo.numPages()) {
            return VM_FAULT_SIGBUS;
        }
        final boolean iomem = bo.resource().busIsIomem();
        if (!iomem && populate(bo) != Errno.OK) {
            // VM_FAULT_SIGBUS from v6.4 (e44f18c6ff8b); VM_FAULT_OOM before.
            return bo.bdev().kernel().release().has(Change.POPULATE_FAILURE_SIGBUS) ? VM_FAULT_SIGBUS : VM_FAULT_OOM;
        }
        final MapContext ctx = TtmMapContexts.of(bo);
        final long prot = decisions.faultProt(ctx, vmPageProt, kernelProt(bo, vma, ctx, vmPageProt));
        long address = vmf.address();
        int ret = VM_FAULT_NOPAGE;
        for (int i = 0; i < numPrefault; i++) {
            final long pfn = iomem ? bo.bdev().funcs().ioMemPfn(bo, pageOffset) : ttPage(bo, pageOffset);
            if (pfn < 0) {
                if (i == 0) {
                    return VM_FAULT_OOM;
                }
                break;
            }
            ret = memory.vmfInsertPfnProt(vma, address, pfn, prot);
            // Never error on prefaulted PTEs: a failed first insert refaults, a later one ends the loop.
            if ((ret & org.ttmsim.mm.VmOperations.VM_FAULT_ERROR) != 0) {
                if (i == 0) {
                    return VM_FAULT_NOPAGE;
                }
                break;
            }
            address += Pte.PAGE_SIZE;
            if (++pageOffset >= pageLast) {
                break;
            }
        }
        return ret;
    }

    /**
     * The release's protection for the PTEs of this fault: its base ({@code vma->vm_page_prot} since v5.6,
     * before that {@code vm_get_page_prot(vma->vm_flags)} in a stack copy of the VMA, which ignores what a
     * driver put in {@code vm_page_prot} at mmap), through {@code ttm_io_prot()}, decrypted for iomem.
     */
    static long kernelProt(final TtmBufferObject bo, final Vma vma, final MapContext ctx, final long vmPageProt) {
        final CcPlatform cc = bo.bdev().kernel().machine().cc();
        final long base = bo.bdev().kernel().release().has(Change.FAULT_PROT_FROM_VM_PAGE_PROT) ? vmPageProt
                : Pgprot.vmGetPageProt(cc, vma.vmFlags());
        final long prot = TtmBoUtil.ioProt(bo, ctx, base);
        // "Iomem should not be marked encrypted"
        return ctx.iomem() ? ctx.decrypted(prot) : prot;
    }

    /** {@code ttm_bo_populate()}: the tt's pages, swapping in (and back onto the LRU) if needed. */
    private static int populate(final TtmBufferObject bo) {
        final OperationCtx ctx = new OperationCtx(false, false);
        return TtmBo.populate(bo, ctx);
    }

    /** {@code ttm->pages[page_offset]}: the PFN, or -1 when the page is missing. */
    private static long ttPage(final TtmBufferObject bo, final long pageOffset) {
        final long[] pages = bo.ttm().pages();
        return pageOffset < pages.length && pages[(int) pageOffset] > 0 ? pages[(int) pageOffset] : -1;
    }
}
