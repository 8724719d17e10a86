package org.ttmsim.driver;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ttmsim.dma.DmaDirect;
import org.ttmsim.hw.Pte;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmTt;

/**
 * How a driver tells its device where a buffer's system pages are, as the address it programs into the
 * GPU's page tables or command stream: the DMA addresses TTM's pool mapped ({@code ttm_sg_tt_init()}
 * tts), the pages' physical addresses (a driver outside the DMA API: vmwgfx's {@code vmw_dma_phys},
 * vendor modules), or the driver's own scatterlist mapping (virtio-gpu). VRAM is reached at its bus
 * address in every case.
 */
public interface DeviceAddressing {
    /** The device's access hits no IOMMU mapping: an IO page fault, the access is aborted. */
    long IOMMU_FAULT = -2;

    /**
     * The bus address of page {@code page} of {@code bo}'s system backing, or
     * {@link DmaDirect#DMA_MAPPING_ERROR} when the driver has no mapping for it, or {@link #IOMMU_FAULT}.
     */
    long busAddress(TtmBufferObject bo, long page);

    /** What the driver does before the device reads the buffer (virtio-gpu's transfer_to_host sync). */
    default void beforeDeviceRead(final TtmBufferObject bo) {
    }

    /**
     * docs/SCENARIOS.md "Results" {@code state.<bo>.tt.dma}: how the device reaches the pages, {@code {addresses: dma|physical,
     * segments, largest}}; segments are runs of consecutive bus addresses, largest in bytes.
     */
    default Map<String, Object> describe(final TtmBufferObject bo) {
        final TtmTt tt = bo.ttm();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("addresses", tt.dmaAddress() != null ? "dma" : "physical");
        final long[] bus = new long[tt.numPages()];
        for (int i = 0; i < bus.length; i++) {
            bus[i] = busAddress(bo, i);
        }
        putSegments(m, bus);
        return m;
    }

    /** {@code segments} and {@code largest} of page-wise bus addresses (unmapped pages end a run). */
    static void putSegments(final Map<String, Object> m, final long[] bus) {
        long segments = 0;
        long largest = 0;
        long run = 0;
        for (int i = 0; i < bus.length; i++) {
            final boolean mapped = bus[i] >= 0 && bus[i] != DmaDirect.DMA_MAPPING_ERROR;
            if (!mapped) {
                run = 0;
                continue;
            }
            if (run == 0 || bus[i] != bus[i - 1] + Pte.PAGE_SIZE) {
                segments++;
                run = 0;
            }
            run += Pte.PAGE_SIZE;
            largest = Math.max(largest, run);
        }
        m.put("segments", segments);
        m.put("largest", largest);
    }

    /**
     * The usual addressing: the tt's DMA addresses when it has them, else the pages' physical addresses.
     *
     * @param physicalFaults whether a physical address faults in the IOMMU: a driver outside the DMA API
     *                       ({@code device.dma-api: false}) in front of a translating IOMMU, whose DMA
     *                       domain maps only what the DMA API was asked to map
     */
    static DeviceAddressing ofTt(final boolean physicalFaults) {
        return (bo, page) -> {
            final TtmTt tt = bo.ttm();
            final long[] dma = tt.dmaAddress();
            if (dma != null && dma[(int) page] != 0) {
                return dma[(int) page];
            }
            return physicalFaults ? IOMMU_FAULT : tt.pages()[(int) page] << Pte.PAGE_SHIFT;
        };
    }
}
