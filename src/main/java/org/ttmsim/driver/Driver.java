package org.ttmsim.driver;

import org.ttmsim.dma.DmaDevice;
import org.ttmsim.ttm.TtmDevice;

/**
 * A driver instance bound to one device: the TTM device it initialised (with its managers and pool)
 * and the struct device it does DMA for.
 *
 * @param id        {@code generic}, {@code vmwgfx} or {@code amdgpu}
 * @param bdev      the TTM device
 * @param dmaDevice the PCI device's DMA parameters
 * @param dmaMode   how guest-backed or GTT memory reaches the device, for the report
 */
public record Driver(String id, TtmDevice bdev, DmaDevice dmaDevice, String dmaMode) {
}
