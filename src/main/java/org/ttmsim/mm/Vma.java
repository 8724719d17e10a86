package org.ttmsim.mm;

import org.ttmsim.hw.Pte;

/**
 * Models {@code struct vm_area_struct} (include/linux/mm_types.h): a range of one process's address
 * space mapping an object at a page offset, with the protection every PTE starts from.
 */
public final class Vma {
    // Constant after mmap.
    private final MmStruct mm;
    private final long start;
    private final long end;
    private final long pgoff;
    private final AddressSpace mapping;
    private final Object privateData;
    private final String name;
    // Changed under the (modelled) mmap write lock: mmap hook, mprotect.
    private long vmPageProt;
    private int vmFlags;
    private VmOperations ops;

    public Vma(final MmStruct mm, final long start, final long end, final long pgoff, final int vmFlags,
            final long vmPageProt, final AddressSpace mapping, final Object privateData, final String name) {
        this.mm = mm;
        this.start = start;
        this.end = end;
        this.pgoff = pgoff;
        this.vmFlags = vmFlags;
        this.vmPageProt = vmPageProt;
        this.mapping = mapping;
        this.privateData = privateData;
        this.name = name;
    }

    public MmStruct mm() {
        return mm;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public long pages() {
        return (end - start) >>> Pte.PAGE_SHIFT;
    }

    /** {@code vm_pgoff}: the object page mapped at {@link #start()}. */
    public long pgoff() {
        return pgoff;
    }

    public AddressSpace mapping() {
        return mapping;
    }

    /** {@code vm_private_data}: for TTM, the buffer object. */
    public Object privateData() {
        return privateData;
    }

    /** The user's name for the mapping (scenario {@code as:}). */
    public String name() {
        return name;
    }

    public long vmPageProt() {
        return vmPageProt;
    }

    public void setVmPageProt(final long prot) {
        this.vmPageProt = prot;
    }

    public int vmFlags() {
        return vmFlags;
    }

    public void setVmFlags(final int flags) {
        this.vmFlags = flags;
    }

    public VmOperations ops() {
        return ops;
    }

    public void setOps(final VmOperations ops) {
        this.ops = ops;
    }

    public boolean contains(final long address) {
        return address >= start && address < end;
    }
}
