package org.ttmsim.ttm;

/**
 * Models {@code enum dma_resv_usage} (include/linux/dma-resv.h). A query for a usage includes every
 * fence of that usage and of the ones before it: KERNEL (moves, clears) &lt; WRITE &lt; READ &lt;
 * BOOKKEEP (everything).
 */
public enum DmaResvUsage {
    KERNEL,
    WRITE,
    READ,
    BOOKKEEP
}
