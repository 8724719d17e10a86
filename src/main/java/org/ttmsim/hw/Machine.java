package org.ttmsim.hw;

/**
 * The emulated machine: physical memory, the AES engine, the memory controller with its integrity
 * checks and the CPU cache in front of it, TLBs, the event bus and the cost ledger. Built from a
 * concluded {@link MachineConfig}. Everything above (mm, dma, ttm) reaches hardware through this object.
 */
public final class Machine {
    private final MachineConfig config;
    private final CcPlatform cc;
    private final PhysicalMemory memory;
    private final EncryptionEngine engine;
    private final FrameStates frameStates;
    private final MemoryController controller;
    private final Tlb tlb;
    private final EventBus bus;
    private final CostLedger ledger = new CostLedger();
    /** Kernel-mode accesses SEV-SNP or TDX stopped so far (each an oops). */
    private long kernelStops;
    /** How many times each injection's site has been reached. */
    private final long[] occurrences = new long[Injection.values().length];

    public Machine(final MachineConfig config, final boolean keepEventLog) {
        this.config = config;
        this.cc = new CcPlatform(config.mode(), config.cbit());
        this.memory = new PhysicalMemory(config.ramBytes(), config.vramBase(), config.vramBytes());
        this.engine = new EncryptionEngine();
        this.frameStates = new FrameStates(memory, config.mode());
        this.bus = new EventBus(keepEventLog, ledger);
        this.controller = new MemoryController(memory, engine, frameStates, config.mode(),
                config.cachesCoherentAcrossAliases(), config.cacheLines(), bus);
        this.tlb = new Tlb(config.cpus());
    }

    public MachineConfig config() {
        return config;
    }

    public EncryptionMode mode() {
        return config.mode();
    }

    public CcPlatform cc() {
        return cc;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public EncryptionEngine engine() {
        return engine;
    }

    public FrameStates frameStates() {
        return frameStates;
    }

    public MemoryController controller() {
        return controller;
    }

    /** The CPU data caches (in front of the memory controller's CPU port). */
    public CpuCache cpuCache() {
        return controller.cache();
    }

    public Tlb tlb() {
        return tlb;
    }

    public EventBus bus() {
        return bus;
    }

    public CostLedger ledger() {
        return ledger;
    }

    public CostParams costs() {
        return config.costs();
    }

    /**
     * Whether {@code injection} fires at this occurrence of its site: counts the occurrence, then asks
     * each rule (SPEC §6: every time, the N-th time, or within a step range). Call it exactly once each
     * time the kernel reaches the safeguard, and only there.
     */
    public boolean fires(final Injection injection) {
        if (config.injections().isEmpty()) {
            return false;
        }
        final long occurrence = ++occurrences[injection.ordinal()];
        for (final InjectionRule r : config.injections()) {
            if (r.injection() == injection && r.matches(occurrence, bus.step())) {
                return true;
            }
        }
        return false;
    }

    /** Counts a kernel-mode access the hardware stopped (mm.CpuAccess calls it). */
    public void countKernelStop() {
        kernelStops++;
    }

    /**
     * Kernel-mode accesses SEV-SNP or TDX stopped so far: each is an oops of the task that made the call,
     * also where the kernel code that made the access ignores the outcome (copies, zeroing, bounces).
     */
    public long kernelStops() {
        return kernelStops;
    }

    /** Reports that an injected fault fired at its site. */
    public void fireInjection(final Injection injection, final String site) {
        bus.emit(EventKind.INJECT, -1, null, injection.id() + " at " + site);
    }

    /** The host/hypervisor's raw view: the bytes in DRAM, no key, no cache, no event. */
    public void hostRead(final long pa, final byte[] dst, final int off, final int len) {
        memory.read(pa, dst, off, len);
    }

    /**
     * The host (hypervisor or a device model) stores raw bytes into guest memory, as an uncached
     * plaintext write: dirty key-NONE lines in the CPU caches are written back and dropped first (they
     * share the host access's tag), lines under a private key are not touched. No integrity check: the
     * caller decides first whether SEV-SNP or TDX lets the host reach the frame.
     */
    public void hostWrite(final long pa, final byte[] src, final int off, final int len) {
        controller.writeUnchecked(pa, KeyId.NONE, src, off, len);
    }

    /**
     * What a plaintext (C=0 / shared) load by the host would return: the raw DRAM bytes with dirty
     * key-NONE cache lines laid over them, since those lines share the host access's tag and are snooped.
     * Functional: no line, LRU, event or cost changes. Lines under a private key stay invisible.
     */
    public void hostReadSnooped(final long pa, final byte[] dst, final int off, final int len) {
        memory.read(pa, dst, off, len);
        controller.cache().overlayDirty(pa, KeyId.NONE, dst, off, len);
    }
}
