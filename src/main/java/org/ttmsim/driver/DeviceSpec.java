package org.ttmsim.driver;

import java.util.Objects;

/**
 * The {@code device:} section of a scenario: which driver's TTM device, how far it can address, what
 * stands between it and memory, and how much VRAM it has.
 *
 * @param driver          {@code generic}, {@code vmwgfx}, {@code amdgpu} or {@code virtio-gpu}
 * @param dmaMaskBits     coherent DMA mask width, 24..64
 * @param iommu           {@code none}, {@code translated} (a DMA domain: dma-iommu translates) or
 *                        {@code passthrough} (an identity domain: dma-direct, addresses are physical)
 * @param vramBytes       VRAM size in bytes; 0 means no VRAM
 * @param dmaAlloc        whether the TTM pool uses dma_alloc_coherent, or null for the driver's choice
 * @param dmaApi          whether the driver reaches memory through the DMA API; false: it hands the
 *                        device the pages' physical addresses (no dma_map, no SWIOTLB, no conversion)
 * @param maxSegmentBytes the device's DMA segment limit ({@code dma_parms.max_segment_size}), a power of
 *                        two, or null for none beyond what the DMA layer imposes
 * @param chip            the device's chip, {@code other} unless it matters to a probe (amdgpu {@code raven})
 */
public record DeviceSpec(String driver, int dmaMaskBits, String iommu, long vramBytes, Boolean dmaAlloc,
                         boolean dmaApi, Long maxSegmentBytes, String chip) {

    public static final String DEFAULT_DRIVER = "generic";
    public static final int DEFAULT_DMA_MASK_BITS = 64;
    public static final boolean DEFAULT_IOMMU = false;
    public static final String DEFAULT_IOMMU_MODE = "none";
    public static final long DEFAULT_VRAM_BYTES = 256L << 20;
    public static final boolean DEFAULT_DMA_API = true;
    public static final String DEFAULT_CHIP = "other";

    public DeviceSpec {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(iommu, "iommu");
        Objects.requireNonNull(chip, "chip");
    }

    /** The v1 shape: an IOMMU that translates or none; the DMA API; no segment limit; no particular chip. */
    public DeviceSpec(final String driver, final int dmaMaskBits, final boolean iommu, final long vramBytes,
            final Boolean dmaAlloc) {
        this(driver, dmaMaskBits, iommu ? "translated" : "none", vramBytes, dmaAlloc, DEFAULT_DMA_API, null,
                DEFAULT_CHIP);
    }

    /** Whether a translating IOMMU (a DMA domain) sits in front of the device. */
    public boolean translated() {
        return "translated".equals(iommu);
    }

    /** The device of a scenario without a {@code device:} section. */
    public static DeviceSpec defaults() {
        return new DeviceSpec(DEFAULT_DRIVER, DEFAULT_DMA_MASK_BITS, DEFAULT_IOMMU, DEFAULT_VRAM_BYTES, null);
    }
}
