package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.collections.LongHashSet;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmResourceManager;
import org.ttmsim.ttm.TtmTt;

/** Builds the result's {@code state} (docs/SCENARIOS.md, "Results") and the report's picture of frames from the live objects. */
final class FinalState {
    private static final int MAX_FRAMES_PER_BO = 16;
    private static final int MAX_FRAMES = 128;

    private FinalState() {
    }

    /** {@code {placement, size, pin_count, tt: {populated, caching, flags}}}. */
    static Map<String, Object> of(final TtmBufferObject bo) {
        return of(bo, null);
    }

    /**
     * The same, with {@code tt.dma} (how the device reaches the populated pages of a buffer bound into
     * TT: {@code {addresses, segments, largest}}, and the driver's {@code max_segment} where it applies one)
     * when {@code addressing} is given.
     */
    static Map<String, Object> of(final TtmBufferObject bo, final org.ttmsim.driver.DeviceAddressing addressing) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("placement", placement(bo));
        m.put("size", bo.size());
        m.put("pin_count", (long) bo.pinCount());
        final TtmTt tt = bo.ttm();
        if (tt != null) {
            final Map<String, Object> t = new LinkedHashMap<>();
            t.put("populated", tt.isPopulated());
            t.put("caching", tt.caching().id());
            t.put("flags", flagNames(tt.pageFlags()));
            if (addressing != null && tt.isPopulated() && bo.resource() != null
                    && bo.resource().memType() == TtmPlace.PL_TT) {
                t.put("dma", addressing.describe(bo));
            }
            m.put("tt", t);
        }
        return m;
    }

    static String placement(final TtmBufferObject bo) {
        return bo.resource() == null ? "none" : TtmPlace.memTypeName(bo.resource().memType());
    }

    /** The result's spelling of tt flags: {@code zero-alloc}, {@code decrypted}, ... (PRIV_POPULATED is internal). */
    static List<String> flagNames(final int flags) {
        final List<String> l = new ArrayList<>();
        final String[] names = {"swapped", "zero-alloc", "external", "external-mappable", "decrypted", "backed-up"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                l.add(names[bit]);
            }
        }
        return l;
    }

    /** {@code {system: {size, usage}, tt: ..., vram: ...}} for every registered manager. */
    static Map<String, Object> managers(final TtmDevice bdev) {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int type = 0; type < TtmDevice.TTM_NUM_MEM_TYPES; type++) {
            final TtmResourceManager man = bdev.managerType(type);
            if (man == null) {
                continue;
            }
            final Map<String, Object> e = new LinkedHashMap<>();
            e.put("size", man.size());
            e.put("usage", man.usage());
            m.put(TtmPlace.memTypeName(type), e);
        }
        return m;
    }

    /**
     * The frames backing live BOs (the first {@value #MAX_FRAMES_PER_BO} pages of each, at most
     * {@value #MAX_FRAMES} in all), with every user PTE and TLB entry reaching them. Only PTEs that reach a
     * reported frame are described: a mapping of a 64 MiB buffer has 16,384 of them.
     */
    static List<RunResult.FrameInfo> frames(final World w, final TreeMap<Long, List<String>> mappers) {
        final Machine machine = w.machine();
        final List<String> names = new ArrayList<>();
        final List<Long> pageNos = new ArrayList<>();
        final List<Long> pfns = new ArrayList<>();
        final LongHashSet reported = new LongHashSet();
        for (final Map.Entry<String, TtmBufferObject> e : w.bos().entrySet()) {
            final TtmBufferObject bo = e.getValue();
            final long pages = Math.min(bo.numPages(), MAX_FRAMES_PER_BO);
            for (long p = 0; p < pages && pfns.size() < MAX_FRAMES; p++) {
                final long pfn = w.backingPfn(bo, p);
                if (pfn >= 0) {
                    names.add(e.getKey());
                    pageNos.add(p);
                    pfns.add(pfn);
                    reported.add(pfn);
                }
            }
        }
        for (final MmStruct mm : w.processes()) {
            for (final Vma vma : mm.vmas()) {
                for (long va = vma.start(); va < vma.end(); va += Pte.PAGE_SIZE) {
                    final long pte = mm.pte(va >>> Pte.PAGE_SHIFT);
                    if (Pte.present(pte) && reported.contains(Pte.pfn(pte, machine.cc().cbit()))) {
                        mappers.computeIfAbsent(Pte.pfn(pte, machine.cc().cbit()), k -> new ArrayList<>())
                                .add(String.format("%s:%s va=0x%x %s %s", mm.name(), vma.name(), va,
                                        machine.cc().attrLabel(pte), Pte.caching(pte).id()));
                    }
                }
            }
        }
        final List<RunResult.FrameInfo> out = new ArrayList<>();
        for (int i = 0; i < pfns.size(); i++) {
            final long pfn = pfns.get(i);
            out.add(new RunResult.FrameInfo(pfn, kind(machine, w, pfn), names.get(i) + " page " + pageNos.get(i),
                    state(machine, w, pfn), mappers.getOrDefault(pfn, List.of())));
        }
        return out;
    }

    private static String kind(final Machine m, final World w, final long pfn) {
        if (m.memory().isVram(pfn)) {
            return "vram";
        }
        return w.kernel().swiotlb().contains(pfn << Pte.PAGE_SHIFT) ? "swiotlb" : "ram";
    }

    private static String state(final Machine m, final World w, final long pfn) {
        if (m.memory().isVram(pfn)) {
            return "device memory";
        }
        final String dm = "direct map " + m.cc().attrLabel(w.kernel().directMap().pte(pfn));
        if (!m.mode().guestMemEncrypt()) {
            return dm;
        }
        return (m.frameStates().isPrivate(pfn) ? "private" : "shared") + ", " + dm;
    }
}
