package org.ttmsim.dma;

import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.release.Change;
import org.ttmsim.release.KernelRelease;

/**
 * Models how the kernel sizes and allocates the default SWIOTLB pool at boot: x86's
 * {@code pci_swiotlb_detect()} (arch/x86/kernel/pci-dma.c: a pool only when RAM reaches above 4 GiB or
 * memory encryption is active), {@code mem_encrypt_setup_arch()} / {@code sev_setup_arch()}
 * (arch/x86/mm/mem_encrypt.c: 6% of RAM clamped to [64 MiB, 1 GiB] in confidential guests from v5.11)
 * with {@code swiotlb_adjust_size()}, and {@code swiotlb_init_remap()} (kernel/dma/swiotlb.c): the pool
 * comes from {@code memblock_alloc_low()}, below 4 GiB, in whole 128-slot segments; when no free block is
 * that large the kernel boots without a pool, or from v6.2 halves the size until it fits.
 *
 * @param requestedBytes the size the kernel asked for: {@code swiotlb=} if given, else its default; 0 when
 *                       no pool is wanted
 * @param bytes          the pool it got: a multiple of 256 KiB, or 0 for none
 * @param outcome        one sentence: what the boot did, as {@code dmesg} would say it
 */
public record SwiotlbBoot(long requestedBytes, long bytes, String outcome) {
    /** {@code IO_TLB_DEFAULT_SIZE}: 64 MiB. */
    public static final long DEFAULT_BYTES = 64L << 20;
    /** {@code IO_TLB_MIN_SLABS}: the halving stops below 1 MiB of slots. */
    public static final long MIN_SLABS = (1L << 20) >>> Swiotlb.IO_TLB_SHIFT;
    private static final long GIB = 1L << 30;

    /**
     * The boot of {@code release} on a machine of {@code mode} with {@code ramBytes} of RAM.
     *
     * @param cmdlineBytes   {@code swiotlb=} as a size in bytes (rounded up to whole segments), or -1
     * @param lowMemoryBytes the largest block {@code memblock_alloc_low()} can find below 4 GiB
     */
    public static SwiotlbBoot boot(final EncryptionMode mode, final KernelRelease release, final long ramBytes,
            final long cmdlineBytes, final long lowMemoryBytes) {
        final boolean wanted = ramBytes > 4 * GIB || mode.memEncrypt() || cmdlineBytes >= 0;
        if (!wanted) {
            return new SwiotlbBoot(0, 0, "no SWIOTLB: RAM ends below 4 GiB and memory is not encrypted"
                    + " (pci_swiotlb_detect)");
        }
        final long requested = slabs(cmdlineBytes >= 0 ? cmdlineBytes : defaultBytes(mode, release, ramBytes))
                << Swiotlb.IO_TLB_SHIFT;
        long nslabs = requested >>> Swiotlb.IO_TLB_SHIFT;
        if (nslabs << Swiotlb.IO_TLB_SHIFT <= lowMemoryBytes) {
            return new SwiotlbBoot(requested, requested, "SWIOTLB of " + mib(requested) + " allocated in low memory");
        }
        if (!release.has(Change.SWIOTLB_SHRINKS_ON_FAILURE)) {
            return new SwiotlbBoot(requested, 0, "swiotlb_init_remap: failed to allocate " + mib(requested)
                    + " (largest low-memory block " + mib(lowMemoryBytes) + "): booting without a bounce pool");
        }
        while (nslabs << Swiotlb.IO_TLB_SHIFT > lowMemoryBytes) {
            nslabs = align(nslabs >>> 1);
            if (nslabs < MIN_SLABS) {
                return new SwiotlbBoot(requested, 0, "swiotlb_init_remap: no low-memory block of even 1 MiB:"
                        + " booting without a bounce pool");
            }
        }
        final long bytes = nslabs << Swiotlb.IO_TLB_SHIFT;
        return new SwiotlbBoot(requested, bytes, "SWIOTLB bounce buffer size adjusted " + (requested
                >>> Swiotlb.IO_TLB_SHIFT) + " -> " + nslabs + " slabs (" + mib(requested) + " -> " + mib(bytes)
                + "): no larger block in low memory");
    }

    /**
     * The size the kernel asks for without {@code swiotlb=}: 64 MiB, or in a confidential guest from v5.11
     * ({@link Change#SWIOTLB_SEV_SIZE}) 6% of RAM clamped to [64 MiB, 1 GiB].
     */
    public static long defaultBytes(final EncryptionMode mode, final KernelRelease release, final long ramBytes) {
        if (!mode.guestMemEncrypt() || !release.has(Change.SWIOTLB_SEV_SIZE)) {
            return DEFAULT_BYTES;
        }
        return Math.max(DEFAULT_BYTES, Math.min(GIB, ramBytes * 6 / 100));
    }

    /** {@code swiotlb_adjust_size()}: bytes to slots, in whole segments. */
    private static long slabs(final long bytes) {
        final long slots = (bytes + Swiotlb.IO_TLB_SIZE - 1) >>> Swiotlb.IO_TLB_SHIFT;
        return align(slots);
    }

    private static long align(final long slabs) {
        return (slabs + Swiotlb.IO_TLB_SEGSIZE - 1) / Swiotlb.IO_TLB_SEGSIZE * Swiotlb.IO_TLB_SEGSIZE;
    }

    private static String mib(final long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : String.format("%.2f MiB", bytes / 1048576.0);
    }
}
