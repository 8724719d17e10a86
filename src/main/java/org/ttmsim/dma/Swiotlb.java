package org.ttmsim.dma;

import java.util.Map;
import java.util.TreeMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.CpuAccess;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.MmStruct;

/**
 * Models the software IO TLB (kernel/dma/swiotlb.c): a bounce pool of 2 KiB slots
 * ({@code IO_TLB_SIZE}) grouped in segments of 128 ({@code IO_TLB_SEGSIZE}), so one mapping is at
 * most 256 KiB. In confidential guests the pool is shared (decrypted at boot); data is copied only at
 * map, unmap and sync, by the CPU through the direct map.
 *
 * <p>Bounce copies are CPU copies through the direct map, each side with its own attribute; they are
 * not judged as reads of a buffer ({@code cpu-garbage}): TTM maps at populate, before the tt is the
 * buffer's backing, and unmaps at unpopulate, copying the slot into pages being freed. What a stale
 * slot does shows when the device reads it, and when a move copies the original the device's write
 * never reached (see {@link org.ttmsim.ttm.TtmCopyReads}).
 *
 * <p>The kernel keeps a per-slot array ({@code io_tlb_slot}); the model keeps only the slots in use, as
 * runs in slot order, so an idle pool of any size costs no heap. Allocation is the kernel's first fit
 * within a segment, found by walking the gaps between runs.
 */
public final class Swiotlb {
    public static final int IO_TLB_SHIFT = 11;
    public static final int IO_TLB_SIZE = 1 << IO_TLB_SHIFT;
    public static final int IO_TLB_SEGSIZE = 128;
    /** {@code swiotlb_max_mapping_size()}: 256 KiB. */
    public static final int MAX_MAPPING_SIZE = IO_TLB_SIZE * IO_TLB_SEGSIZE;

    private final Machine machine;
    private final CpuAccess cpu;
    private final MmStruct initMm;
    private final long basePa;
    private final int nslabs;
    /** Before v6.1 a bounce with no pool panics the kernel ("swiotlb: Don't panic!"). */
    private final boolean panicsWithoutPool;
    /** Slots in use: first slot of each mapping -> its slot count, in slot order. */
    private final TreeMap<Integer, Integer> usedRuns = new TreeMap<>();
    private final Long2ObjectHashMap<Mapping> mappings = new Long2ObjectHashMap<>();
    private int usedSlots;

    private record Mapping(long origPa, int size, int firstSlot, int slots) {
    }

    public Swiotlb(final Machine machine, final CpuAccess cpu, final MmStruct initMm, final long basePa,
            final long bytes) {
        this(machine, cpu, initMm, basePa, bytes, false);
    }

    /**
     * @param bytes             the pool's size; 0 when the boot could not allocate one
     * @param panicsWithoutPool whether a bounce with no pool panics (before v6.1) rather than failing
     */
    public Swiotlb(final Machine machine, final CpuAccess cpu, final MmStruct initMm, final long basePa,
            final long bytes, final boolean panicsWithoutPool) {
        this.panicsWithoutPool = panicsWithoutPool;
        this.machine = machine;
        this.cpu = cpu;
        this.initMm = initMm;
        this.basePa = basePa;
        this.nslabs = (int) (bytes >>> IO_TLB_SHIFT);
    }

    public long basePa() {
        return basePa;
    }

    public long bytes() {
        return (long) nslabs << IO_TLB_SHIFT;
    }

    public int usedSlots() {
        return usedSlots;
    }

    /**
     * {@code swiotlb_tbl_map_single()}: reserves slots and copies the original buffer in, whatever the
     * direction.
     *
     * @return the bounce buffer's physical address, or -1 when there is no pool (from v6.1), the size
     *         exceeds 256 KiB, or no run of free slots within one segment is left (the caller sees
     *         DMA_MAPPING_ERROR / -ENOMEM)
     * @throws org.ttmsim.hw.GuestTerminated when there is no pool before v6.1: the kernel panics
     */
    public long map(final long origPa, final int size, final DmaDirection dir) {
        if (size <= 0) {
            throw new IllegalArgumentException("swiotlb mapping of " + size + " bytes");
        }
        final String noPool = "Can not allocate SWIOTLB buffer earlier and can't now provide you with the DMA bounce"
                + " buffer";
        if (nslabs == 0) {
            if (panicsWithoutPool) {
                machine.bus().emit(EventKind.BOUNCE, -1, null, "swiotlb_tbl_map_single: panic: " + noPool);
                throw new org.ttmsim.hw.GuestTerminated("kernel panic: " + noPool + " (the boot found no room for"
                        + " the pool)");
            }
            machine.bus().emit(EventKind.BOUNCE, -1, null, "swiotlb_tbl_map_single: " + noPool
                    + ": DMA_MAPPING_ERROR");
            return -1;
        }
        final int slots = (size + IO_TLB_SIZE - 1) >>> IO_TLB_SHIFT;
        if (size > MAX_MAPPING_SIZE) {
            machine.bus().emit(EventKind.BOUNCE, -1, null, String.format("swiotlb buffer is full (sz: %d bytes), total"
                    + " %d (slots), used %d (slots): one mapping is at most 128 slots (256 KiB)", size, nslabs,
                    usedSlots));
            return -1;
        }
        final int first = findFree(slots);
        if (first < 0) {
            machine.bus().emit(EventKind.BOUNCE, -1, null, String.format(
                    "swiotlb buffer is full (sz: %d bytes), total %d (slots), used %d (slots)", size, nslabs,
                    usedSlots));
            return -1;
        }
        usedRuns.put(first, slots);
        usedSlots += slots;
        final long tlbPa = basePa + ((long) first << IO_TLB_SHIFT);
        mappings.put(tlbPa, new Mapping(origPa, size, first, slots));
        // In every direction, FROM_DEVICE included: a device that writes only part of the buffer must
        // leave the rest as it was, not as the slot's previous user left it (swiotlb_tbl_map_single()).
        bounce(origPa, tlbPa, size, "map: orig -> bounce");
        return tlbPa;
    }

    /** {@code swiotlb_tbl_unmap_single()}: copies back for the CPU and frees the slots. */
    public void unmap(final long tlbPa, final DmaDirection dir) {
        final Mapping m = mappings.remove(tlbPa);
        if (m == null) {
            throw new IllegalStateException("swiotlb unmap of unknown address 0x" + Long.toHexString(tlbPa));
        }
        if (dir.fromDevice()) {
            bounce(tlbPa, m.origPa(), m.size(), "unmap: bounce -> orig");
        }
        usedRuns.remove(m.firstSlot());
        usedSlots -= m.slots();
    }

    /** {@code swiotlb_sync_single_for_device/cpu()}. */
    public void sync(final long tlbPa, final boolean forDevice) {
        final Mapping m = mappings.get(tlbPa);
        if (m == null) {
            throw new IllegalStateException("swiotlb sync of unknown address 0x" + Long.toHexString(tlbPa));
        }
        if (forDevice) {
            bounce(m.origPa(), tlbPa, m.size(), "sync for device");
        } else {
            bounce(tlbPa, m.origPa(), m.size(), "sync for cpu");
        }
    }

    public boolean contains(final long pa) {
        return pa >= basePa && pa < basePa + bytes();
    }

    /** The lowest first slot of {@code slots} free slots inside one segment, or -1. */
    private int findFree(final int slots) {
        int gapStart = 0;
        for (final Map.Entry<Integer, Integer> run : usedRuns.entrySet()) {
            final int fit = firstFitIn(gapStart, run.getKey(), slots);
            if (fit >= 0) {
                return fit;
            }
            gapStart = run.getKey() + run.getValue();
        }
        return firstFitIn(gapStart, nslabs, slots);
    }

    /** The lowest start in free gap [from, to) whose {@code slots} slots share a segment, or -1. */
    private static int firstFitIn(final int from, final int to, final int slots) {
        int start = from;
        if (start / IO_TLB_SEGSIZE != (start + slots - 1) / IO_TLB_SEGSIZE) {
            start = (start / IO_TLB_SEGSIZE + 1) * IO_TLB_SEGSIZE; // would straddle: next segment
        }
        return start + slots <= to ? start : -1;
    }

    /** swiotlb_bounce(): a CPU memcpy through the direct map (each side with its own attribute). */
    private void bounce(final long fromPa, final long toPa, final int size, final String what) {
        final byte[] buf = new byte[size];
        cpu.access(initMm, DirectMap.va(fromPa), buf, 0, size, false, null);
        cpu.access(initMm, DirectMap.va(toPa), buf, 0, size, true, null);
        machine.ledger().charge(Counter.SWIOTLB_BYTES, size, 0);
        machine.ledger().chargePs((long) size * machine.costs().copyPsPerByte());
        machine.bus().emit(EventKind.BOUNCE, toPa >>> Pte.PAGE_SHIFT, null, () -> String.format(
                "swiotlb %s, %d bytes 0x%x -> 0x%x", what, size, fromPa, toPa));
    }
}
