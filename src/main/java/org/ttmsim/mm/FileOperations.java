package org.ttmsim.mm;

/** Models the {@code mmap} member of {@code struct file_operations}: the driver's hook at mmap time. */
public interface FileOperations {
    /**
     * Called by {@code do_mmap} with the new VMA; may set flags, {@code vm_page_prot} and ops, or refuse.
     *
     * @return 0 or a negative errno (the mmap then fails with it)
     */
    int mmap(Vma vma);

    /** The address space the object's pages are reverse-mapped in. */
    AddressSpace mapping();
}
