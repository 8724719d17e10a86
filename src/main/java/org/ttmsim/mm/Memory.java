package org.ttmsim.mm;

import org.ttmsim.hw.CcPlatform;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.release.Change;
import org.ttmsim.release.KernelRelease;

/**
 * Models the core of mm/memory.c: fault dispatch ({@code handle_mm_fault}), PFN insertion
 * ({@code vmf_insert_pfn_prot}) and PTE zapping ({@code zap_page_range_single},
 * {@code unmap_mapping_range}) with the TLB flush that must follow.
 */
public final class Memory {
    /** Faults retried at most this often before the model calls it a bug (bounded loop). */
    private static final int MAX_FAULT_RETRIES = 8;
    private final Machine machine;
    private final KernelRelease release;
    private final PatMemtype pat = new PatMemtype();

    public Memory(final Machine machine, final KernelRelease release) {
        this.machine = machine;
        this.release = release;
    }

    /** The memory types PAT records for RAM pages. */
    public PatMemtype pat() {
        return pat;
    }

    public Machine machine() {
        return machine;
    }

    /**
     * Handles a user fault at {@code address}: finds the VMA, checks the access against its flags and
     * calls its fault handler, retrying on VM_FAULT_RETRY.
     *
     * @return {@link Errno#OK}, {@link Errno#SIGSEGV} (no VMA or forbidden access), {@link Errno#SIGBUS},
     *         or for VM_FAULT_OOM {@link #outOfMemory()}'s outcome
     */
    public int handleMmFault(final MmStruct mm, final long address, final boolean write) {
        final long page = address & ~(Pte.PAGE_SIZE - 1);
        final Vma vma = mm.findVma(page);
        machine.ledger().charge(Counter.FAULTS, 1, machine.costs().faultNs());
        if (vma == null || (write && (vma.vmFlags() & VmFlags.VM_WRITE) == 0)
                || (vma.vmFlags() & VmFlags.VM_READ) == 0) {
            final String why = vma == null ? "no VMA: SIGSEGV" : "access not allowed by VMA: SIGSEGV";
            machine.bus().emit(EventKind.FAULT, -1, null, () -> faultSentence(mm, page, write, why));
            return Errno.SIGSEGV;
        }
        final long pgoff = vma.pgoff() + ((page - vma.start()) >>> Pte.PAGE_SHIFT);
        if (machine.bus().active()) {
            final String vmaName = vma.name();
            machine.bus().emit(EventKind.FAULT, -1, null, () -> faultSentence(mm, page, write, "vma " + vmaName
                    + " pgoff " + pgoff));
        } else {
            machine.bus().skip();
        }
        for (int attempt = 0; attempt < MAX_FAULT_RETRIES; attempt++) {
            final int ret = vma.ops().fault(new VmFault(vma, page, pgoff, write));
            if ((ret & VmOperations.VM_FAULT_RETRY) != 0) {
                continue;
            }
            if ((ret & VmOperations.VM_FAULT_SIGBUS) != 0) {
                return Errno.SIGBUS;
            }
            if ((ret & VmOperations.VM_FAULT_OOM) != 0) {
                return outOfMemory(mm, page);
            }
            if ((ret & VmOperations.VM_FAULT_SIGSEGV) != 0) {
                return Errno.SIGSEGV;
            }
            return Errno.OK;
        }
        throw new IllegalStateException("fault at 0x" + Long.toHexString(page) + " retried "
                + MAX_FAULT_RETRIES + " times");
    }

    /**
     * {@code pagefault_out_of_memory()} after a VM_FAULT_OOM: before v5.16 it runs the OOM killer, which
     * in a scenario's one-process world kills the faulting task; from v5.16
     * ({@link Change#PAGEFAULT_OOM_RETRIES}) it returns and the fault is retried, forever when the
     * handler keeps failing the same way.
     */
    private int outOfMemory(final MmStruct mm, final long page) {
        if (release.has(Change.PAGEFAULT_OOM_RETRIES)) {
            machine.bus().emit(EventKind.FAULT, -1, null, () -> faultSentence(mm, page, false,
                    "VM_FAULT_OOM: pagefault_out_of_memory() returns and the fault is retried forever"));
            return Errno.HANG;
        }
        machine.bus().emit(EventKind.FAULT, -1, null, () -> faultSentence(mm, page, false,
                "VM_FAULT_OOM: pagefault_out_of_memory() runs the OOM killer, which kills " + mm.name()));
        return Errno.SIGKILL;
    }

    private static String faultSentence(final MmStruct mm, final long page, final boolean write, final String what) {
        return String.format("%s %s fault at 0x%x: %s", mm.name(), write ? "write" : "read", page, what);
    }

    /**
     * {@code vmf_insert_pfn_prot()}: installs one PTE with an explicit protection. A present PTE is
     * left alone (insert_pfn() returns early when !pte_none), as in the kernel.
     *
     * @return VM_FAULT_NOPAGE
     */
    public int vmfInsertPfnProt(final Vma vma, final long address, final long pfn, final long requestedProt) {
        // track_pfn_insert(): PAT replaces the caching of a RAM page with the memtype recorded for it.
        final long prot = machine.memory().isRam(pfn)
                ? Pte.withCaching(requestedProt, pat.lookup(pfn)) : requestedProt;
        final MmStruct mm = vma.mm();
        final long vpn = address >>> Pte.PAGE_SHIFT;
        if (Pte.present(mm.pte(vpn))) {
            return VmOperations.VM_FAULT_NOPAGE;
        }
        final long pte = Pte.make(pfn, prot | Pte.PRESENT);
        mm.setPte(vpn, pte);
        machine.ledger().charge(Counter.PTES_INSERTED, 1, machine.costs().pteInsertNs());
        final CcPlatform cc = machine.cc();
        machine.bus().emit(EventKind.PTE_INSERT, pfn, cc.keyOf(pte), pte, new InsertSentence(mm.name(), address, pte,
                cc));
        return VmOperations.VM_FAULT_NOPAGE;
    }

    /** {@code vmf_insert_pfn()}: the same with the VMA's own {@code vm_page_prot}. */
    public int vmfInsertPfn(final Vma vma, final long address, final long pfn) {
        return vmfInsertPfnProt(vma, address, pfn, vma.vmPageProt());
    }

    /**
     * Zaps the PTEs of {@code [start, end)} in one VMA, then flushes the range from every CPU's TLB
     * ({@code zap_page_range_single} + {@code flush_tlb_range}).
     */
    public void zapVmaRange(final Vma vma, final long start, final long end) {
        final MmStruct mm = vma.mm();
        int zapped = 0;
        for (long va = start; va < end; va += Pte.PAGE_SIZE) {
            final long vpn = va >>> Pte.PAGE_SHIFT;
            final long pte = mm.pte(vpn);
            if (Pte.present(pte)) {
                mm.clearPte(vpn);
                zapped++;
                final long zappedVa = va;
                machine.bus().emit(EventKind.PTE_ZAP, Pte.pfn(pte, machine.cc().cbit()), null,
                        () -> String.format("%s va=0x%x", mm.name(), zappedVa));
            }
        }
        machine.ledger().charge(Counter.PTES_ZAPPED, zapped, 0);
        if (zapped > 0) {
            flushTlbRange(mm, start, end);
        }
    }

    /** {@code flush_tlb_range()}: an IPI to every CPU, unless the injected fault skips it. */
    public void flushTlbRange(final MmStruct mm, final long start, final long end) {
        if (machine.fires(Injection.SKIP_TLB_FLUSH)) {
            machine.fireInjection(Injection.SKIP_TLB_FLUSH, "flush_tlb_range " + mm.name());
            return;
        }
        for (long va = start; va < end; va += Pte.PAGE_SIZE) {
            machine.tlb().flushPage(mm.asid(), va >>> Pte.PAGE_SHIFT);
        }
        final int cpus = machine.tlb().cpus();
        machine.ledger().charge(Counter.TLB_SHOOTDOWNS, cpus, cpus * machine.costs().tlbShootdownPerCpuNs());
        machine.bus().emit(EventKind.TLB_FLUSH, -1, null,
                () -> String.format("%s [0x%x, 0x%x) on %d cpus", mm.name(), start, end, cpus));
    }

    /**
     * {@code unmap_mapping_range()}: zaps every user PTE, in every process, that maps object pages
     * {@code [firstPage, firstPage + pages)} of {@code mapping}.
     */
    public void unmapMappingRange(final AddressSpace mapping, final long firstPage, final long pages) {
        for (final Vma vma : mapping.vmas()) {
            final long lo = Math.max(firstPage, vma.pgoff());
            final long hi = Math.min(firstPage + pages, vma.pgoff() + vma.pages());
            if (lo < hi) {
                final long start = vma.start() + ((lo - vma.pgoff()) << Pte.PAGE_SHIFT);
                final long end = vma.start() + ((hi - vma.pgoff()) << Pte.PAGE_SHIFT);
                zapVmaRange(vma, start, end);
            }
        }
    }

    /** "p1 va=0x7f0000000000 PTE ... C=1(private)": a PTE insert's sentence, formatted when read. */
    private record InsertSentence(String who, long address, long pte, CcPlatform cc) implements Event.Detail {
        @Override
        public String format() {
            return String.format("%s va=0x%x %s %s", who, address, Pte.describe(pte, cc.cbit()), cc.attrLabel(pte));
        }
    }
}
