package org.ttmsim.mm;

/**
 * Models {@code struct vm_fault} (include/linux/mm.h): the faulting VMA, address and page offset.
 *
 * @param vma     the VMA the address falls in
 * @param address the page-aligned faulting user address
 * @param pgoff   the page offset into the mapped object ({@code vma->vm_pgoff} + page index)
 * @param write   whether the access was a write ({@code FAULT_FLAG_WRITE})
 */
public record VmFault(Vma vma, long address, long pgoff, boolean write) {
}
