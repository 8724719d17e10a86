package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.AddressSpace;
import org.ttmsim.mm.FileOperations;
import org.ttmsim.mm.Memory;
import org.ttmsim.mm.Vma;
import org.ttmsim.mm.VmFlags;

/**
 * Models {@code ttm_bo_mmap_obj()} (drivers/gpu/drm/ttm/ttm_bo_vm.c) as reached through
 * {@code drm_gem_mmap()}: refuses copy-on-write mappings, marks the VMA
 * {@code VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP}, installs {@link TtmBoVm} as its operations,
 * and lets the design patch {@code vm_page_prot} (and, for {@code dma_mmap_coherent}, map every page now).
 */
public final class TtmBoMmap implements FileOperations {
    private final TtmBufferObject bo;
    private final Memory memory;
    public TtmBoMmap(final TtmBufferObject bo, final Memory memory) {
        this.bo = bo;
        this.memory = memory;
    }

    @Override
    public AddressSpace mapping() {
        return bo.bdev().devMapping();
    }

    @Override
    public int mmap(final Vma vma) {
        if (isCowMapping(vma.vmFlags())) {
            return Errno.EINVAL; // "Enforce no COW since would have really strange behavior with it."
        }
        vma.setVmFlags(vma.vmFlags() | VmFlags.VM_PFNMAP | VmFlags.VM_IO | VmFlags.VM_DONTEXPAND
                | VmFlags.VM_DONTDUMP);
        final TtmDecisions decisions = bo.bdev().decisions();
        final TtmBoVm ops = new TtmBoVm(memory, decisions);
        vma.setOps(ops);
        vma.setVmPageProt(decisions.vmaProt(TtmMapContexts.of(bo), vma.vmPageProt()));
        final int ret = decisions.mapsWholeBoAtMmap() ? mapWholeBo(vma, ops) : Errno.OK;
        if (ret == Errno.OK) {
            // "We're transferring the bo reference to vma->vm_private_data here."
            TtmBo.get(bo);
        }
        return ret;
    }

    /** {@code is_cow_mapping()}: private and possibly writable. */
    private static boolean isCowMapping(final int flags) {
        return (flags & (VmFlags.VM_SHARED | VmFlags.VM_MAYWRITE)) == VmFlags.VM_MAYWRITE;
    }

    /**
     * {@code dma_mmap_coherent()}'s {@code remap_pfn_range()}: populate and insert every page now, with
     * the one protection of the mapping.
     */
    private int mapWholeBo(final Vma vma, final TtmBoVm ops) {
        if (bo.resource() == null) {
            return Errno.OK; // nothing to map now (purged): later faults decide
        }
        if (!bo.resv().trylock()) {
            return Errno.EBUSY;
        }
        try {
            for (long va = vma.start(); va < vma.end(); va += Pte.PAGE_SIZE * TtmBoVm.TTM_BO_VM_NUM_PREFAULT) {
                final long pgoff = vma.pgoff() + ((va - vma.start()) >>> Pte.PAGE_SHIFT);
                final int r = ops.faultReserved(new org.ttmsim.mm.VmFault(vma, va, pgoff, false), vma.vmPageProt(),
                        TtmBoVm.TTM_BO_VM_NUM_PREFAULT);
                if (r != org.ttmsim.mm.VmOperations.VM_FAULT_NOPAGE) {
                    return Errno.ENOMEM;
                }
            }
            return Errno.OK;
        } finally {
            bo.resv().unlock();
        }
    }
}
