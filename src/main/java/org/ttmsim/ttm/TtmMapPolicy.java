package org.ttmsim.ttm;

/**
 * The mapping decisions a design (SPEC §5) makes, consulted by the fault path ({@link TtmBoVm}) and the
 * kernel-map path ({@link TtmBoKmap}); with {@link TtmPolicy} (tt flags) these are the only places TTM
 * asks a design anything. Protections are pgprot {@code long}s.
 */
public interface TtmMapPolicy {
    /**
     * The VMA's {@code vm_page_prot} after the driver's mmap hook. {@code now} describes the backing
     * at mmap time (what a design that decides once must use).
     */
    long vmaProtAtMmap(MapContext now, long vmPageProt);

    /** Whether mmap populates the BO and maps every page at once ({@code dma_mmap_coherent}). */
    boolean mapsWholeBoAtMmap();

    /** The protection of the PTEs a fault inserts, for the backing at fault time. */
    long faultProt(MapContext ctx, long vmPageProt);

    /**
     * The kernel map of {@code numPages} pages: {@link #LINEAR_MAP} to use the linear map
     * ({@code kmap} fast path), otherwise the protection to vmap with.
     */
    long kmapProt(MapContext ctx, int numPages, long pageKernel);

    /** Sentinel of {@link #kmapProt}: map through the linear (direct) map. */
    long LINEAR_MAP = -1L;
}
