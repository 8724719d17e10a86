package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.MmStruct;

/**
 * {@code attribute-alias}: after a step, one frame is reachable through translations with different
 * encryption attributes (unless the caches are coherent across them, SME_COHERENT) or with different
 * caching types (reference I3; Hellwig: x86 "doesn't allow aliasing of PTEs with different caching
 * attributes"). Sources: user PTEs, every TLB entry, kernel vmap PTEs and, for the encryption attribute,
 * the direct map of every RAM frame that another source reaches. Each aliased frame is reported at the
 * step where the alias appears (again only if it disappears and comes back). Cannot see the direct map's caching
 * type (the model does not track set_pages_wc), so the direct map never counts for caching conflicts.
 */
public final class AttributeAlias implements Monitor {
    private static final int PRIVATE = 1;
    private static final int SHARED = 2;
    private final Machine machine;
    private final DirectMap directMap;
    /** Frames aliased after the previous step: an alias is reported when it appears, not every step. */
    private java.util.Set<Long> known = new java.util.HashSet<>();

    public AttributeAlias(final Machine machine, final DirectMap directMap) {
        this.machine = machine;
        this.directMap = directMap;
    }

    @Override
    public void onEvent(final org.ttmsim.hw.Event event) {
        // Judged from state after each step.
    }

    /** What one frame is reached with: encryption bits, caching bits and one example per source. */
    private static final class Seen {
        int enc;
        int caching;
        final List<String> via = new ArrayList<>();
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        final TreeMap<Long, Seen> frames = new TreeMap<>();
        for (final MmStruct mm : view.processes()) {
            mm.forEachPte((vpn, pte) -> note(frames, pte, mm.name() + " va=0x" + Long.toHexString(vpn << 12), true));
        }
        view.kernel().initMm().forEachPte((vpn, pte) -> note(frames, pte, "vmap va=0x" + Long.toHexString(vpn << 12),
                true));
        // A TLB entry of the linear map carries the direct map's memory type, which the model does not
        // track: it counts for the encryption attribute only.
        machine.tlb().forEach((cpu, asid, vpn, pte) -> note(frames, pte, "TLB cpu " + cpu,
                !(asid == 0 && DirectMap.isLinear(vpn << 12) && Long.compareUnsigned(vpn << 12,
                        org.ttmsim.mm.Vmalloc.VMALLOC_START) < 0)));
        final List<String> found = new ArrayList<>();
        final java.util.Set<Long> now = new java.util.HashSet<>();
        for (final var e : frames.entrySet()) {
            final String problem = judge(e.getKey(), e.getValue());
            if (problem != null) {
                now.add(e.getKey());
                if (!known.contains(e.getKey())) {
                    found.add(problem);
                }
            }
        }
        known = now;
        if (!found.isEmpty()) {
            out.add(new Violation(Invariant.ATTRIBUTE_ALIAS, step, found.size() + " aliased frame(s); first: "
                    + found.get(0), found.subList(0, Math.min(found.size(), 16))));
        }
    }

    private void note(final TreeMap<Long, Seen> frames, final long pte, final String source,
            final boolean countCaching) {
        if (!Pte.present(pte)) {
            return;
        }
        final long pfn = Pte.pfn(pte, machine.cc().cbit());
        final Seen s = frames.computeIfAbsent(pfn, k -> new Seen());
        s.enc |= machine.cc().isPrivate(pte) ? PRIVATE : SHARED;
        if (countCaching) {
            s.caching |= 1 << Pte.caching(pte).ordinal();
        }
        if (s.via.size() < 4) {
            s.via.add(source + " " + machine.cc().attrLabel(pte) + " " + Pte.caching(pte).id());
        }
    }

    /** The problem with one frame, or null. */
    private String judge(final long pfn, final Seen s) {
        int enc = s.enc;
        final List<String> via = new ArrayList<>(s.via);
        if (machine.memory().isRam(pfn)) {
            final long dm = directMap.pte(pfn);
            enc |= machine.cc().isPrivate(dm) ? PRIVATE : SHARED;
            via.add("direct map " + machine.cc().attrLabel(dm));
        }
        final boolean encAlias = enc == (PRIVATE | SHARED) && !machine.config().cachesCoherentAcrossAliases();
        final boolean cacheAlias = Integer.bitCount(s.caching) > 1;
        if (encAlias || cacheAlias) {
            return (String.format("pfn 0x%x has %s%s: %s", pfn, encAlias ? "private and shared translations" : "",
                    cacheAlias ? (encAlias ? " and " : "") + "conflicting caching types" : "", String.join("; ", via)));
        }
        return null;
    }
}
