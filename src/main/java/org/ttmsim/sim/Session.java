package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ttmsim.check.Violation;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.Driver;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.scenario.Data;
import org.ttmsim.scenario.PlaceSpec;
import org.ttmsim.scenario.SourcePos;
import org.ttmsim.scenario.Step;
import org.ttmsim.scenario.Vocabulary;
import org.ttmsim.sim.SteppedRun.Outcome;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;

/**
 * One run of the model, driven operation by operation: the public library's entry point (docs/API.md). A
 * session boots a concluded {@link Context} (machine, kernel release, driver, design), then runs operations
 * that mirror the scenario steps of docs/SCENARIOS.md ({@link #create}, {@link #validate}, {@link #mmap},
 * {@link #cpuRead}, {@link #deviceWrite}, ...). Each returns an {@link Outcome}: the step's result (its
 * errno, the bytes a read returned, a sentence of what happened) and the invariants the monitors found broken
 * by it. The session keeps every result, every violation, the cost counters and, when the context keeps the
 * trace, every emulated event. It is a {@link SteppedRun} (the engine every run uses, which keeps no history)
 * with that history and typed operations.
 *
 * <p>A step is run exactly as {@code ttmsim run} runs it ({@link ScenarioRunner} drives a session with the
 * file's steps): its events are attributed to its index, it runs under the buffer's reservation where the
 * kernel takes it, the delayed-destruction workqueue runs after it, and every monitor judges. A modelled
 * failure (ENOMEM, SIGBUS, EFAULT, ...) is a result, not an exception. Bad arguments (an unknown placement
 * word, an offset beyond the buffer, a size that is not a page multiple) are rejected before anything runs
 * with {@link IllegalArgumentException}, as the scenario parser rejects them. A model error (an exception
 * inside the model) ends the session: {@link Outcome#error()} says where, and later operations throw
 * {@link IllegalStateException}. Once SEV-SNP or TDX terminated the guest, every later step is
 * {@code NOT_RUN}.
 *
 * <p>Names are the scenario's: buffers ({@code bo}), mappings ({@code as} / {@code map}), processes
 * ({@code p1}), page-allocator users ({@code alloc}). Offsets and lengths are bytes. Steps run through the
 * typed operations are numbered after the last one run; their {@code source} is {@code "api"}.
 *
 * <p>Not thread-safe: one thread drives one session. Sessions are independent; run them in parallel freely.
 */
public final class Session {
    /** The source of the steps the typed operations run. */
    static final SourcePos API = SourcePos.wholeFile("api");

    private final Context context;
    private final SteppedRun run;
    private final World world;
    private final List<StepResult> results = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    /** The model error that ended the session, or null. */
    private String error;
    private int lastIndex;

    private Session(final Context context) {
        this.context = context;
        this.run = SteppedRun.boot(context);
        this.world = run.world();
    }

    /**
     * Boots the context's machine, kernel and driver (concluding the context first if needed); no step runs.
     *
     * @throws Context.NotBootable      when the release cannot boot the mode
     * @throws IllegalArgumentException when a setting is wrong (see {@link Context#conclude()})
     */
    public static Session open(final Context context) {
        return new Session(context.conclude());
    }

    // ------------------------------------------------------------------------------------ running steps

    /**
     * Runs one scenario step (whose index attributes its events and violations; the typed operations build
     * theirs). After a model error the session runs nothing more.
     *
     * @throws IllegalStateException after a model error
     */
    public Outcome step(final Step step) {
        if (error != null) {
            throw new IllegalStateException("the session ended with a model error: " + error.lines().findFirst()
                    .orElse(error));
        }
        lastIndex = Math.max(lastIndex, step.index());
        final Outcome o = run.step(step);
        if (o.error() != null) {
            error = o.error();
        } else {
            results.add(o.result());
            violations.addAll(o.violations());
        }
        return o;
    }

    private Step.Meta meta() {
        return new Step.Meta(lastIndex + 1, null, API);
    }

    // ------------------------------------------------------------------------- buffer objects (docs/SCENARIOS.md)

    /** {@code create: {bo, size, placement}}: cached, a device buffer, priority 0. */
    public Outcome create(final String bo, final long size, final String... placement) {
        return create(bo, size, places(placement), Step.Create.DEFAULT_CACHING, Step.Create.DEFAULT_TYPE,
                Step.Create.DEFAULT_PRIORITY);
    }

    /**
     * {@code create}: {@code ttm_bo_init_reserved()} into the placement, then unreserve.
     *
     * @param size      bytes, a positive page multiple
     * @param placement the places in order of preference ({@link PlaceSpec#of})
     * @param caching   {@code cached}, {@code wc} or {@code uncached}
     * @param type      {@code device}, {@code kernel} or {@code sg}
     * @param priority  the LRU priority, 0..3
     */
    public Outcome create(final String bo, final long size, final List<PlaceSpec> placement, final String caching,
            final String type, final int priority) {
        name(bo, "bo");
        if (size <= 0 || (size & (org.ttmsim.hw.Pte.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of 4096, found " + size);
        }
        Caching.fromId(caching);
        word(type, Vocabulary.BO_TYPES, "type");
        if (priority < 0 || priority > 3) {
            throw new IllegalArgumentException("priority must be in 0..3, found " + priority);
        }
        return step(new Step.Create(meta(), bo, size, checkPlaces(placement), caching, type, priority));
    }

    /** {@code validate: {bo, placement}}: {@code ttm_bo_validate()}; no place purges the buffer. */
    public Outcome validate(final String bo, final String... placement) {
        return validate(bo, places(placement));
    }

    /** {@code validate} with places that carry flags. */
    public Outcome validate(final String bo, final List<PlaceSpec> placement) {
        return step(new Step.Validate(meta(), name(bo, "bo"), checkPlaces(placement)));
    }

    /** {@code evict}: eviction through the driver's {@code evict_flags}. */
    public Outcome evict(final String bo) {
        return step(new Step.Evict(meta(), name(bo, "bo")));
    }

    /** {@code pin}: {@code ttm_bo_pin()}. */
    public Outcome pin(final String bo) {
        return step(new Step.Pin(meta(), name(bo, "bo")));
    }

    /** {@code unpin}: {@code ttm_bo_unpin()}. */
    public Outcome unpin(final String bo) {
        return step(new Step.Unpin(meta(), name(bo, "bo")));
    }

    /** {@code swapout}: {@code ttm_tt_swapout()}; the next populate swaps in. */
    public Outcome swapout(final String bo) {
        return step(new Step.Swapout(meta(), name(bo, "bo")));
    }

    /** {@code destroy}: the handle's reference dropped (a mapping may keep the buffer alive). */
    public Outcome destroy(final String bo) {
        return step(new Step.Destroy(meta(), name(bo, "bo")));
    }

    // --------------------------------------------------------------------------------------- mappings

    /** {@code mmap: {bo, as}}: process {@code p1}, shared, read-write. */
    public Outcome mmap(final String bo, final String as) {
        return mmap(bo, as, Step.Mmap.DEFAULT_PROCESS, Step.Mmap.DEFAULT_PRIVATE, Step.Mmap.DEFAULT_PROT);
    }

    /**
     * {@code mmap}: drm mmap of the buffer's offset by {@code process}, naming the mapping {@code as};
     * private and {@code rw} together is {@code EINVAL}.
     *
     * @param prot {@code rw} or {@code ro}
     */
    public Outcome mmap(final String bo, final String as, final String process, final boolean isPrivate,
            final String prot) {
        return step(new Step.Mmap(meta(), name(bo, "bo"), name(as, "as"), name(process, "process"), isPrivate,
                word(prot, Vocabulary.PROTS, "prot")));
    }

    /** {@code munmap}: the whole mapping. */
    public Outcome munmap(final String map) {
        return step(new Step.Munmap(meta(), name(map, "map")));
    }

    /** {@code mprotect}: the whole mapping to {@code rw} or {@code ro}. */
    public Outcome mprotect(final String map, final String prot) {
        return step(new Step.Mprotect(meta(), name(map, "map"), word(prot, Vocabulary.PROTS, "prot")));
    }

    // ---------------------------------------------------------------------------------------- accesses

    /** {@code cpu-read}: {@code length} bytes through the mapping, faulting as needed. */
    public Outcome cpuRead(final String map, final long offset, final long length) {
        return read(Step.CpuRead::new, map, offset, length, null);
    }

    /** {@code cpu-read} with {@code expect}: the result's {@code held} says whether the bytes matched. */
    public Outcome cpuRead(final String map, final long offset, final Data expect) {
        return read(Step.CpuRead::new, map, offset, expect.length(), expect);
    }

    /** {@code cpu-write}: the bytes through the mapping, faulting as needed. */
    public Outcome cpuWrite(final String map, final long offset, final Data data) {
        return write(Step.CpuWrite::new, map, offset, data);
    }

    /** {@code kmap-read}: through {@code ttm_bo_kmap()} of the pages the range covers. */
    public Outcome kmapRead(final String bo, final long offset, final long length) {
        return read(Step.KmapRead::new, bo, offset, length, null);
    }

    /** {@code kmap-read} with {@code expect}. */
    public Outcome kmapRead(final String bo, final long offset, final Data expect) {
        return read(Step.KmapRead::new, bo, offset, expect.length(), expect);
    }

    /** {@code kmap-write}: through {@code ttm_bo_kmap()}. */
    public Outcome kmapWrite(final String bo, final long offset, final Data data) {
        return write(Step.KmapWrite::new, bo, offset, data);
    }

    /**
     * {@code vmap-read}: through {@code ttm_bo_vmap()} of the whole buffer (before v5.11 the driver's
     * {@code ttm_bo_kmap(bo, 0, num_pages)}), however few pages the range covers.
     */
    public Outcome vmapRead(final String bo, final long offset, final long length) {
        return read(Step.VmapRead::new, bo, offset, length, null);
    }

    /** {@code vmap-read} with {@code expect}. */
    public Outcome vmapRead(final String bo, final long offset, final Data expect) {
        return read(Step.VmapRead::new, bo, offset, expect.length(), expect);
    }

    /** {@code vmap-write}: through {@code ttm_bo_vmap()} of the whole buffer. */
    public Outcome vmapWrite(final String bo, final long offset, final Data data) {
        return write(Step.VmapWrite::new, bo, offset, data);
    }

    /** {@code device-read}: the device's DMA from the buffer's current backing. */
    public Outcome deviceRead(final String bo, final long offset, final long length) {
        return read(Step.DeviceRead::new, bo, offset, length, null);
    }

    /** {@code device-read} with {@code expect}. */
    public Outcome deviceRead(final String bo, final long offset, final Data expect) {
        return read(Step.DeviceRead::new, bo, offset, expect.length(), expect);
    }

    /** {@code device-write}: the device's DMA to the buffer's current backing. */
    public Outcome deviceWrite(final String bo, final long offset, final Data data) {
        return write(Step.DeviceWrite::new, bo, offset, data);
    }

    /** {@code host-read}: the raw bytes the host sees in the backing frames (not judged). */
    public Outcome hostRead(final String bo, final long offset, final long length) {
        return read(Step.HostRead::new, bo, offset, length, null);
    }

    /** {@code host-write}: the host stores raw bytes; SEV-SNP and TDX stop it on a private frame ({@code EPERM}). */
    public Outcome hostWrite(final String bo, final long offset, final Data data) {
        return write(Step.HostWrite::new, bo, offset, data);
    }

    /** One of the read steps' constructors: ({@code meta}, the buffer or mapping, offset, length, expect). */
    @FunctionalInterface
    private interface ReadStep {
        Step make(Step.Meta meta, String target, long offset, long length, Data expect);
    }

    /** One of the write steps' constructors: ({@code meta}, the buffer or mapping, offset, data). */
    @FunctionalInterface
    private interface WriteStep {
        Step make(Step.Meta meta, String target, long offset, Data data);
    }

    private Outcome read(final ReadStep make, final String target, final long offset, final long length,
            final Data expect) {
        final Step probe = make.make(meta(), target, offset, length, expect);
        checkRange(probe, target, offset, length);
        return step(probe);
    }

    private Outcome write(final WriteStep make, final String target, final long offset, final Data data) {
        final Step probe = make.make(meta(), target, offset, data);
        checkRange(probe, target, offset, data.length());
        return step(probe);
    }

    // ---------------------------------------------------------------------- the page allocator's users

    /** {@code page-alloc}: {@code alloc_pages(GFP_KERNEL, order)} of {@code pages} (a power of two, 1..1024). */
    public Outcome pageAlloc(final String alloc, final int pages) {
        if (pages < 1 || pages > 1024 || Integer.bitCount(pages) != 1) {
            throw new IllegalArgumentException("pages must be a power of two in 1..1024, found " + pages);
        }
        return step(new Step.PageAlloc(meta(), name(alloc, "alloc"), pages));
    }

    /** {@code page-write}: the user stores through the direct map. */
    public Outcome pageWrite(final String alloc, final long offset, final Data data) {
        return write(Step.PageWrite::new, alloc, offset, data);
    }

    /** {@code page-read}: the user loads through the direct map. */
    public Outcome pageRead(final String alloc, final long offset, final long length) {
        return read(Step.PageRead::new, alloc, offset, length, null);
    }

    /** {@code page-free}: {@code __free_pages()}. */
    public Outcome pageFree(final String alloc) {
        return step(new Step.PageFree(meta(), name(alloc, "alloc")));
    }

    /** {@code pool-shrink}: the pool shrinker returns up to {@code pages} pages to the system. */
    public Outcome poolShrink(final long pages) {
        if (pages < 1) {
            throw new IllegalArgumentException("pages must be at least 1, found " + pages);
        }
        return step(new Step.PoolShrink(meta(), pages));
    }

    // ------------------------------------------------------------------------------------- the results

    /** The concluded context this session booted. */
    public Context context() {
        return context;
    }

    /** Every step's result so far, in order. */
    public List<StepResult> results() {
        return List.copyOf(results);
    }

    /** Every violation so far, in step order. */
    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** The distinct invariant ids broken so far, in first-occurrence order. */
    public List<String> violatedIds() {
        return violations.stream().map(v -> v.invariant().id()).distinct().toList();
    }

    /** docs/SCENARIOS.md "Results" {@code costs}: every counter and {@code simulated_ns}, in the order of docs/SCENARIOS.md "Results". */
    public Map<String, Long> costs() {
        return world.machine().ledger().snapshot();
    }

    /** The run's simulated time so far, in nanoseconds. */
    public long simulatedNs() {
        return world.machine().ledger().simulatedNs();
    }

    /** docs/SCENARIOS.md "Results" {@code state}: each live buffer, then {@code managers} and {@code boot}. */
    public Map<String, Object> state() {
        return world.finalState();
    }

    /** The frames backing live buffers and who maps them (the report's picture; bounded). */
    public List<RunResult.FrameInfo> frames() {
        return world.frames();
    }

    /** Every emulated event so far, in order; empty unless the context keeps the trace. */
    public List<Event> trace() {
        return world.machine().bus().log();
    }

    /**
     * The concluded configuration, then each event as {@code --trace} prints it.
     *
     * @param limit at most this many event lines (0 = all); the rest are summarised in one line
     */
    public List<String> traceLines(final int limit) {
        final MachineConfig c = world.machine().config();
        final Kernel kernel = world.kernel();
        final List<String> lines = new ArrayList<>();
        lines.add(String.format("[config] machine: encryption %s, cbit %d, sme-coherent %s, ram %d, low-memory %d, cpus %d,"
                + " swiotlb %d, vram %d at 0x%x, cache %d lines, inject %s", c.mode().id(), c.cbit(), c.smeCoherent(),
                c.ramBytes(), c.lowMemoryBytes(), c.cpus(), kernel.swiotlb().bytes(), c.vramBytes(), c.vramBase(),
                c.cacheLines(), c.injections().stream().map(org.ttmsim.hw.InjectionRule::label).toList()));
        lines.add("[config] boot: " + kernel.swiotlbBoot().outcome());
        final Driver driver = world.driver();
        lines.add("[config] probe: " + driver.probe());
        lines.add(String.format("[config] device: driver %s, dma-mask-bits %d, iommu %s, DMA %s, force_dma_unencrypted %s;"
                + " design %s; kernel %s", driver.id(), driver.dmaDevice().coherentMaskBits(),
                driver.dmaDevice().iommu(), driver.dmaMode(), kernel.dma().forceDmaUnencrypted(driver.dmaDevice()),
                world.design().id(), kernel.release().id()));
        final List<Event> log = world.machine().bus().log();
        final int kept = limit > 0 ? Math.min(limit, log.size()) : log.size();
        for (int i = 0; i < kept; i++) {
            lines.add(log.get(i).traceLine());
        }
        if (kept < log.size()) {
            lines.add(String.format("[trace] %d more events not kept here; `ttmsim run FILE --design %s --mode %s"
                    + " --trace` prints them all", log.size() - kept, world.design().id(), c.mode().id()));
        }
        return lines;
    }

    /** The model error that ended the session, or null. */
    public String error() {
        return error;
    }

    /** Whether SEV-SNP or TDX terminated the guest: every later step is {@code NOT_RUN}. */
    public boolean terminated() {
        return run.terminated();
    }

    /**
     * The model's own objects behind this session, for benchmarks and white-box tests that time or probe one
     * path (a fault, a CPU access) without a step around it. Not a stable interface: these are the model's
     * internals, and what they do is documented where they are.
     */
    public Internals internals() {
        return new Internals();
    }

    /** See {@link #internals()}. */
    public final class Internals {
        private Internals() {
        }

        /** The emulated machine: memory, caches, TLBs, the bus and the cost ledger. */
        public Machine machine() {
            return world.machine();
        }

        /** The booted kernel: mm, DMA, the page allocator. */
        public Kernel kernel() {
            return world.kernel();
        }

        /** The driver bound to the device. */
        public Driver driver() {
            return world.driver();
        }

        /** The driver's TTM device. */
        public TtmDevice bdev() {
            return world.bdev();
        }

        /** The live buffer named {@code bo}, or null. */
        public TtmBufferObject bo(final String bo) {
            return world.bos().get(bo);
        }

        /** The mapping named {@code map}, or null. */
        public Vma vma(final String map) {
            return world.maps().get(map);
        }

        /** The process named {@code name} (created on first use). */
        public MmStruct process(final String name) {
            return world.process(name);
        }
    }

    // ------------------------------------------------------------------------------- argument checks

    private static String name(final String name, final String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must be a non-empty name");
        }
        return name;
    }

    private static String word(final String word, final List<String> words, final String what) {
        if (!words.contains(word)) {
            throw new IllegalArgumentException(what + " must be one of " + String.join(", ", words) + ", found '" + word
                    + "'");
        }
        return word;
    }

    private static List<PlaceSpec> places(final String... memTypes) {
        return Arrays.stream(memTypes).map(PlaceSpec::of).toList();
    }

    private static List<PlaceSpec> checkPlaces(final List<PlaceSpec> places) {
        for (final PlaceSpec p : Objects.requireNonNull(places, "placement")) {
            word(p.memType(), Vocabulary.MEM_TYPES, "a place's memory type");
            p.flags().forEach(f -> word(f, Vocabulary.PLACE_FLAGS, "a place flag"));
        }
        return places;
    }

    private static void checkRange(final long offset, final long length, final long size, final String target) {
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and length >= 1, found " + offset + " and "
                    + length);
        }
        if (size >= 0 && (offset >= size || length > size - offset)) {
            throw new IllegalArgumentException("expected offset + length within " + target + " (" + size
                    + " bytes), found " + offset + " + " + length);
        }
    }

    /**
     * The step's range within what it names, when that exists: a buffer, a mapping, or a page user's pages
     * (a step on a missing one is run, and returns ENOENT or SIGSEGV as the kernel would).
     */
    private void checkRange(final Step step, final String target, final long offset, final long length) {
        name(target, step instanceof Step.OnMap ? "map" : step instanceof Step.OnPages ? "alloc" : "bo");
        final long size;
        if (step instanceof Step.OnMap) {
            final Vma vma = world.maps().get(target);
            size = vma == null ? -1 : vma.end() - vma.start();
        } else if (step instanceof Step.OnPages) {
            final long[] a = world.pageAllocs().get(target);
            size = a == null ? -1 : (1L << a[1]) * org.ttmsim.hw.Pte.PAGE_SIZE;
        } else {
            final TtmBufferObject b = world.bos().get(target);
            size = b == null ? -1 : b.size();
        }
        checkRange(offset, length, size, target);
    }
}
