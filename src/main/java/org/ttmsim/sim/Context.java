package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ttmsim.design.Design;
import org.ttmsim.design.Designs;
import org.ttmsim.driver.Drivers;
import org.ttmsim.hw.CostParams;
import org.ttmsim.hw.CpuCache;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.InjectionRule;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.driver.DeviceSpec;
import org.ttmsim.scenario.InjectSpec;
import org.ttmsim.scenario.MachineSpec;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Vocabulary;

/**
 * What one run is made of, set by name and concluded once before anything boots (Aeron's
 * {@code MediaDriver.Context}): the machine (docs/SCENARIOS.md {@code machine:}), the device and its driver
 * ({@code device:}), the design (docs/DESIGNS.md), the kernel release (docs/RELEASES.md), injected faults (docs/SCENARIOS.md "inject"), cost
 * overrides, and how much of the run to keep. Every setter has the scenario key's default; a scenario file's
 * sections map onto it one to one ({@link #of(Scenario)}).
 *
 * <p>{@link #conclude()} fills in what derives from other settings (the kernel release from the design, the
 * SWIOTLB size from the mode, the low-memory block from RAM, the driver's DMA mode at probe) and checks every
 * value and every cross-field constraint once. After it the context is frozen: a setter throws
 * {@link IllegalStateException}. A {@link Session} boots a concluded context; one context may boot any number
 * of sessions, each with a machine of its own.
 *
 * <pre>{@code
 * Context ctx = new Context().encryption("sev").driver("vmwgfx").design("upstream-2024").conclude();
 * Session s = Session.open(ctx);
 * }</pre>
 *
 * <p>Sizes are in bytes; ids are those of docs/SCENARIOS.md ({@code sev-snp}, {@code vmwgfx}, {@code upstream-2024},
 * {@code v6.9}). Not thread-safe while being set; a concluded context may be shared between threads.
 */
public final class Context {
    /** Bytes of a read kept in its {@link StepResult} unless {@link #readBytesKept} says otherwise. */
    public static final long DEFAULT_READ_BYTES_KEPT = StepResult.MAX_DATA_BYTES;

    // Machine (docs/SCENARIOS.md machine:)
    private String encryption = MachineSpec.DEFAULT_ENCRYPTION;
    private int cbit = MachineSpec.DEFAULT_CBIT;
    private boolean smeCoherent = MachineSpec.DEFAULT_SME_COHERENT;
    private long ramBytes = MachineSpec.DEFAULT_RAM_BYTES;
    private int cpus = MachineSpec.DEFAULT_CPUS;
    private Long swiotlbBytes;
    private Long lowMemoryBytes;
    private int cacheLines = CpuCache.DEFAULT_LINES;
    // Device (docs/SCENARIOS.md device:)
    private String driver = DeviceSpec.DEFAULT_DRIVER;
    private int dmaMaskBits = DeviceSpec.DEFAULT_DMA_MASK_BITS;
    private String iommu = DeviceSpec.DEFAULT_IOMMU_MODE;
    private long vramBytes = DeviceSpec.DEFAULT_VRAM_BYTES;
    private Boolean dmaAlloc;
    private boolean dmaApi = DeviceSpec.DEFAULT_DMA_API;
    private Long maxSegmentBytes;
    private String chip = DeviceSpec.DEFAULT_CHIP;
    // Design, kernel, faults, costs
    private String designId = Scenario.DEFAULT_DESIGN;
    private Design designObject;
    private String kernel;
    private final List<InjectSpec> inject = new ArrayList<>();
    private final Map<String, Long> costs = new LinkedHashMap<>();
    // What a run keeps
    private boolean keepTrace;
    private boolean monitors = true;
    private long readBytesKept = DEFAULT_READ_BYTES_KEPT;

    // Concluded: null until conclude()
    private EncryptionMode mode;
    private Design design;
    private KernelRelease release;
    private MachineConfig machineConfig;

    /** A context with every docs/SCENARIOS.md default: no encryption, 1 GiB, generic driver, {@code upstream-2024}. */
    public Context() {
    }

    /**
     * A context holding a scenario file's {@code machine}, {@code device}, {@code design}, {@code kernel},
     * {@code inject} and {@code costs}; not concluded, so a caller may override any of them first (as
     * {@code --design}, {@code --mode} and {@code --kernel} do).
     */
    public static Context of(final Scenario s) {
        final MachineSpec m = s.machine();
        final Context c = new Context().encryption(m.encryption()).cbit(m.cbit()).smeCoherent(m.smeCoherent())
                .ram(m.ramBytes()).cpus(m.cpus()).device(s.device()).design(s.design()).kernel(s.kernel());
        c.swiotlbBytes = m.swiotlbBytes();
        c.lowMemoryBytes = m.lowMemoryBytes();
        s.inject().forEach(c::inject);
        c.costs.putAll(s.costs());
        return c;
    }

    // ------------------------------------------------------------------------------------------ machine

    /** {@code machine.encryption}: {@code none}, {@code sme}, {@code sev}, {@code sev-snp} or {@code tdx}. */
    public Context encryption(final String id) {
        settable();
        this.encryption = Objects.requireNonNull(id, "encryption");
        return this;
    }

    /** {@code machine.encryption} as the model's enum. */
    public Context encryption(final EncryptionMode m) {
        return encryption(m.id());
    }

    /** {@code machine.cbit}: the C-bit (AMD) or shared bit (TDX) position, 32..51 (default 47). */
    public Context cbit(final int bit) {
        settable();
        this.cbit = bit;
        return this;
    }

    /** {@code machine.sme-coherent}: CPUID 0x8000001F EAX[10] (default false). */
    public Context smeCoherent(final boolean coherent) {
        settable();
        this.smeCoherent = coherent;
        return this;
    }

    /** {@code machine.ram} in bytes: a page multiple of at least 16 MiB (default 1 GiB). */
    public Context ram(final long bytes) {
        settable();
        this.ramBytes = bytes;
        return this;
    }

    /** {@code machine.cpus}: CPUs that take TLB shootdowns, at least 1 (default 4). */
    public Context cpus(final int n) {
        settable();
        this.cpus = n;
        return this;
    }

    /** {@code machine.swiotlb} in bytes (the {@code swiotlb=} command line); default: the booted kernel's size. */
    public Context swiotlb(final long bytes) {
        settable();
        this.swiotlbBytes = bytes;
        return this;
    }

    /** {@code machine.low-memory}: the largest free block below 4 GiB at the SWIOTLB allocation, in bytes. */
    public Context lowMemory(final long bytes) {
        settable();
        this.lowMemoryBytes = bytes;
        return this;
    }

    /** 64-byte lines in the emulated CPU cache, a power of two (default {@link CpuCache#DEFAULT_LINES}). */
    public Context cacheLines(final int lines) {
        settable();
        this.cacheLines = lines;
        return this;
    }

    // ------------------------------------------------------------------------------------------- device

    /** The whole {@code device:} section at once (a scenario's, or one built with its record constructor). */
    public Context device(final DeviceSpec spec) {
        settable();
        this.driver = spec.driver();
        this.dmaMaskBits = spec.dmaMaskBits();
        this.iommu = spec.iommu();
        this.vramBytes = spec.vramBytes();
        this.dmaAlloc = spec.dmaAlloc();
        this.dmaApi = spec.dmaApi();
        this.maxSegmentBytes = spec.maxSegmentBytes();
        this.chip = spec.chip();
        return this;
    }

    /** {@code device.driver}: an id of {@link Drivers#ids()} ({@code generic}, {@code vmwgfx}, ...). */
    public Context driver(final String id) {
        settable();
        this.driver = Objects.requireNonNull(id, "driver");
        return this;
    }

    /** {@code device.dma-mask-bits}: the coherent DMA mask width, 24..64 (default 64). */
    public Context dmaMaskBits(final int bits) {
        settable();
        this.dmaMaskBits = bits;
        return this;
    }

    /**
     * {@code device.iommu}: {@code none}, {@code translated} (a DMA domain) or {@code passthrough} (an identity
     * domain); default {@code none}.
     */
    public Context iommu(final String mode) {
        settable();
        this.iommu = Objects.requireNonNull(mode, "iommu");
        return this;
    }

    /** {@code device.vram} in bytes; 0 for none (default 256 MiB). */
    public Context vram(final long bytes) {
        settable();
        this.vramBytes = bytes;
        return this;
    }

    /** {@code device.dma-alloc}: whether the TTM pool uses {@code dma_alloc_coherent}; null for the driver's choice. */
    public Context dmaAlloc(final Boolean useDmaAlloc) {
        settable();
        this.dmaAlloc = useDmaAlloc;
        return this;
    }

    /** {@code device.dma-api}: false when the driver hands the device physical addresses (default true). */
    public Context dmaApi(final boolean throughDmaApi) {
        settable();
        this.dmaApi = throughDmaApi;
        return this;
    }

    /** {@code device.max-segment}: the DMA segment limit in bytes, a power of two; null for none (default). */
    public Context maxSegment(final Long bytes) {
        settable();
        this.maxSegmentBytes = bytes;
        return this;
    }

    /** {@code device.chip}: {@code other} (default) or a chip a probe treats apart ({@code raven}). */
    public Context chip(final String name) {
        settable();
        this.chip = Objects.requireNonNull(name, "chip");
        return this;
    }

    // ------------------------------------------------------------------------ design, kernel, faults, costs

    /** {@code design}: an id of the registry ({@link Designs#ids()}: built-in, class path, or registered). */
    public Context design(final String id) {
        settable();
        this.designId = Objects.requireNonNull(id, "design");
        this.designObject = null;
        return this;
    }

    /** A design object, registered or not (a user's design under test). */
    public Context design(final Design d) {
        settable();
        this.designObject = Objects.requireNonNull(d, "design");
        this.designId = d.id();
        return this;
    }

    /** {@code kernel}: a release such as {@code v6.9}, or null for the design's own release (docs/RELEASES.md). */
    public Context kernel(final String release) {
        settable();
        this.kernel = release;
        return this;
    }

    /** One {@code inject} item: a docs/SCENARIOS.md "inject" fault at every occurrence. */
    public Context inject(final String id) {
        return inject(InjectSpec.always(id));
    }

    /** One {@code inject} item: {@code {id, nth}} or {@code {id, from-step, to-step}}. */
    public Context inject(final InjectSpec spec) {
        settable();
        inject.add(Objects.requireNonNull(spec, "inject"));
        return this;
    }

    /** One {@code costs} override: a parameter name of {@link CostParams#names()} and its value. */
    public Context cost(final String name, final long value) {
        settable();
        costs.put(Objects.requireNonNull(name, "cost name"), value);
        return this;
    }

    // -------------------------------------------------------------------------------- what a run keeps

    /** Whether the bus keeps every event, for {@link Session#trace()} and the trace lines (default false). */
    public Context keepTrace(final boolean keep) {
        settable();
        this.keepTrace = keep;
        return this;
    }

    /**
     * Whether the docs/SCENARIOS.md "Invariants" monitors and the oracle judge the run (default true). False runs the emulation
     * alone, with no violation ever reported: what the benchmarks time.
     */
    public Context monitors(final boolean judge) {
        settable();
        this.monitors = judge;
        return this;
    }

    /**
     * How many bytes of each read its {@link StepResult#data()} keeps (default
     * {@value #DEFAULT_READ_BYTES_KEPT}; at most {@link Integer#MAX_VALUE} - 8, a Java array's limit). A read
     * is judged and compared with its {@code expect:} over every byte whatever this says; only the bytes kept
     * cost memory.
     */
    public Context readBytesKept(final long bytes) {
        settable();
        this.readBytesKept = bytes;
        return this;
    }

    // ---------------------------------------------------------------------------------------- conclude

    /**
     * Fills in the derived values and checks everything once: the ids against their registries, each value's
     * range, RAM and VRAM below the encryption bit, the kernel release within the model's range and able to
     * boot the mode. Idempotent; freezes the context.
     *
     * @return this context
     * @throws NotBootable              when the release cannot boot the mode (a TDX guest on v5.4): nothing
     *                                  could run (the matrix shows such a cell as {@code -})
     * @throws IllegalArgumentException naming the first setting that is wrong and why
     */
    public Context conclude() {
        if (machineConfig != null) {
            return this;
        }
        final EncryptionMode m = EncryptionMode.fromId(encryption);
        final Design d = designObject != null ? designObject : Designs.byId(designId);
        final KernelRelease r = kernel != null ? KernelRelease.parse(kernel) : d.ownRelease();
        final String unbootable = org.ttmsim.dma.Kernel.bootProblem(m, r);
        if (unbootable != null) {
            throw new NotBootable(unbootable);
        }
        checkDevice();
        if (readBytesKept < 0 || readBytesKept > StepResult.MAX_KEPT_BYTES) {
            throw new IllegalArgumentException("readBytesKept must be in 0.." + StepResult.MAX_KEPT_BYTES + ", found "
                    + readBytesKept);
        }
        final List<InjectionRule> rules = inject.stream().map(i -> new InjectionRule(Injection.fromId(i.id()), i.nth(),
                i.fromStep(), i.toStep())).toList();
        final MachineConfig c = MachineConfig.conclude(m, cbit, smeCoherent, ramBytes, cpus,
                swiotlbBytes == null ? -1 : swiotlbBytes, vramBytes, rules, CostParams.defaults().with(costs),
                cacheLines);
        final long low = lowMemoryBytes != null ? lowMemoryBytes : MachineConfig.defaultLowMemory(ramBytes);
        this.machineConfig = low == c.lowMemoryBytes() ? c : c.withLowMemory(low);
        this.mode = m;
        this.design = d;
        this.release = r;
        return this;
    }

    private void checkDevice() {
        final DeviceSpec device = device();
        if (!Drivers.ids().contains(device.driver())) {
            throw new IllegalArgumentException("unknown driver '" + device.driver() + "' (" + String.join(", ",
                    Drivers.ids()) + ")");
        }
        if (device.dmaMaskBits() < 24 || device.dmaMaskBits() > 64) {
            throw new IllegalArgumentException("device.dma-mask-bits must be in 24..64, found " + device.dmaMaskBits());
        }
        if (device.vramBytes() < 0 || (device.vramBytes() & 4095) != 0) {
            throw new IllegalArgumentException("device.vram must be a page multiple (or 0), found " + device.vramBytes());
        }
        if (!Vocabulary.IOMMUS.contains(device.iommu())) {
            throw new IllegalArgumentException("device.iommu must be one of " + String.join(", ", Vocabulary.IOMMUS)
                    + ", found '" + device.iommu() + "'");
        }
        if (!Vocabulary.CHIPS.contains(device.chip())) {
            throw new IllegalArgumentException("device.chip must be one of " + String.join(", ", Vocabulary.CHIPS)
                    + ", found '" + device.chip() + "'");
        }
        final Long segment = device.maxSegmentBytes();
        if (segment != null && (segment < 4096 || Long.bitCount(segment) != 1)) {
            throw new IllegalArgumentException("device.max-segment must be a power of two of at least 4096, found "
                    + segment);
        }
    }

    /** The design id set (before or after {@link #conclude()}). */
    public String designId() {
        return designId;
    }

    /** The encryption mode id set (before or after {@link #conclude()}). */
    public String encryptionId() {
        return encryption;
    }

    /**
     * The kernel release the run uses: the one set, else the design's own (docs/RELEASES.md).
     *
     * @throws IllegalArgumentException for an unknown design or a release outside the model's range
     */
    public String releaseId() {
        if (release != null) {
            return release.id();
        }
        return kernel != null ? KernelRelease.parse(kernel).id()
                : (designObject != null ? designObject : Designs.byId(designId)).ownRelease().id();
    }

    /** Whether {@link #conclude()} has run. */
    public boolean concluded() {
        return machineConfig != null;
    }

    private void settable() {
        if (machineConfig != null) {
            throw new IllegalStateException("the context is concluded: set everything before conclude()");
        }
    }

    private void requireConcluded() {
        if (machineConfig == null) {
            throw new IllegalStateException("conclude() the context first");
        }
    }

    /** The concluded machine: every derived default filled in. */
    public MachineConfig machineConfig() {
        requireConcluded();
        return machineConfig;
    }

    /** The concluded encryption mode. */
    public EncryptionMode mode() {
        requireConcluded();
        return mode;
    }

    /** The concluded design. */
    public Design design() {
        requireConcluded();
        return design;
    }

    /** The concluded kernel release: the one set, else the design's own. */
    public KernelRelease release() {
        requireConcluded();
        return release;
    }

    /** The device section as set. */
    public DeviceSpec device() {
        return new DeviceSpec(driver, dmaMaskBits, iommu, vramBytes, dmaAlloc, dmaApi, maxSegmentBytes, chip);
    }

    /** Whether the bus keeps every event. */
    public boolean keepTrace() {
        return keepTrace;
    }

    /** Whether the monitors judge. */
    public boolean monitors() {
        return monitors;
    }

    /** Bytes of each read kept in its result. */
    public long readBytesKept() {
        return readBytesKept;
    }

    /**
     * The release cannot boot the mode (SEV-SNP and TDX guests need v5.19): a configuration that cannot
     * exist, rather than a wrong value.
     */
    public static final class NotBootable extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotBootable(final String message) {
            super(message);
        }
    }
}
