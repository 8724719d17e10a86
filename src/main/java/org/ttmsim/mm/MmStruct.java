package org.ttmsim.mm;

import java.util.Map;
import java.util.TreeMap;
import org.ttmsim.hw.Pte;
import org.ttmsim.hw.PteTable;

/**
 * Models {@code struct mm_struct} (include/linux/mm_types.h): one address space with its VMAs and its
 * page table. The page table keeps only its last level, VPN → PTE (a {@code long}, see {@link Pte}) in
 * 512-entry PTE pages ({@link PteTable}); the upper levels carry nothing the model needs. ASID 0 is the
 * kernel's {@code init_mm}.
 */
public final class MmStruct {
    /** Where this model's user mappings start (deterministic, like a fixed mmap_base). */
    public static final long USER_MMAP_BASE = 0x7f00_0000_0000L;
    private final int asid;
    private final String name;
    private final int cpu;
    private final PteTable pageTable = new PteTable();
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    /** The VMA {@link #findVma} found last (mm->vmacache): faults come in runs over one mapping. */
    private Vma lastFound;
    private long mmapCursor = USER_MMAP_BASE;

    /**
     * @param asid address-space id, 0 for the kernel
     * @param name the process name (scenario {@code process:})
     * @param cpu  the CPU the process runs on (whose TLB it fills)
     */
    public MmStruct(final int asid, final String name, final int cpu) {
        this.asid = asid;
        this.name = name;
        this.cpu = cpu;
    }

    public int asid() {
        return asid;
    }

    public String name() {
        return name;
    }

    public int cpu() {
        return cpu;
    }

    /** The PTE for a virtual page, or 0 (pte_none). */
    public long pte(final long vpn) {
        return pageTable.get(vpn);
    }

    public void setPte(final long vpn, final long pte) {
        pageTable.put(vpn, pte);
    }

    public void clearPte(final long vpn) {
        pageTable.remove(vpn);
    }

    /** Present PTEs. */
    public int ptes() {
        return pageTable.size();
    }

    /** Visits every present PTE, in ascending VPN order. */
    public void forEachPte(final org.agrona.collections.LongLongConsumer consumer) {
        pageTable.forEach(consumer);
    }

    /** Reserves an unmapped range (get_unmapped_area), with a guard page between mappings. */
    public long getUnmappedArea(final long len) {
        final long start = mmapCursor;
        mmapCursor += len + Pte.PAGE_SIZE;
        return start;
    }

    public void insertVma(final Vma vma) {
        vmas.put(vma.start(), vma);
        lastFound = null;
    }

    public void removeVma(final Vma vma) {
        vmas.remove(vma.start());
        lastFound = null;
    }

    /** find_vma(): the VMA containing the address, or null. */
    public Vma findVma(final long address) {
        final Vma last = lastFound;
        if (last != null && last.contains(address)) {
            return last;
        }
        final Map.Entry<Long, Vma> e = vmas.floorEntry(address);
        final Vma found = e != null && e.getValue().contains(address) ? e.getValue() : null;
        if (found != null) {
            lastFound = found;
        }
        return found;
    }

    public Iterable<Vma> vmas() {
        return vmas.values();
    }
}
