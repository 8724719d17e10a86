package org.ttmsim.dma;

/**
 * Models the DMA-relevant part of {@code struct device} (include/linux/device.h): its coherent DMA
 * mask, bus limit and whether a translating IOMMU sits in front of it ({@code use_dma_iommu()}).
 *
 * @param name             for traces
 * @param coherentMaskBits {@code coherent_dma_mask} = DMA_BIT_MASK(bits)
 * @param iommu            behind a translating DMA IOMMU (a DMA domain; an identity domain counts as none)
 * @param maxSegmentBytes  {@code dma_parms.max_segment_size}, or 0 for none set
 */
public record DmaDevice(String name, int coherentMaskBits, boolean iommu, long maxSegmentBytes) {

    /** A device with no segment limit of its own. */
    public DmaDevice(final String name, final int coherentMaskBits, final boolean iommu) {
        this(name, coherentMaskBits, iommu, 0);
    }

    /** {@code DMA_BIT_MASK(n)}. */
    public static long dmaBitMask(final int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    public long coherentDmaMask() {
        return dmaBitMask(coherentMaskBits);
    }
}
