package org.ttmsim.mm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A mappable object for the mm tests: a run of frames starting at {@code basePfn}, mapped one page
 * offset per frame. Its fault handler inserts the faulting page with {@code vm_page_prot} passed through
 * {@link #faultProt} (identity by default), like a driver's {@code vm_ops->fault}; its mmap hook may
 * rewrite {@code vm_page_prot} (like {@code dma_mmap_coherent}). Tests can queue handler results.
 */
public final class TestObject implements FileOperations, VmOperations {
    private final Memory memory;
    private final AddressSpace mapping = new AddressSpace();
    private long basePfn;
    private final List<VmFault> faults = new ArrayList<>();
    private final Deque<Integer> queuedResults = new ArrayDeque<>();
    private LongUnaryOperator mmapProt = LongUnaryOperator.identity();
    private LongUnaryOperator faultProt = LongUnaryOperator.identity();
    private int mmapError;
    private boolean installNothing;

    public TestObject(final Memory memory, final long basePfn) {
        this.memory = memory;
        this.basePfn = basePfn;
    }

    /** The mmap hook sets {@code vm_page_prot = op(vm_page_prot)}. */
    public TestObject mmapProt(final LongUnaryOperator op) {
        this.mmapProt = op;
        return this;
    }

    /** Each fault inserts with {@code op(vm_page_prot)}. */
    public TestObject faultProt(final LongUnaryOperator op) {
        this.faultProt = op;
        return this;
    }

    /** The mmap hook refuses with this errno. */
    public TestObject refuseMmap(final int errno) {
        this.mmapError = errno;
        return this;
    }

    /** Faults return NOPAGE without inserting anything. */
    public TestObject installNothing() {
        this.installNothing = true;
        return this;
    }

    /** The next faults return these VM_FAULT_* codes (without inserting) before normal handling resumes. */
    public TestObject queueResults(final int... results) {
        for (final int r : results) {
            queuedResults.add(r);
        }
        return this;
    }

    public List<VmFault> faults() {
        return faults;
    }

    public long basePfn() {
        return basePfn;
    }

    /** The object's pages now live at {@code pfn} (a move); later faults map the new frames. */
    public void moveTo(final long pfn) {
        this.basePfn = pfn;
    }

    @Override
    public int mmap(final Vma vma) {
        if (mmapError != 0) {
            return mmapError;
        }
        vma.setVmFlags(vma.vmFlags() | VmFlags.VM_PFNMAP | VmFlags.VM_IO);
        vma.setVmPageProt(mmapProt.applyAsLong(vma.vmPageProt()));
        vma.setOps(this);
        return 0;
    }

    @Override
    public AddressSpace mapping() {
        return mapping;
    }

    @Override
    public int fault(final VmFault vmf) {
        faults.add(vmf);
        if (!queuedResults.isEmpty()) {
            return queuedResults.poll();
        }
        if (installNothing) {
            return VM_FAULT_NOPAGE;
        }
        final long prot = faultProt.applyAsLong(vmf.vma().vmPageProt());
        return memory.vmfInsertPfnProt(vmf.vma(), vmf.address(), basePfn + vmf.pgoff(), prot);
    }
}
