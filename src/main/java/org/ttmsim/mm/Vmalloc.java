package org.ttmsim.mm;

import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;

/**
 * Models {@code vmap()} / {@code vunmap()} (mm/vmalloc.c): kernel virtual mappings of arbitrary pages
 * with an explicit protection, in {@code init_mm}'s page table, and the lazy TLB flush of freed areas.
 *
 * <p>{@code vunmap()} (and {@code iounmap()}) end in {@code free_unmap_vmap_area()}:
 * {@code vunmap_range_noflush()} clears the PTEs without a TLB flush ({@code flush_tlb_kernel_range()}
 * only under {@code debug_pagealloc}), and {@code free_vmap_area_noflush()} puts the area on the
 * purge list. Every CPU may keep the area's TLB entries until the purge: the <em>lingering alias</em>
 * of a torn-down kernel map (its translations still count for {@code attribute-alias}). The purge,
 * {@code __purge_vmap_area_lazy()}, flushes the union of the listed areas with one
 * {@code flush_tlb_kernel_range()} (one shootdown round on every CPU) when
 * <ul>
 * <li>{@code vm_unmap_aliases()} runs ({@link #vmUnmapAliases}): {@code __set_memory_enc_pgtable()} and
 * {@code change_page_attr_set_clr()} (the {@code set_pages_array_*()} of the pool) call it first, so
 * that no alias of the old attribute survives an attribute change; or</li>
 * <li>the lazily freed pages exceed {@code lazy_max_pages()} = {@code fls(num_online_cpus()) * (32 MiB
 * / PAGE_SIZE)} (the purge runs at once in the model; kernels that defer it to {@code drain_vmap_work}
 * run it soon after, on the same list).</li>
 * </ul>
 * An area counts its guard page ({@code __get_vm_area_node()} adds one unless {@code VM_NO_GUARD}), as
 * {@code vmap_lazy_nr} does. The injected {@code skip-tlb-flush} does not reach the purge's flush.
 * Freed virtual addresses are never reused (the kernel reuses one only after the purge).
 */
public final class Vmalloc {
    /** {@code VMALLOC_START} with 4-level paging. */
    public static final long VMALLOC_START = 0xffff_c900_0000_0000L;
    /** {@code 32UL * 1024 * 1024 / PAGE_SIZE}: the per-log2(CPUs) share of {@code lazy_max_pages()}. */
    static final long LAZY_PAGES_PER_CPU_ORDER = (32L << 20) >>> Pte.PAGE_SHIFT;
    private final Machine machine;
    private final MmStruct initMm;
    private long cursor = VMALLOC_START;
    /** {@code vmap_lazy_nr}: pages (guard pages included) of areas freed and not yet purged. */
    private long lazyPages;
    private int lazyAreas;
    /** The union of the areas waiting for the purge: [lazyStart, lazyEnd). */
    private long lazyStart;
    private long lazyEnd;

    public Vmalloc(final Memory memory, final MmStruct initMm) {
        this.machine = memory.machine();
        this.initMm = initMm;
    }

    /** Maps the frames contiguously; returns the kernel virtual address. */
    public long vmap(final long[] pfns, final int count, final long prot) {
        final long start = cursor;
        cursor += ((long) count + 1) << Pte.PAGE_SHIFT;
        for (int i = 0; i < count; i++) {
            initMm.setPte((start >>> Pte.PAGE_SHIFT) + i, Pte.make(pfns[i], prot | Pte.PRESENT));
        }
        machine.bus().emit(EventKind.KMAP, count > 0 ? pfns[0] : -1, machine.cc().keyOf(prot), start,
                String.format("vmap %d pages at 0x%x, %s %s", count, start, Pte.caching(prot).id(),
                        machine.cc().attrLabel(prot)));
        return start;
    }

    /**
     * {@code vunmap()}: clears the area's PTEs without a TLB flush and queues it for the lazy purge,
     * which runs at once when the lazily freed pages exceed {@link #lazyMaxPages()}.
     */
    public void vunmap(final long start, final int count) {
        long first = -1;
        for (int i = 0; i < count; i++) {
            final long vpn = (start >>> Pte.PAGE_SHIFT) + i;
            if (first < 0 && Pte.present(initMm.pte(vpn))) {
                first = Pte.pfn(initMm.pte(vpn), machine.cc().cbit());
            }
            initMm.clearPte(vpn);
        }
        final long end = start + (((long) count + 1) << Pte.PAGE_SHIFT);
        lazyStart = lazyAreas == 0 ? start : Math.min(lazyStart, start);
        lazyEnd = lazyAreas == 0 ? end : Math.max(lazyEnd, end);
        lazyAreas++;
        lazyPages += count + 1L;
        final long lazy = lazyPages;
        machine.bus().emit(EventKind.VUNMAP, first, null, String.format("vunmap %d pages at 0x%x: PTEs cleared, no"
                + " TLB flush (free_vmap_area_noflush: %d pages lazily freed, purge above %d)", count, start, lazy,
                lazyMaxPages()));
        if (lazyPages > lazyMaxPages()) {
            purge("lazy_max_pages() exceeded");
        }
    }

    /**
     * {@code vm_unmap_aliases()}: purges the lazily freed areas now (one {@code flush_tlb_kernel_range()}
     * of their union); nothing when none wait. The model has no per-CPU vmap blocks
     * ({@code vm_map_ram}), so there is nothing else to flush.
     */
    public void vmUnmapAliases() {
        if (lazyAreas > 0) {
            purge("vm_unmap_aliases()");
        }
    }

    /** {@code lazy_max_pages()}: {@code fls(num_online_cpus()) * (32 MiB / PAGE_SIZE)}. */
    public long lazyMaxPages() {
        final int cpus = machine.tlb().cpus();
        return (32 - Integer.numberOfLeadingZeros(cpus)) * LAZY_PAGES_PER_CPU_ORDER;
    }

    /** Pages of freed areas whose TLB entries may still linger ({@code vmap_lazy_nr}). */
    public long lazyPages() {
        return lazyPages;
    }

    /** {@code __purge_vmap_area_lazy()}: one {@code flush_tlb_kernel_range()} of the union, every CPU. */
    private void purge(final String why) {
        final long start = lazyStart;
        final long end = lazyEnd;
        final int areas = lazyAreas;
        machine.tlb().flushRange(initMm.asid(), start >>> Pte.PAGE_SHIFT, end >>> Pte.PAGE_SHIFT);
        final int cpus = machine.tlb().cpus();
        machine.ledger().charge(Counter.TLB_SHOOTDOWNS, cpus, cpus * machine.costs().tlbShootdownPerCpuNs());
        machine.bus().emit(EventKind.TLB_FLUSH, -1, null, String.format("%s: purge of %d lazily freed vmap area(s),"
                + " flush_tlb_kernel_range [0x%x, 0x%x) on %d cpus", why, areas, start, end, cpus));
        lazyAreas = 0;
        lazyPages = 0;
    }
}
