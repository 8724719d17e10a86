package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;
import org.ttmsim.hw.CpuCacheStamp;
import org.ttmsim.hw.CpuCacheWriteback;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;

/**
 * {@code cache-corruption}: a dirty CPU cache line was written back over DRAM data newer than the line's
 * own copy (the built-in scenarios cache-alias-*): typically a line dirtied through a C=1 alias that survived an
 * attribute change without a flush, written back by eviction after a device (or the other alias)
 * wrote the page.
 *
 * <p>Judged from emulated facts only, by the order in which data was <em>stored</em>: each
 * {@link EventKind#CACHE_WRITEBACK} event comes with the stamps of its lines
 * ({@link org.ttmsim.hw.CpuCache#lastWriteback()}): the age of the DRAM data each line copied when it was
 * filled (or of the whole-line CPU store that replaced it) and the age of the DRAM data the write-back
 * replaced. A stamp is when its data was stored (a device write, or a CPU store that reached DRAM in a
 * write-back), never when it reached DRAM. If the replaced data was stored after the data the line copied,
 * an access the line was not coherent with wrote newer data, and the write-back destroyed it. A dirty
 * alias written back late carries its old store time, so a newer line written back after it is not
 * reported (the kernel's zero fill of a page, written back during a later step, is older than a user's
 * store made after it). Evidence: the stale line's tag, the data it copied and its last store, the newer
 * data, the write-back. Judged when the write-back happens, reported with that step. SME_COHERENT does
 * not end the hazard for DMA: the CPU keeps one line per address, but a device write leaves a dirty
 * line of another key in place (d45829b351ee), to be written back over the device's data.
 *
 * <p>Cannot see: bytes (it judges whole 64-byte lines, so a partial CPU store that rewrote exactly the
 * other agent's bytes is still reported); stale lines still in the cache when the run ends (a latent
 * hazard, not yet corruption); a CPU load hitting a stale clean line ({@code cpu-garbage} sees that);
 * caches the model does not have (per-CPU private caches are one shared cache here; no non-temporal
 * stores; TDX poisoning of partially written private lines).
 */
public final class CacheCorruption extends Monitor {
    private static final int EVIDENCE_MAX = 32;
    private final Machine machine;
    /** The last CPU_WRITE per (pfn, key), and DMA_WRITE per pfn: to quote the writes behind a finding. */
    private final LastCpuWrites lastCpuWrite = new LastCpuWrites();
    private final Long2ObjectHashMap<Event> lastDeviceWrite = new Long2ObjectHashMap<>();
    private final List<String> findings = new ArrayList<>();
    private final List<String> evidence = new ArrayList<>();

    public CacheCorruption(final Machine machine) {
        this.machine = machine;
    }

    @Override
    public boolean listensTo(final EventKind kind) {
        return kind == EventKind.CPU_WRITE || kind == EventKind.DMA_WRITE || kind == EventKind.CACHE_WRITEBACK;
    }

    @Override
    public void onEvent(final Event event) {
        switch (event.kind()) {
            case CPU_WRITE:
                if (event.key() != null) {
                    lastCpuWrite.put(event.pfn(), event.key().ordinal(), event);
                }
                break;
            case DMA_WRITE:
                lastDeviceWrite.put(event.pfn(), event);
                break;
            case CACHE_WRITEBACK:
                judge(event, machine.cpuCache().lastWriteback());
                break;
            default:
                break;
        }
    }

    /**
     * The last CPU write event per (frame, key), in leaves of {@link #LEAF} neighbouring frames (a page clear
     * or a user's sweep writes frame after frame: the leaf at hand, not a hash probe per write). The leaf
     * at hand is forgotten after each step, so the state after a step does not depend on which frame was
     * written last.
     */
    private static final class LastCpuWrites {
        private static final int LEAF_SHIFT = 6;
        private static final int LEAF = 1 << LEAF_SHIFT;
        private static final int KEYS = 4;
        private final Long2ObjectHashMap<Event[]> leaves = new Long2ObjectHashMap<>();
        private long atHandNo = -1;
        private Event[] atHand;

        void put(final long pfn, final int key, final Event event) {
            final long no = pfn >>> LEAF_SHIFT;
            Event[] leaf = no == atHandNo ? atHand : leaves.get(no);
            if (leaf == null) {
                leaf = new Event[LEAF * KEYS];
                leaves.put(no, leaf);
            }
            atHandNo = no;
            atHand = leaf;
            leaf[slot(pfn, key)] = event;
        }

        Event get(final long pfn, final int key) {
            final Event[] leaf = leaves.get(pfn >>> LEAF_SHIFT);
            return leaf == null ? null : leaf[slot(pfn, key)];
        }

        void forgetLeafAtHand() {
            atHandNo = -1;
            atHand = null;
        }

        private static int slot(final long pfn, final int key) {
            return (int) (pfn & (LEAF - 1)) * KEYS + key;
        }
    }

    private void judge(final Event event, final CpuCacheWriteback wb) {
        if (wb.pfn() != event.pfn() || wb.key() != event.key() || wb.lines() == 0) {
            throw new IllegalStateException("cache write-back event without its stamps: " + event.traceLine());
        }
        // The lines whose DRAM data was stored after the data they copied (the run counts them as it is built).
        final int stale = wb.newerDramLines();
        final int first = wb.firstNewerDramLine();
        if (stale == 0) {
            return;
        }
        final String line = String.format("pa 0x%x (key %s)", wb.linePa(first), wb.key().label());
        findings.add(String.format("%s write-back of %s replaced newer data (%s) with the line's older copy (%s)%s",
                wb.cause().label(), line, CpuCacheStamp.describe(wb.dramBefore(first)),
                CpuCacheStamp.describe(wb.lineBase(first)),
                stale > 1 ? String.format("; %d of %d lines in the run stale", stale, wb.lines()) : ""));
        addEvidence(event, wb, first, line);
    }

    private void addEvidence(final Event event, final CpuCacheWriteback wb, final int i, final String line) {
        evidence.add("stale line " + line + ": copy of " + CpuCacheStamp.describe(wb.lineBase(i))
                + "; last stored by " + CpuCacheStamp.describe(wb.lineStore(i)));
        final Event store = lastCpuWrite.get(wb.pfn(), wb.key().ordinal());
        if (store != null && wb.lineStore(i) != CpuCacheStamp.NEVER
                && store.step() == CpuCacheStamp.step(wb.lineStore(i))) {
            evidence.add("  " + store.traceLine());
        }
        final long newer = wb.dramBefore(i);
        evidence.add("newer data: " + CpuCacheStamp.describe(newer));
        final Event device = lastDeviceWrite.get(wb.pfn());
        if (CpuCacheStamp.writer(newer) == CpuCacheStamp.Writer.UNCACHED && device != null
                && device.step() == CpuCacheStamp.step(newer)) {
            evidence.add("  " + device.traceLine());
        }
        evidence.add("overwritten by: " + event.traceLine());
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        lastCpuWrite.forgetLeafAtHand();
        if (findings.isEmpty()) {
            return;
        }
        out.add(new Violation(Invariant.CACHE_CORRUPTION, step, String.format("%d stale write-back(s); first: %s",
                findings.size(), findings.get(0)), evidence.subList(0, Math.min(evidence.size(), EVIDENCE_MAX))));
        findings.clear();
        evidence.clear();
    }
}
