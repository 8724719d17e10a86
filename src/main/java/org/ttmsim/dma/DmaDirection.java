package org.ttmsim.dma;

/** Models {@code enum dma_data_direction} (include/linux/dma-direction.h). */
public enum DmaDirection {
    BIDIRECTIONAL,
    TO_DEVICE,
    FROM_DEVICE;

    boolean toDevice() {
        return this != FROM_DEVICE;
    }

    boolean fromDevice() {
        return this != TO_DEVICE;
    }
}
