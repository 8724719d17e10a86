package org.ttmsim.scenario;

import java.util.Objects;

/**
 * The {@code device:} section of a scenario: which driver's TTM device, how far it can address and
 * how much VRAM it has.
 *
 * @param driver      {@code generic}, {@code vmwgfx} or {@code amdgpu}
 * @param dmaMaskBits coherent DMA mask width, 24..64
 * @param iommu       device behind a translating IOMMU
 * @param vramBytes   VRAM size in bytes; 0 means no VRAM
 * @param dmaAlloc    whether the TTM pool uses dma_alloc_coherent, or null for the driver's choice
 */
public record DeviceSpec(String driver, int dmaMaskBits, boolean iommu, long vramBytes, Boolean dmaAlloc) {

    public static final String DEFAULT_DRIVER = "generic";
    public static final int DEFAULT_DMA_MASK_BITS = 64;
    public static final boolean DEFAULT_IOMMU = false;
    public static final long DEFAULT_VRAM_BYTES = 256L << 20;

    public DeviceSpec {
        Objects.requireNonNull(driver, "driver");
    }

    /** The device of a scenario without a {@code device:} section. */
    public static DeviceSpec defaults() {
        return new DeviceSpec(DEFAULT_DRIVER, DEFAULT_DMA_MASK_BITS, DEFAULT_IOMMU, DEFAULT_VRAM_BYTES, null);
    }
}
