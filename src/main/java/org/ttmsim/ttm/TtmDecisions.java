package org.ttmsim.ttm;

/**
 * The decision points of TTM's mapping paths that a design (docs/DESIGNS.md) may patch: the tt flags at
 * creation ({@code ttm_tt_create()}), the VMA protection after the driver's mmap hook, each inserted
 * PTE's protection ({@code ttm_bo_vm_fault_reserved()}), and the kernel-map protection
 * ({@code ttm_bo_kmap()}). TTM first computes the release's own value (in {@link TtmTt#create},
 * {@link TtmBoVm}, {@link TtmBoKmap}) and then asks the design; {@link #KERNEL} keeps the release's
 * value everywhere. These are the only places TTM consults a design.
 *
 * <p>Protections are pgprot {@code long}s (see {@link org.ttmsim.hw.Pte}).
 */
public interface TtmDecisions {
    /** A kernel-map protection meaning "through the linear (direct) map": the {@code kmap()} fast path. */
    long LINEAR_MAP = -1L;

    /**
     * {@code ttm_tt_create()}: the page flags of a new tt.
     *
     * @param kernelFlags what the release computed (ZERO_ALLOC / EXTERNAL by type; DECRYPTED per
     *                    {@link org.ttmsim.release.Change#TT_FLAG_DECRYPTED})
     */
    int ttFlags(TtView bo, int kernelFlags);

    /**
     * The VMA's {@code vm_page_prot} after the driver's mmap hook ({@code vm_get_page_prot()} as the
     * kernel leaves it). {@code now} describes the backing at mmap time.
     */
    long vmaProt(MapContext now, long vmPageProt);

    /** Whether mmap populates the BO and maps every page at once ({@code dma_mmap_coherent}). */
    boolean mapsWholeBoAtMmap();

    /**
     * The protection of the PTEs a fault inserts.
     *
     * @param vmPageProt the VMA's {@code vm_page_prot}
     * @param kernelProt what the release's fault path computed: {@code ttm_io_prot()} of its base
     *                   protection, decrypted for iomem
     */
    long faultProt(MapContext ctx, long vmPageProt, long kernelProt);

    /**
     * The kernel map of {@code numPages} pages.
     *
     * @param kernelProt what the release's {@code ttm_bo_kmap()} chose: {@link #LINEAR_MAP}, or the
     *                   protection of its vmap / ioremap
     * @return {@link #LINEAR_MAP}, or the protection to vmap (or ioremap) with
     */
    long kmapProt(MapContext ctx, int numPages, long kernelProt);

    /** The release's own decisions: no patch. */
    TtmDecisions KERNEL = new TtmDecisions() {
        @Override
        public int ttFlags(final TtView bo, final int kernelFlags) {
            return kernelFlags;
        }

        @Override
        public long vmaProt(final MapContext now, final long vmPageProt) {
            return vmPageProt;
        }

        @Override
        public boolean mapsWholeBoAtMmap() {
            return false;
        }

        @Override
        public long faultProt(final MapContext ctx, final long vmPageProt, final long kernelProt) {
            return kernelProt;
        }

        @Override
        public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
            return kernelProt;
        }
    };

    /** What a design may read of a buffer when its tt is created. */
    interface TtView {
        /** {@code ttm_pool_uses_dma_alloc()} of the buffer's device. */
        boolean poolUsesDmaAlloc();

        /** {@code force_dma_unencrypted(dev)} for the buffer's device. */
        boolean forceDmaUnencrypted();

        /** {@code cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)}. */
        boolean guestMemEncrypt();

        /** ttm_bo_type: 0 device, 1 kernel, 2 sg. */
        int type();
    }
}
