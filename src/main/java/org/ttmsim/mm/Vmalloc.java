package org.ttmsim.mm;

import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;

/**
 * Models {@code vmap()} / {@code vunmap()} (mm/vmalloc.c): kernel virtual mappings of arbitrary pages
 * with an explicit protection, in {@code init_mm}'s page table.
 */
public final class Vmalloc {
    /** {@code VMALLOC_START} with 4-level paging. */
    public static final long VMALLOC_START = 0xffff_c900_0000_0000L;
    private final Machine machine;
    private final MmStruct initMm;
    private final Memory memory;
    private long cursor = VMALLOC_START;

    public Vmalloc(final Memory memory, final MmStruct initMm) {
        this.memory = memory;
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
        machine.bus().emit(EventKind.KMAP, count > 0 ? pfns[0] : -1, machine.cc().keyOf(prot),
                String.format("vmap %d pages at 0x%x, %s %s", count, start, Pte.caching(prot).id(),
                        machine.cc().attrLabel(prot)));
        return start;
    }

    /** Unmaps a vmap area and flushes it from every TLB. */
    public void vunmap(final long start, final int count) {
        for (int i = 0; i < count; i++) {
            initMm.clearPte((start >>> Pte.PAGE_SHIFT) + i);
        }
        memory.flushTlbRange(initMm, start, start + ((long) count << Pte.PAGE_SHIFT));
    }
}
