package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
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
    /** Caching types sit above the two encryption bits in a frame's attribute bits. */
    private static final int CACHING_SHIFT = 2;
    private static final int MAX_EXAMPLES = 4;
    private final Machine machine;
    private final DirectMap directMap;
    /** Frames aliased after the previous step: an alias is reported when it appears, not every step. */
    private java.util.Set<Long> known = new java.util.HashSet<>();
    /** Per frame reached after this step: its attribute bits (reused from step to step). */
    private final Long2LongHashMap seen = new Long2LongHashMap(0);

    public AttributeAlias(final Machine machine, final DirectMap directMap) {
        this.machine = machine;
        this.directMap = directMap;
    }

    @Override
    public void onEvent(final org.ttmsim.hw.Event event) {
        // Judged from state after each step.
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        // Pass 1, no strings: what reaches each frame. Most steps end here.
        seen.clear();
        forEachSource(view, (pte, kind, who, vpn, countCaching) -> {
            if (Pte.present(pte)) {
                final long pfn = Pte.pfn(pte, machine.cc().cbit());
                seen.put(pfn, seen.get(pfn) | attributes(pte, countCaching));
            }
        });
        final java.util.Set<Long> now = new java.util.HashSet<>();
        final List<Long> appeared = new ArrayList<>();
        seen.forEachLong((pfn, bits) -> {
            if (aliased(pfn, bits)) {
                now.add(pfn);
                if (!known.contains(pfn)) {
                    appeared.add(pfn);
                }
            }
        });
        known = now;
        if (appeared.isEmpty()) {
            return;
        }
        appeared.sort(null);
        final List<String> found = new ArrayList<>();
        final Long2ObjectHashMap<List<String>> via = examples(view, appeared);
        for (final long pfn : appeared) {
            found.add(describe(pfn, via.get(pfn)));
        }
        out.add(new Violation(Invariant.ATTRIBUTE_ALIAS, step, found.size() + " aliased frame(s); first: "
                + found.get(0), found.subList(0, Math.min(found.size(), 16))));
    }

    /** A translation that reaches a frame: {@code who} is a process index, -1 for vmap, or a TLB's CPU. */
    private interface SourceVisitor {
        void visit(long pte, SourceKind kind, int who, long vpn, boolean countCaching);
    }

    private enum SourceKind { USER, VMAP, TLB }

    /** Every source in report order: user PTEs (process, then va), vmap PTEs, TLB entries (cpu, asid, vpn). */
    private void forEachSource(final SystemView view, final SourceVisitor v) {
        final List<MmStruct> processes = view.processes();
        for (int i = 0; i < processes.size(); i++) {
            final int who = i;
            processes.get(i).forEachPte((vpn, pte) -> v.visit(pte, SourceKind.USER, who, vpn, true));
        }
        view.kernel().initMm().forEachPte((vpn, pte) -> v.visit(pte, SourceKind.VMAP, -1, vpn, true));
        // A TLB entry of the linear map carries the direct map's memory type, which the model does not
        // track: it counts for the encryption attribute only.
        machine.tlb().forEach((cpu, asid, vpn, pte) -> v.visit(pte, SourceKind.TLB, cpu, vpn,
                !(asid == 0 && DirectMap.isLinear(vpn << 12) && Long.compareUnsigned(vpn << 12,
                        org.ttmsim.mm.Vmalloc.VMALLOC_START) < 0)));
    }

    /** Encryption bits (PRIVATE/SHARED) and, above them, one bit per caching type when it counts. */
    private long attributes(final long pte, final boolean countCaching) {
        final long enc = machine.cc().isPrivate(pte) ? PRIVATE : SHARED;
        return countCaching ? enc | (1L << (CACHING_SHIFT + Pte.caching(pte).ordinal())) : enc;
    }

    /** Whether the frame has an encryption alias (the direct map included) or a caching conflict. */
    private boolean aliased(final long pfn, final long bits) {
        final boolean encAlias = (encryption(pfn, bits) == (PRIVATE | SHARED))
                && !machine.config().cachesCoherentAcrossAliases();
        return encAlias || Long.bitCount(bits >>> CACHING_SHIFT) > 1;
    }

    private long encryption(final long pfn, final long bits) {
        long enc = bits & (PRIVATE | SHARED);
        if (machine.memory().isRam(pfn)) {
            enc |= machine.cc().isPrivate(directMap.pte(pfn)) ? PRIVATE : SHARED;
        }
        return enc;
    }

    /** Pass 2, only for frames just found aliased: the first four sources of each, as text. */
    private Long2ObjectHashMap<List<String>> examples(final SystemView view, final List<Long> pfns) {
        final Long2ObjectHashMap<List<String>> via = new Long2ObjectHashMap<>();
        for (final long pfn : pfns) {
            via.put(pfn, new ArrayList<>(MAX_EXAMPLES));
        }
        final List<MmStruct> processes = view.processes();
        forEachSource(view, (pte, kind, who, vpn, countCaching) -> {
            if (!Pte.present(pte)) {
                return;
            }
            final List<String> list = via.get(Pte.pfn(pte, machine.cc().cbit()));
            if (list != null && list.size() < MAX_EXAMPLES) {
                final String source = switch (kind) {
                    case USER -> processes.get(who).name() + " va=0x" + Long.toHexString(vpn << 12);
                    case VMAP -> "vmap va=0x" + Long.toHexString(vpn << 12);
                    case TLB -> "TLB cpu " + who;
                };
                list.add(source + " " + machine.cc().attrLabel(pte) + " " + Pte.caching(pte).id());
            }
        });
        return via;
    }

    /** The report of one aliased frame: what is wrong and through which translations. */
    private String describe(final long pfn, final List<String> sources) {
        final long bits = seen.get(pfn);
        final List<String> via = new ArrayList<>(sources);
        if (machine.memory().isRam(pfn)) {
            via.add("direct map " + machine.cc().attrLabel(directMap.pte(pfn)));
        }
        final boolean encAlias = encryption(pfn, bits) == (PRIVATE | SHARED)
                && !machine.config().cachesCoherentAcrossAliases();
        final boolean cacheAlias = Long.bitCount(bits >>> CACHING_SHIFT) > 1;
        return String.format("pfn 0x%x has %s%s: %s", pfn, encAlias ? "private and shared translations" : "",
                cacheAlias ? (encAlias ? " and " : "") + "conflicting caching types" : "", String.join("; ", via));
    }
}
