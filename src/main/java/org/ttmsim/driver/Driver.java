package org.ttmsim.driver;

import org.ttmsim.dma.DmaDevice;
import org.ttmsim.ttm.TtmDevice;

/**
 * A driver instance bound to one device: the TTM device it initialised (with its managers and pool),
 * the struct device it does DMA for, and how it tells the device where memory is.
 *
 * @param id         {@code generic}, {@code vmwgfx}, {@code amdgpu} or {@code virtio-gpu}
 * @param bdev       the TTM device
 * @param dmaDevice  the PCI device's DMA parameters
 * @param dmaMode    how guest-backed or GTT memory reaches the device, for the report
 * @param addressing the bus addresses the driver gives the device for system pages
 * @param probe      the probe's outcome as the kernel log says it; {@link #probed()} tells success
 * @param probeError null when the probe succeeded, else why it failed: the device is unusable and every
 *                   operation that needs it gets ENODEV (the TTM device is kept only so that the rest of
 *                   the run has something to report on)
 */
public record Driver(String id, TtmDevice bdev, DmaDevice dmaDevice, String dmaMode, DeviceAddressing addressing,
        String probe, String probeError) {

    /** A driver that probed, reaching tt pages through their DMA addresses (or physical ones). */
    public Driver(final String id, final TtmDevice bdev, final DmaDevice dmaDevice, final String dmaMode) {
        this(id, bdev, dmaDevice, dmaMode, DeviceAddressing.ofTt(false), "probed", null);
    }

    /** Whether the probe succeeded. */
    public boolean probed() {
        return probeError == null;
    }
}
