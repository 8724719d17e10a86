package org.ttmsim.mm;

import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.release.Change;
import org.ttmsim.release.KernelRelease;

/**
 * Models {@code do_mmap()} / {@code do_munmap()} (mm/mmap.c) and {@code mprotect_fixup()} with
 * {@code change_protection()} (mm/mprotect.c).
 */
public final class Mmap {
    private final Machine machine;
    private final Memory memory;
    private final KernelRelease release;

    public Mmap(final Memory memory, final KernelRelease release) {
        this.memory = memory;
        this.machine = memory.machine();
        this.release = release;
    }

    /** The result of a mmap: the VMA, or a negative errno. */
    public record Result(Vma vma, int error) {
    }

    /**
     * Maps {@code pages} pages of an object at page offset {@code pgoff}.
     *
     * @param shared   MAP_SHARED (false: MAP_PRIVATE)
     * @param writable PROT_WRITE
     */
    public Result doMmap(final MmStruct mm, final FileOperations file, final long pgoff, final long pages,
            final boolean shared, final boolean writable, final Object privateData, final String name) {
        final long len = pages << Pte.PAGE_SHIFT;
        // calc_vm_flag_bits(): VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, VM_MAYWRITE cleared only for a
        // MAP_SHARED mapping of a file not opened for writing. DRM fds are opened read-write, so every
        // MAP_PRIVATE mapping is a COW mapping (is_cow_mapping()), which ttm_bo_mmap_obj() refuses.
        int flags = VmFlags.VM_READ | VmFlags.VM_MAYWRITE;
        if (writable) {
            flags |= VmFlags.VM_WRITE;
        }
        if (shared) {
            flags |= VmFlags.VM_SHARED;
        }
        final long start = mm.getUnmappedArea(len);
        final Vma vma = new Vma(mm, start, start + len, pgoff, flags, Pgprot.vmGetPageProt(machine.cc(), flags),
                file.mapping(), privateData, name);
        final int err = file.mmap(vma);
        if (err != Errno.OK) {
            machine.bus().emit(EventKind.MMAP, -1, null, String.format("%s mmap %s refused: %s", mm.name(), name,
                    Errno.name(err)));
            return new Result(null, err);
        }
        mm.insertVma(vma);
        file.mapping().link(vma);
        machine.bus().emit(EventKind.MMAP, -1, null, String.format("%s mmap %s at 0x%x, %d pages, %s, vm_page_prot %s",
                mm.name(), name, start, pages, VmFlags.describe(vma.vmFlags()),
                machine.cc().attrLabel(vma.vmPageProt())));
        return new Result(vma, Errno.OK);
    }

    /** {@code do_munmap()} of a whole VMA: zap its PTEs, flush, unlink, then {@code vm_ops->close}. */
    public void doMunmap(final Vma vma) {
        memory.zapVmaRange(vma, vma.start(), vma.end());
        vma.mm().removeVma(vma);
        vma.mapping().unlink(vma);
        if (vma.ops() != null) {
            vma.ops().close(vma);
        }
        machine.bus().emit(EventKind.MUNMAP, -1, null, vma.mm().name() + " munmap " + vma.name());
    }

    /**
     * Whether {@code pgprot_modify()} / {@code pte_modify()} keep the encryption bit on this release:
     * AMD's C-bit since v5.7 ({@code _PAGE_ENC} in {@code _PAGE_CHG_MASK},
     * {@link Change#MPROTECT_KEEPS_ENC_BIT}); TDX's shared bit only since v6.9 ({@code _PAGE_CC},
     * {@link Change#TDX_MPROTECT_KEEPS_SHARED_BIT}), since {@code _PAGE_ENC} is {@code sme_me_mask}, 0 on TDX.
     */
    public boolean keepsEncryptionBit() {
        return machine.mode().sharedBitInverted() ? release.has(Change.TDX_MPROTECT_KEEPS_SHARED_BIT)
                : release.has(Change.MPROTECT_KEEPS_ENC_BIT);
    }

    /**
     * {@code mprotect()} of a whole VMA: new flags, {@code vm_page_prot = pgprot_modify(old,
     * vm_get_page_prot(new))}, and {@code pte_modify} of every present PTE, then a TLB flush. Whether
     * the encryption bit survives is the release's ({@link #keepsEncryptionBit()}).
     *
     * @return 0, or -EACCES when asked for write on a mapping that may not be written
     *         ({@code do_mprotect_pkey()}: {@code (newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS})
     */
    public int mprotect(final Vma vma, final boolean writable) {
        final boolean keepsEncBit = keepsEncryptionBit();
        if (writable && (vma.vmFlags() & VmFlags.VM_MAYWRITE) == 0) {
            return Errno.EACCES;
        }
        final int flags = writable ? vma.vmFlags() | VmFlags.VM_WRITE : vma.vmFlags() & ~VmFlags.VM_WRITE;
        final long newProt = Pgprot.vmGetPageProt(machine.cc(), flags);
        vma.setVmFlags(flags);
        vma.setVmPageProt(Pgprot.pgprotModify(machine.cc(), vma.vmPageProt(), newProt, keepsEncBit));
        final MmStruct mm = vma.mm();
        for (long va = vma.start(); va < vma.end(); va += Pte.PAGE_SIZE) {
            final long vpn = va >>> Pte.PAGE_SHIFT;
            final long pte = mm.pte(vpn);
            if (Pte.present(pte)) {
                mm.setPte(vpn, Pgprot.pteModify(machine.cc(), pte, vma.vmPageProt(), keepsEncBit));
            }
        }
        memory.flushTlbRange(mm, vma.start(), vma.end());
        machine.bus().emit(EventKind.MPROTECT, -1, null, String.format("%s mprotect %s %s, vm_page_prot %s%s",
                mm.name(), vma.name(), writable ? "rw" : "ro", machine.cc().attrLabel(vma.vmPageProt()),
                keepsEncBit ? "" : " (" + release.id() + " pgprot_modify: encryption bit taken from the new prot)"));
        return Errno.OK;
    }
}
