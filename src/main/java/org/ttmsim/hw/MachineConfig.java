package org.ttmsim.hw;

import java.util.Collections;
import java.util.EnumSet;
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
 * @param swiotlbBytes SWIOTLB pool size
 * @param vramBytes    device memory size (0 = none)
 * @param injections   safeguards switched off (SPEC §6)
 * @param costs        cost-model parameters
 */
public record MachineConfig(EncryptionMode mode, int cbit, boolean smeCoherent, long ramBytes, int cpus,
        long swiotlbBytes, long vramBytes, Set<Injection> injections, CostParams costs) {
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    public MachineConfig {
        injections = Collections.unmodifiableSet(injections.isEmpty()
                ? EnumSet.noneOf(Injection.class) : EnumSet.copyOf(injections));
    }

    /** SPEC §2 defaults: no encryption, C-bit 47, 1 GiB RAM, 4 CPUs, 256 MiB VRAM. */
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
        final long swiotlb = swiotlbBytes >= 0 ? swiotlbBytes : defaultSwiotlb(mode, ramBytes);
        final MachineConfig c = new MachineConfig(mode, cbit, smeCoherent, ramBytes, cpus, swiotlb, vramBytes,
                injections, costs);
        c.check();
        return c;
    }

    static long defaultSwiotlb(final EncryptionMode mode, final long ramBytes) {
        if (!mode.guestMemEncrypt()) {
            return 64 * MIB;
        }
        final long six = ramBytes * 6 / 100;
        return Math.max(64 * MIB, Math.min(GIB, six)) & ~(Pte.PAGE_SIZE - 1);
    }

    /** Where device memory starts in the physical address space: RAM rounded up to 1 GiB. */
    public long vramBase() {
        return (ramBytes + GIB - 1) & ~(GIB - 1);
    }

    public boolean injected(final Injection injection) {
        return injections.contains(injection);
    }

    private void check() {
        if (cbit < 32 || cbit > 51) {
            throw new IllegalArgumentException("machine.cbit must be in 32..51, found " + cbit);
        }
        if (ramBytes < 16 * MIB || (ramBytes & (Pte.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("machine.ram must be a page multiple of at least 16MiB, found " + ramBytes);
        }
        if (vramBase() + vramBytes > (1L << cbit)) {
            throw new IllegalArgumentException("RAM + VRAM (" + (vramBase() + vramBytes)
                    + " bytes) does not fit below the encryption bit at " + cbit);
        }
        if (swiotlbBytes > ramBytes / 2) {
            throw new IllegalArgumentException("machine.swiotlb (" + swiotlbBytes + ") exceeds half of RAM");
        }
        if (cpus < 1) {
            throw new IllegalArgumentException("machine.cpus must be at least 1, found " + cpus);
        }
    }
}
