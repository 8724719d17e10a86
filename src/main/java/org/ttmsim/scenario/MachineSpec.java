package org.ttmsim.scenario;

import java.util.Objects;

/**
 * The {@code machine:} section of a scenario: the CPU's memory-encryption mode and the sizes that
 * follow from it, as written (derived defaults such as the SWIOTLB size are left to the runner).
 *
 * @param encryption   {@code none}, {@code sme}, {@code sev}, {@code sev-snp} or {@code tdx}
 * @param cbit         C-bit (AMD) or shared-bit (TDX) position, 32..51
 * @param smeCoherent  CPUID 0x8000001F EAX[10]: caches coherent across C-bit aliases
 * @param ramBytes     RAM size in bytes, 16 MiB..64 TiB
 * @param cpus         CPU count, 1..{@value #MAX_CPUS}
 * @param swiotlbBytes SWIOTLB size asked for on the kernel command line, or null for the kernel's default
 * @param lowMemoryBytes the largest free block below 4 GiB for the boot's SWIOTLB allocation, or null for
 *                     the model's default (RAM below 2 GiB less the 4 MiB kernel image)
 */
public record MachineSpec(String encryption, int cbit, boolean smeCoherent, long ramBytes, int cpus,
                          Long swiotlbBytes, Long lowMemoryBytes) {

    public static final String DEFAULT_ENCRYPTION = "none";
    public static final int DEFAULT_CBIT = 47;
    public static final boolean DEFAULT_SME_COHERENT = false;
    public static final long DEFAULT_RAM_BYTES = 1L << 30;
    public static final int DEFAULT_CPUS = 4;
    /** The most CPUs an x86-64 kernel is built for: {@code NR_CPUS} with {@code CONFIG_MAXSMP} (arch/x86/Kconfig). */
    public static final int MAX_CPUS = 8192;

    public MachineSpec {
        Objects.requireNonNull(encryption, "encryption");
    }

    /** The machine of a scenario without a {@code machine:} section. */
    public static MachineSpec defaults() {
        return new MachineSpec(DEFAULT_ENCRYPTION, DEFAULT_CBIT, DEFAULT_SME_COHERENT, DEFAULT_RAM_BYTES,
                DEFAULT_CPUS, null, null);
    }
}
