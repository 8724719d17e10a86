package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;

/**
 * {@code stale-mapping}: after a step, a user PTE or a CPU's TLB entry for a buffer-object mapping still
 * reaches a frame that no longer backs that page of the object (what {@code ttm_bo_unmap_virtual()} before a move prevents). Judged by walking
 * every process's page table and every CPU's TLB against the objects' current backing; each stale
 * translation is reported at the step where it appears.
 *
 * <p>Judged after each step only: a user translation goes stale when a buffer's backing changes under
 * it, and the model has no path that makes one stale and removes it within the same step (TTM zaps
 * before it moves or frees, ttm_bo_unmap_virtual(); the injected skip-zap-on-move leaves the PTEs past
 * the step). Cannot see kernel maps going stale: a kmap or vmap is made and torn down under the buffer's
 * reservation within one step, and the TLB entries a torn-down vmap leaves until the lazy purge belong
 * to no object any more (the kernel never uses their addresses before the purge flushes them); their
 * hazard, an attribute alias, is {@link AttributeAlias}'s.
 */
public final class StaleMapping extends Monitor {
    private final Machine machine;
    /** Stale translations after the previous step: each is reported when it appears, not every step. */
    private java.util.Set<String> known = new java.util.HashSet<>();

    public StaleMapping(final Machine machine) {
        this.machine = machine;
    }

    @Override
    public boolean listensTo(final org.ttmsim.hw.EventKind kind) {
        return false; // judged from state after each step
    }

    @Override
    public void onEvent(final org.ttmsim.hw.Event event) {
        // Judged from state after each step.
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        final List<String> found = new ArrayList<>();
        final int cbit = machine.cc().cbit();
        for (final MmStruct mm : view.processes()) {
            for (final Vma vma : mm.vmas()) {
                if (vma.privateData() == null) {
                    continue;
                }
                checkVma(view, mm, vma, cbit, found);
            }
        }
        final java.util.Set<String> now = new java.util.HashSet<>(found);
        found.removeIf(known::contains);
        known = now;
        if (!found.isEmpty()) {
            out.add(new Violation(Invariant.STALE_MAPPING, step, found.size() + " stale translation(s); first: "
                    + found.get(0), found.subList(0, Math.min(found.size(), 16))));
        }
    }

    private void checkVma(final SystemView view, final MmStruct mm, final Vma vma, final int cbit,
            final List<String> found) {
        final Object bo = vma.privateData();
        final long base = view.pgoffBase(bo);
        for (long i = 0; i < vma.pages(); i++) {
            final long va = vma.start() + (i << Pte.PAGE_SHIFT);
            final long vpn = va >>> Pte.PAGE_SHIFT;
            final long objPage = vma.pgoff() - base + i;
            final long pte = mm.pte(vpn);
            final long tlbPte = machine.tlb().lookup(mm.cpu(), mm.asid(), vpn);
            if (pte == 0 && tlbPte == 0) {
                continue;
            }
            final long backing = view.backingPfn(bo, objPage);
            if (Pte.present(pte) && Pte.pfn(pte, cbit) != backing) {
                found.add(describe("PTE", mm, vma, va, Pte.pfn(pte, cbit), view.name(bo), objPage, backing));
            }
            if (tlbPte != 0 && Pte.pfn(tlbPte, cbit) != backing) {
                found.add(describe("TLB entry on cpu " + mm.cpu(), mm, vma, va, Pte.pfn(tlbPte, cbit), view.name(bo),
                        objPage, backing));
            }
        }
    }

    private static String describe(final String what, final MmStruct mm, final Vma vma, final long va,
            final long pfn, final String bo, final long objPage, final long backing) {
        return String.format("%s of %s mapping %s va=0x%x reaches pfn 0x%x, but page %d of %s is %s", what,
                mm.name(), vma.name(), va, pfn, objPage, bo,
                backing < 0 ? "not backed now" : "now at pfn 0x" + Long.toHexString(backing));
    }
}
