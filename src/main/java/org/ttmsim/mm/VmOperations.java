package org.ttmsim.mm;

/** Models {@code struct vm_operations_struct}: the VMA's fault and close handlers (include/linux/mm.h). */
public interface VmOperations {
    /** {@code VM_FAULT_NOPAGE}: the handler installed the PTE(s) itself. */
    int VM_FAULT_NOPAGE = 0x100;
    int VM_FAULT_OOM = 0x1;
    int VM_FAULT_SIGBUS = 0x2;
    int VM_FAULT_SIGSEGV = 0x40;
    /** {@code VM_FAULT_ERROR}: the codes that mean the fault failed (OOM, SIGBUS, SIGSEGV, ...). */
    int VM_FAULT_ERROR = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV;
    /** The handler dropped the lock and the fault must be retried. */
    int VM_FAULT_RETRY = 0x400;

    /** Handles a fault on {@code vmf.vma()}; returns a VM_FAULT_* code. */
    int fault(VmFault vmf);

    /** {@code close}: the VMA is going away (munmap); drop what it held. */
    default void close(final Vma vma) {
    }
}
