package org.ttmsim.hw;

import java.util.List;
import java.util.Set;

/**
 * The machine a scenario runs on, concluded: every derived default filled in and every cross-field
 * constraint checked once, before anything runs (Aeron's {@code Context.conclude()}).
 *
 * @param mode         memory-encryption technology
 * @param cbit         C-bit (AMD) or shared bit (TDX) position, 32..51
 * @param smeCoherent  CPUID 0x8000001F EAX[10]: caches coherent across C-bit aliases
 * @param ramBytes     DRAM size
 * @param cpus         CPUs that take TLB shootdowns
 * @param swiotlbBytes the SWIOTLB size asked for on the kernel command line ({@code swiotlb=}), or -1 for
 *                     the booted kernel's default (dma.SwiotlbBoot sizes and allocates the pool)
 * @param vramBytes    device memory size (0 = none)
 * @param injections   safeguards switched off (docs/SCENARIOS.md, "inject"), and when
 * @param costs        cost-model parameters
 * @param lowMemoryBytes the largest free block below 4 GiB when the kernel allocates the SWIOTLB
 *                     ({@code memblock_alloc_low()}); default {@link #defaultLowMemory}
 * @param cacheLines   64-byte lines in the CPU cache ({@link CpuCache}), a power of two; default
 *                     {@link CpuCache#DEFAULT_LINES}, small so that stale lines are evicted within a scenario
 */
public record MachineConfig(EncryptionMode mode, int cbit, boolean smeCoherent, long ramBytes, int cpus,
        long swiotlbBytes, long lowMemoryBytes, long vramBytes, List<InjectionRule> injections, CostParams costs,
        int cacheLines) {
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    public MachineConfig {
        injections = List.copyOf(injections);
    }

    /** The scenario defaults (docs/SCENARIOS.md): no encryption, C-bit 47, 1 GiB RAM, 4 CPUs, 256 MiB VRAM. */
    public static MachineConfig defaults(final EncryptionMode mode) {
        return conclude(mode, 47, false, GIB, 4, -1, 256 * MIB, Set.of(), CostParams.defaults());
    }

    /**
     * Fills derived defaults and validates. {@code swiotlbBytes < 0} means "the mode's default":
     * 64 MiB, or in SEV/SEV-SNP/TDX guests 6% of RAM clamped to [64 MiB, 1 GiB] (sev_setup_arch()).
     */
    public static MachineConfig conclude(final EncryptionMode mode, final int cbit, final boolean smeCoherent,
            final long ramBytes, final int cpus, final long swiotlbBytes, final long vramBytes,
            final Set<Injection> injections, final CostParams costs) {
        return conclude(mode, cbit, smeCoherent, ramBytes, cpus, swiotlbBytes, vramBytes, injections, costs,
                CpuCache.DEFAULT_LINES);
    }

    /** The same, with the CPU cache size (the other overload uses {@link CpuCache#DEFAULT_LINES}). */
    public static MachineConfig conclude(final EncryptionMode mode, final int cbit, final boolean smeCoherent,
            final long ramBytes, final int cpus, final long swiotlbBytes, final long vramBytes,
            final Set<Injection> injections, final CostParams costs, final int cacheLines) {
        return conclude(mode, cbit, smeCoherent, ramBytes, cpus, swiotlbBytes, vramBytes,
                injections.stream().sorted().map(InjectionRule::always).toList(), costs, cacheLines);
    }

    /** The same, with injections that fire only at some occurrences or steps. */
    public static MachineConfig conclude(final EncryptionMode mode, final int cbit, final boolean smeCoherent,
            final long ramBytes, final int cpus, final long swiotlbBytes, final long vramBytes,
            final List<InjectionRule> injections, final CostParams costs, final int cacheLines) {
        final MachineConfig c = new MachineConfig(mode, cbit, smeCoherent, ramBytes, cpus, swiotlbBytes < 0 ? -1
                : swiotlbBytes, defaultLowMemory(ramBytes), vramBytes, injections, costs, cacheLines);
        c.check();
        return c;
    }

    /** This configuration with another CPU cache size (checked). */
    public MachineConfig withCacheLines(final int lines) {
        final MachineConfig c = new MachineConfig(mode, cbit, smeCoherent, ramBytes, cpus, swiotlbBytes,
                lowMemoryBytes, vramBytes, injections, costs, lines);
        c.check();
        return c;
    }

    /**
     * Whether the CPU caches are coherent across encryption aliases: SME_COHERENT on AMD parts; never
     * on TDX, whose lines are tagged by KeyID (the TDX kexec series: "WBINVD is able to flush cachelines associated with any HKID").
     */
    public boolean cachesCoherentAcrossAliases() {
        return smeCoherent && mode != EncryptionMode.TDX;
    }

    /**
     * The model's default for {@link #lowMemoryBytes}: RAM below 2 GiB (where a QEMU q35 guest of more than
     * 2.75 GiB puts its 32-bit PCI hole), less the 4 MiB kernel image at the bottom.
     */
    public static long defaultLowMemory(final long ramBytes) {
        return Math.min(ramBytes, 2 * GIB) - KERNEL_IMAGE_BYTES;
    }

    /** The kernel image at the bottom of RAM (dma.Kernel places it there). */
    public static final long KERNEL_IMAGE_BYTES = 4 * MIB;

    /** This configuration with another largest free low-memory block (checked). */
    public MachineConfig withLowMemory(final long bytes) {
        final MachineConfig c = new MachineConfig(mode, cbit, smeCoherent, ramBytes, cpus, swiotlbBytes, bytes,
                vramBytes, injections, costs, cacheLines);
        c.check();
        return c;
    }

    /** Where device memory starts in the physical address space: RAM rounded up to 1 GiB. */
    public long vramBase() {
        return (ramBytes + GIB - 1) & ~(GIB - 1);
    }

    /** Whether any rule names {@code injection} (whether it may fire at all). */
    public boolean injected(final Injection injection) {
        for (final InjectionRule r : injections) {
            if (r.injection() == injection) {
                return true;
            }
        }
        return false;
    }

    private void check() {
        if (cbit < 32 || cbit > 51) {
            throw new IllegalArgumentException("machine.cbit must be in 32..51, found " + cbit);
        }
        if (ramBytes < 16 * MIB || (ramBytes & (Pte.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("machine.ram must be a page multiple of at least 16MiB, found " + ramBytes);
        }
        if (mode.memEncrypt() && vramBase() + vramBytes > (1L << cbit)) {
            throw new IllegalArgumentException("RAM + VRAM (" + (vramBase() + vramBytes)
                    + " bytes) does not fit below the encryption bit at " + cbit);
        }
        if (lowMemoryBytes < 0 || lowMemoryBytes > Math.min(ramBytes, 4 * GIB) - KERNEL_IMAGE_BYTES) {
            throw new IllegalArgumentException("machine.low-memory must lie in 0..min(ram, 4GiB) - 4MiB (the kernel"
                    + " image), found " + lowMemoryBytes);
        }
        if (!CpuCache.validLines(cacheLines)) {
            throw new IllegalArgumentException("machine.cache-lines must be a power of two in 1.."
                    + CpuCache.MAX_LINES + ", found " + cacheLines);
        }
        if (cpus < 1) {
            throw new IllegalArgumentException("machine.cpus must be at least 1, found " + cpus);
        }
    }
}
