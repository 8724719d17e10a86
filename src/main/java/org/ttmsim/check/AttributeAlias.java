package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.collections.LongLongFunction;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.hw.Tlb;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vmalloc;

/**
 * {@code attribute-alias}: one frame is reachable through translations with different encryption
 * attributes (unless the caches are coherent across them, SME_COHERENT) or with different caching types
 * (Hellwig: x86 "doesn't allow aliasing of PTEs with different caching attributes",
 * https://lore.kernel.org/r/20191031215415.GA9809@infradead.org).
 * Sources: user PTEs, every TLB entry (those a torn-down kernel map leaves until the lazy vmap purge
 * included: the lingering alias), kernel vmap/ioremap PTEs and, for the encryption attribute, the direct
 * map of every RAM frame that another source reaches.
 *
 * <p><b>When.</b> Judged at the moment the alias appears, not only after a step: when a translation is
 * created (a user PTE insert, {@link org.ttmsim.hw.EventKind#PTE_INSERT}; a vmap or ioremap,
 * {@link org.ttmsim.hw.EventKind#KMAP}; a TLB fill, {@link org.ttmsim.hw.EventKind#TLB_FILL}) its
 * attribute is checked against the frame's other live translations and its direct-map attribute at that
 * moment, and when a conversion changes the direct map ({@link org.ttmsim.hw.EventKind#CONVERSION}) each
 * converted frame is checked against its live translations. So a kernel map made, used and torn down
 * inside one step is judged like a lasting one. After each step the whole state is walked as well, which
 * also catches attribute changes that publish no per-PTE event (mprotect's PTE rewrite, whose PTEs
 * outlive the step). Each aliased frame is reported at the step where the alias appears (again only if
 * it disappears at a step's end and comes back later), with the translations that reach it at the moment
 * it was found (up to 16 frames described per step).
 *
 * <p><b>How, cheaply.</b> The direct map and the linear map's TLB entries of a frame are read exactly at
 * each event. The other translations of a frame are known from the last full walk plus every creation
 * since; a removal (zap, TLB flush, munmap, vunmap) makes that an over-approximation, resolved by a new
 * walk only when it would decide an alias. The linear map's TLB entries (one per page the kernel touched)
 * are walked whole after the first step only: an entry is filled from the direct map, so only a
 * conversion can make it differ, and after that the converted frames' entries are looked up. A step that
 * only added translations, each with its event, and converted nothing (the page tables' and TLBs' entries
 * number those after the last step plus those added) is judged without a walk: nothing can have stopped
 * being aliased, and a frame that started was reported when its last translation was added.
 * A user touching a 64 MiB buffer adds 16 PTEs per fault; walking its 16,384 PTEs and their TLB entries
 * after each step was a sixth of such a cell.
 *
 * <p><b>Cannot see.</b> The direct map's caching type (the model does not track set_pages_wc), so the
 * direct map and its TLB entries never count for caching conflicts. A TLB fill copies a present PTE
 * whose attribute was judged when it was made, so a fill can only repeat a verdict (it is judged anyway,
 * as the first use of a translation); the linear map's fills publish no event, as they copy the direct
 * map. An alias that appears and disappears within one step on a frame already aliased at the previous
 * step's end is taken as the same alias.
 */
public final class AttributeAlias extends Monitor {
    private static final int PRIVATE = 1;
    private static final int SHARED = 2;
    /** Caching types sit above the two encryption bits in a frame's attribute bits. */
    private static final int CACHING_SHIFT = 2;
    /** Bits of one more translation of a frame added to its bits so far (one probe of the map, not two). */
    private static final LongLongFunction OR = (a, b) -> a | b;
    private static final int MAX_EXAMPLES = 4;
    private static final int MAX_DESCRIBED = 16;
    private final Machine machine;
    private final Kernel kernel;
    private final DirectMap directMap;
    private final SystemView view;
    /** Frames aliased after the previous step: an alias is reported when it appears, not every step. */
    private LongHashSet known = new LongHashSet();
    /** Frames reported at event time during this step. */
    private final LongHashSet reported = new LongHashSet();
    /** This step's event-time findings, described when found (at most {@link #MAX_DESCRIBED}). */
    private final List<String> findings = new ArrayList<>();
    private int findingCount;
    /**
     * Per frame reached, its attribute bits, as the walk after a step finds them: scratch of that walk,
     * emptied when the step is judged (the map's room is kept for the next walk).
     */
    private final Long2LongHashMap seen = new Long2LongHashMap(0);
    /**
     * Per frame: the bits of its translations other than the linear map's TLB entries, as of the last
     * walk plus the creations since ({@link #liveHasGone}: some may be gone; {@link #liveMissesSome}: a
     * translation changed unseen).
     */
    private final Long2LongHashMap live = new Long2LongHashMap(0);
    private boolean liveHasGone;
    private boolean liveMissesSome;
    /**
     * Frames whose linear-map TLB entries may not repeat their direct map's encryption bit (see
     * {@link #afterStep}); {@code linearSeeded} false until the first walk of every entry found them.
     */
    private final LongHashSet linearSuspects = new LongHashSet();
    private boolean linearSeeded;
    /**
     * The page tables' and TLBs' entries after the last step ({@link #entries}) and the translations added
     * since, each with its event (PTE_INSERT, TLB_FILL, a KMAP's PTEs); {@code onlyAdded} false once
     * anything else happened: a removal, an mprotect, a conversion. Decide the road of {@link #afterStep},
     * never its outcome.
     */
    private long entriesAfterStep = -1;
    private long added;
    private boolean onlyAdded;
    /** The linear map's pages: [PAGE_OFFSET, VMALLOC_START) of address space 0. */
    private static final long LINEAR_VPN_FROM = DirectMap.PAGE_OFFSET >>> Pte.PAGE_SHIFT;
    private static final long LINEAR_VPN_TO = Vmalloc.VMALLOC_START >>> Pte.PAGE_SHIFT;

    /** @param view the run's processes and objects, read at event time as well as after each step */
    public AttributeAlias(final Kernel kernel, final SystemView view) {
        this.kernel = kernel;
        this.machine = kernel.machine();
        this.directMap = kernel.directMap();
        this.view = view;
    }

    // ---------------------------------------------------------------- event time

    @Override
    public boolean listensTo(final EventKind kind) {
        switch (kind) {
            case PTE_INSERT: case TLB_FILL: case KMAP: case CONVERSION:
            case PTE_ZAP: case TLB_FLUSH: case MUNMAP: case VUNMAP: case MPROTECT:
                return true; // the kinds onEvent acts on
            default:
                return false;
        }
    }

    @Override
    public void onEvent(final Event event) {
        switch (event.kind()) {
            case PTE_INSERT:
            case TLB_FILL:
                created(event.pfn(), attributes(event.value(), true), event);
                break;
            case KMAP:
                kmap(event);
                break;
            case CONVERSION:
                onlyAdded = false;
                for (long i = 0; i < event.value(); i++) {
                    linearSuspects.add(event.pfn() + i);
                    judge(event.pfn() + i, event);
                }
                break;
            case PTE_ZAP:
            case TLB_FLUSH:
            case MUNMAP:
            case VUNMAP:
                liveHasGone = true;
                onlyAdded = false;
                break;
            case MPROTECT:
                liveHasGone = true;
                liveMissesSome = true;
                onlyAdded = false;
                break;
            default:
                break;
        }
    }

    /** A vmap/ioremap at {@code event.value()}: its PTEs run up to the area's guard page. */
    private void kmap(final Event event) {
        final MmStruct initMm = kernel.initMm();
        final int cbit = machine.cc().cbit();
        for (long vpn = event.value() >>> Pte.PAGE_SHIFT; ; vpn++) {
            final long pte = initMm.pte(vpn);
            if (!Pte.present(pte)) {
                return;
            }
            created(Pte.pfn(pte, cbit), attributes(pte, true), event);
        }
    }

    private void created(final long pfn, final long bits, final Event event) {
        live.merge(pfn, bits, OR);
        added++;
        judge(pfn, event);
    }

    /** Whether {@code pfn} is aliased now; reports it once if so. */
    private void judge(final long pfn, final Event event) {
        if (reported.contains(pfn) || known.contains(pfn)) {
            return;
        }
        final long exact = linearTlbBits(pfn) | directMapBits(pfn);
        if (!aliased(exact | live.get(pfn)) && !liveMissesSome) {
            return;
        }
        if (liveHasGone || liveMissesSome) {
            walkLive();
        }
        if (!aliased(exact | live.get(pfn))) {
            return;
        }
        reported.add(pfn);
        findingCount++;
        if (findings.size() < MAX_DESCRIBED) {
            // One walk gives both the frame's bits now and its first sources (this runs up to
            // MAX_DESCRIBED times a step, and a walk visits every translation and TLB entry).
            final Long2LongHashMap bits = new Long2LongHashMap(0);
            final Long2ObjectHashMap<List<String>> via = examples(List.of(pfn), bits);
            findings.add(describe(pfn, bits.get(pfn), via.get(pfn)) + " (at " + event.kind().label() + ", step "
                    + event.step() + ")");
        }
    }

    /** Recomputes {@link #live} from the whole state (every translation but the linear map's TLB entries). */
    private void walkLive() {
        live.clear();
        forEachSource(false, (pte, kind, who, vpn, linear) -> {
            if (!linear && Pte.present(pte)) {
                final long pfn = Pte.pfn(pte, machine.cc().cbit());
                live.merge(pfn, attributes(pte, true), OR);
            }
        });
        liveHasGone = false;
        liveMissesSome = false;
    }

    /** The encryption bits of the linear map's TLB entries for the frame, every CPU. */
    private long linearTlbBits(final long pfn) {
        if (!machine.memory().isRam(pfn)) {
            return 0;
        }
        final long vpn = DirectMap.va(pfn << Pte.PAGE_SHIFT) >>> Pte.PAGE_SHIFT;
        final int cbit = machine.cc().cbit();
        long bits = 0;
        for (int cpu = 0; cpu < machine.tlb().cpus(); cpu++) {
            final long pte = machine.tlb().lookup(cpu, 0, vpn);
            if (pte != 0 && Pte.pfn(pte, cbit) == pfn) {
                bits |= attributes(pte, false);
            }
        }
        return bits;
    }

    private long directMapBits(final long pfn) {
        if (!machine.memory().isRam(pfn)) {
            return 0;
        }
        return machine.cc().isPrivate(directMap.pte(pfn)) ? PRIVATE : SHARED;
    }

    /** Whether a linear-map TLB entry's encryption bit is the one the frame's direct map has now. */
    private boolean repeatsDirectMap(final long pfn, final long pte) {
        return machine.memory().isRam(pfn) && attributes(pte, false) == directMapBits(pfn);
    }

    // ---------------------------------------------------------------- after each step

    @Override
    public void afterStep(final int step, final SystemView stepView, final List<Violation> out) {
        final List<Long> appeared = new ArrayList<>();
        final long entries = entries(); // the walk below only reads: the same after it
        if (linearSeeded && onlyAdded && entries == entriesAfterStep + added) {
            onlyAddedSinceLastStep();
        } else {
            walkEverySource(appeared);
        }
        entriesAfterStep = entries;
        added = 0;
        onlyAdded = true;
        final int count = findingCount + appeared.size();
        final List<String> found = new ArrayList<>(findings);
        reported.clear();
        findings.clear();
        findingCount = 0;
        if (count > 0) {
            appeared.sort(null);
            final List<Long> toDescribe = appeared.subList(0, Math.min(appeared.size(),
                    Math.max(0, MAX_DESCRIBED - found.size())));
            final Long2ObjectHashMap<List<String>> via = examples(toDescribe, null);
            for (final long pfn : toDescribe) {
                found.add(describe(pfn, seen.get(pfn), via.get(pfn)));
            }
            out.add(new Violation(Invariant.ATTRIBUTE_ALIAS, step, count + " aliased frame(s); first: "
                    + found.get(0), found.subList(0, Math.min(found.size(), MAX_DESCRIBED))));
        }
        seen.clear();
    }

    /** Translations held: every process's PTEs, the kernel's (vmap) PTEs, every TLB entry. */
    private long entries() {
        long n = kernel.initMm().ptes() + machine.tlb().size();
        for (final MmStruct mm : view.processes()) {
            n += mm.ptes();
        }
        return n;
    }

    /**
     * The step only added translations, each with its event, and converted nothing (the entries counted
     * agree: none was dropped or replaced unseen). Then no frame stopped being aliased, and every frame that
     * became aliased was reported when its last translation was added: {@link #judge} then saw all of the
     * frame's bits, which nothing changed since (no conversion, no flush; a linear-map fill, which publishes
     * no event, only repeats the direct map). So the frames aliased now are those of the last step and those
     * reported in this one, and none appeared unreported: what {@link #walkEverySource} would find, without
     * visiting every translation again. The linear suspects stand as the last step left them (nothing
     * converted or flushed since).
     */
    private void onlyAddedSinceLastStep() {
        final LongHashSet.LongIterator it = reported.iterator();
        while (it.hasNext()) {
            known.add(it.nextValue());
        }
        liveHasGone = false;
        liveMissesSome = false;
    }

    /** What reaches each frame and which frames are aliased, from a walk of every source. */
    private void walkEverySource(final List<Long> appeared) {
        // Pass 1, no strings: what reaches each frame (seen is empty: afterStep empties it). Most steps end here.
        live.clear();
        // The linear map's TLB entries are walked whole only the first time. An entry is filled from the
        // direct map, so it can differ from it only after the direct map changed, which is a conversion
        // (CONVERSION event): from then on only the converted frames' entries are looked at, and a frame
        // whose entries all repeat its direct map again is dropped until its next conversion. A kernel
        // touching every page of a large buffer leaves one entry per page, which a walk per step would
        // visit again and again.
        final boolean everyEntry = !linearSeeded;
        forEachSource(everyEntry, (pte, kind, who, vpn, linear) -> {
            if (Pte.present(pte)) {
                final long pfn = Pte.pfn(pte, machine.cc().cbit());
                if (linear && repeatsDirectMap(pfn, pte)) {
                    // Fast path: most TLB entries are the linear map's, filled from the direct map. Such an
                    // entry adds only the frame's direct-map encryption bit, which every use of seen below
                    // ORs in anyway (encryption()), and no caching bit: leaving it out decides the same and
                    // keeps seen as small as the frames the other translations reach.
                    return;
                }
                if (linear) {
                    linearSuspects.add(pfn);
                }
                seen.merge(pfn, attributes(pte, !linear), OR);
                if (!linear) {
                    live.merge(pfn, attributes(pte, true), OR);
                }
            }
        });
        linearSeeded = true;
        // After the full walk this only prunes (it adds again what the walk added), so that the suspects
        // left after every step are exactly the frames with an entry that differs: nothing of the path.
        linearSuspectEntries();
        liveHasGone = false;
        liveMissesSome = false;
        final LongHashSet now = new LongHashSet();
        seen.forEachLong((pfn, bits) -> {
            if (aliased(encryption(pfn, bits) | (bits & ~(long) (PRIVATE | SHARED)))) {
                now.add(pfn);
                if (!known.contains(pfn) && !reported.contains(pfn)) {
                    appeared.add(pfn);
                }
            }
        });
        known = now;
    }

    /**
     * Adds to {@link #seen} the linear-map TLB entries of {@link #linearSuspects} that do not repeat the
     * direct map (what the full walk adds for them), dropping the frames whose entries all do.
     */
    private void linearSuspectEntries() {
        final int cbit = machine.cc().cbit();
        final LongHashSet.LongIterator it = linearSuspects.iterator();
        while (it.hasNext()) {
            final long suspect = it.nextValue();
            final long vpn = DirectMap.va(suspect << Pte.PAGE_SHIFT) >>> Pte.PAGE_SHIFT;
            boolean differs = false;
            for (int cpu = 0; cpu < machine.tlb().cpus(); cpu++) {
                final long pte = machine.tlb().lookup(cpu, 0, vpn);
                if (!Pte.present(pte)) {
                    continue;
                }
                final long pfn = Pte.pfn(pte, cbit);
                if (!repeatsDirectMap(pfn, pte)) {
                    differs = true;
                    seen.merge(pfn, attributes(pte, false), OR);
                }
            }
            if (!differs) {
                it.remove();
            }
        }
    }

    // ---------------------------------------------------------------- sources

    /** A translation that reaches a frame: {@code who} is a process index, -1 for vmap, or a TLB's CPU. */
    private interface SourceVisitor {
        void visit(long pte, SourceKind kind, int who, long vpn, boolean linear);
    }

    private enum SourceKind { USER, VMAP, TLB }

    /**
     * Every source in report order: user PTEs (process, then va), vmap PTEs, TLB entries (cpu, asid,
     * vpn). {@code linear} marks a TLB entry of the linear map: it carries the direct map's memory type,
     * which the model does not track, so it counts for the encryption attribute only.
     */
    private void forEachSource(final SourceVisitor v) {
        forEachSource(true, v);
    }

    /** {@link #forEachSource(SourceVisitor)}; {@code linearEntries} false leaves out the linear map's TLB entries. */
    private void forEachSource(final boolean linearEntries, final SourceVisitor v) {
        forEachPteSource(v);
        final Tlb.EntryConsumer tlbEntry = (cpu, asid, vpn, pte) -> v.visit(pte, SourceKind.TLB, cpu, vpn,
                asid == 0 && DirectMap.isLinear(vpn << 12) && Long.compareUnsigned(vpn << 12,
                        Vmalloc.VMALLOC_START) < 0);
        if (linearEntries) {
            machine.tlb().forEach(tlbEntry);
        } else {
            machine.tlb().forEachOutside(0, LINEAR_VPN_FROM, LINEAR_VPN_TO, tlbEntry);
        }
    }

    /** The page-table sources, in report order: user PTEs (process, then va), then vmap PTEs. */
    private void forEachPteSource(final SourceVisitor v) {
        final List<MmStruct> processes = view.processes();
        for (int i = 0; i < processes.size(); i++) {
            final int who = i;
            processes.get(i).forEachPte((vpn, pte) -> v.visit(pte, SourceKind.USER, who, vpn, false));
        }
        kernel.initMm().forEachPte((vpn, pte) -> v.visit(pte, SourceKind.VMAP, -1, vpn, false));
    }

    /**
     * {@link #forEachSource} in the same order, but of the linear map's TLB entries only those of
     * {@code pfns} (looked up, not walked): what a visitor that only wants those frames sees of the whole walk.
     */
    private void forEachSourceOf(final List<Long> pfns, final SourceVisitor v) {
        forEachPteSource(v);
        final long[] ram = pfns.stream().mapToLong(Long::longValue).filter(machine.memory()::isRam).sorted()
                .distinct().toArray();
        final Tlb tlb = machine.tlb();
        // Outside the linear map's pages no entry is the linear map's (the walk's own test says so).
        final Tlb.EntryConsumer other = (cpu, asid, vpn, pte) -> v.visit(pte, SourceKind.TLB, cpu, vpn, false);
        for (int cpu = 0; cpu < tlb.cpus(); cpu++) {
            tlb.forEachBefore(cpu, 0, LINEAR_VPN_FROM, other);
            for (final long pfn : ram) {
                final long vpn = DirectMap.va(pfn << Pte.PAGE_SHIFT) >>> Pte.PAGE_SHIFT; // ascending with pfn
                final long pte = tlb.lookup(cpu, 0, vpn);
                if (pte != 0) {
                    v.visit(pte, SourceKind.TLB, cpu, vpn, true);
                }
            }
            tlb.forEachFrom(cpu, 0, LINEAR_VPN_TO, other);
        }
    }

    /** Encryption bits (PRIVATE/SHARED) and, above them, one bit per caching type when it counts. */
    private long attributes(final long pte, final boolean countCaching) {
        final long enc = machine.cc().isPrivate(pte) ? PRIVATE : SHARED;
        return countCaching ? enc | (1L << (CACHING_SHIFT + Pte.caching(pte).ordinal())) : enc;
    }

    /** Whether attribute bits (the direct map's included) hold an encryption alias or a caching conflict. */
    private boolean aliased(final long bits) {
        return encAlias(bits) || cacheAlias(bits);
    }

    private boolean encAlias(final long bits) {
        return (bits & (PRIVATE | SHARED)) == (PRIVATE | SHARED) && !machine.config().cachesCoherentAcrossAliases();
    }

    private static boolean cacheAlias(final long bits) {
        return Long.bitCount(bits >>> CACHING_SHIFT) > 1;
    }

    /** The encryption bits of the frame's translations with its direct map's. */
    private long encryption(final long pfn, final long bits) {
        return (bits & (PRIVATE | SHARED)) | directMapBits(pfn);
    }

    /**
     * Pass 2, only for frames found aliased: the first four sources of each, as text; and, if {@code bits}
     * is not null, each frame's attribute bits now from the whole state (into {@code bits}).
     */
    private Long2ObjectHashMap<List<String>> examples(final List<Long> pfns, final Long2LongHashMap bits) {
        final Long2ObjectHashMap<List<String>> via = new Long2ObjectHashMap<>();
        for (final long pfn : pfns) {
            via.put(pfn, new ArrayList<>(MAX_EXAMPLES));
        }
        if (pfns.isEmpty()) {
            return via;
        }
        // A walk visits every translation and TLB entry, and a step may describe up to MAX_DESCRIBED frames
        // one walk each: frames outside [lo, hi] of the few asked for are passed over without a lookup.
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (final long pfn : pfns) {
            lo = Math.min(lo, pfn);
            hi = Math.max(hi, pfn);
        }
        final long first = lo;
        final long last = hi;
        final int cbit = machine.cc().cbit();
        final List<MmStruct> processes = view.processes();
        forEachSourceOf(pfns, (pte, kind, who, vpn, linear) -> {
            if (!Pte.present(pte)) {
                return;
            }
            final long pfn = Pte.pfn(pte, cbit);
            if (pfn < first || pfn > last) {
                return;
            }
            final List<String> list = via.get(pfn);
            if (list != null && bits != null) {
                bits.merge(pfn, attributes(pte, !linear), OR);
            }
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
    private String describe(final long pfn, final long bits, final List<String> sources) {
        final List<String> via = new ArrayList<>(sources);
        if (machine.memory().isRam(pfn)) {
            via.add("direct map " + machine.cc().attrLabel(directMap.pte(pfn)));
        }
        final boolean encAlias = encAlias(encryption(pfn, bits));
        final boolean cacheAlias = cacheAlias(bits);
        return String.format("pfn 0x%x has %s%s: %s", pfn, encAlias ? "private and shared translations" : "",
                cacheAlias ? (encAlias ? " and " : "") + "conflicting caching types" : "", String.join("; ", via));
    }
}
