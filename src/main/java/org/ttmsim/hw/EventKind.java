package org.ttmsim.hw;

/** Every kind of emulated action on the {@link EventBus}; the prefix names the component for traces. */
public enum EventKind {
    FAULT("mm"),
    PTE_INSERT("mm"),
    PTE_ZAP("mm"),
    MMAP("mm"),
    MUNMAP("mm"),
    MPROTECT("mm"),
    /** A kernel map torn down ({@code vunmap}/{@code iounmap}): PTEs cleared, TLB entries left for the purge. */
    VUNMAP("mm"),
    SIGNAL("mm"),
    TLB_FLUSH("tlb"),
    /** A CPU cached a translation other than the linear map's (a user PTE, a vmap/ioremap PTE). */
    TLB_FILL("tlb"),
    CACHE_FLUSH("cache"),
    CACHE_WRITEBACK("cache"),
    CONVERSION("cpa"),
    HYPERCALL("hv"),
    CPU_READ("cpu"),
    CPU_WRITE("cpu"),
    DMA_READ("dma"),
    DMA_WRITE("dma"),
    DMA_MAP("dma"),
    BOUNCE("swiotlb"),
    HOST_READ("host"),
    HOST_WRITE("host"),
    KMAP("ttm"),
    POPULATE("ttm"),
    UNPOPULATE("ttm"),
    POOL("ttm"),
    MOVE("ttm"),
    EVICT("ttm"),
    SWAP("ttm"),
    VALIDATE("ttm"),
    INJECT("inject"),
    /** A kernel WARN or a driver bug the kernel would oops on: the model goes on and says so. */
    WARN("kernel"),
    GUEST_FATAL("hw");

    private final String component;

    EventKind(final String component) {
        this.component = component;
    }

    /** The trace prefix, e.g. {@code mm} or {@code dma}. */
    public String component() {
        return component;
    }

    /** The kebab-case name, e.g. {@code pte-insert}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
