package org.ttmsim.dma;

/**
 * One coherent allocation from {@code dma_alloc_coherent()}: 2^order frames starting at {@code pfn},
 * reachable by the device at {@code dmaAddr}.
 *
 * @param decrypted whether the allocator converted the frames to shared (force_dma_unencrypted)
 */
public record DmaChunk(long pfn, int order, long dmaAddr, boolean decrypted) {
    public int pages() {
        return 1 << order;
    }
}
