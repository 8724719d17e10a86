package org.ttmsim.ttm;

import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.release.Change;

/**
 * Models {@code struct ttm_tt} (include/drm/ttm/ttm_tt.h) and drivers/gpu/drm/ttm/ttm_tt.c: the system
 * pages backing a buffer object, their DMA addresses, their caching, and the page flags; creation by
 * buffer type, populate/unpopulate through the driver or the device pool, and swapout/swapin through
 * a shmem file.
 *
 * <p>Pages are PFNs in a {@code long[]}; 0 means "no page" (PFN 0 belongs to the kernel image and is
 * never handed out). Drivers may subclass this, as they embed the struct.
 */
public class TtmTt {
    /** Contents are in {@link #swapStorage()}; the next populate swaps them in. */
    public static final int FLAG_SWAPPED = 1 << 0;
    /** Pages must be zeroed when allocated (a device buffer user space could read). */
    public static final int FLAG_ZERO_ALLOC = 1 << 1;
    /** Pages come from outside TTM (an sg table); TTM never allocates them. */
    public static final int FLAG_EXTERNAL = 1 << 2;
    /** External pages that may still be mapped to user space. */
    public static final int FLAG_EXTERNAL_MAPPABLE = 1 << 3;
    /** Mappings of the pages must be decrypted (the pool's DMA-coherent pages in a guest). */
    public static final int FLAG_DECRYPTED = 1 << 4;
    /** Backed up through the ttm_backup API (not modelled; the bit is reserved). */
    public static final int FLAG_BACKED_UP = 1 << 5;
    /** TTM internal: set once populated, cleared by unpopulate. */
    public static final int FLAG_PRIV_POPULATED = 1 << 6;

    // Set by ttm_tt_init() and its variants.
    private TtmDevice bdev;
    private int numPages;
    private Caching caching;
    private Object sg;
    // Protected by the buffer's reservation lock.
    private int pageFlags;
    private long[] pages;
    private long[] dmaAddress;
    private ShmemFile swapStorage;

    /**
     * {@code ttm_tt_init()}: {@code PAGE_ALIGN(size)} pages plus {@code extraPages}, with the given flags
     * and caching, and an empty page array. Adds no flag of its own.
     *
     * @return 0 (allocation of the array cannot fail in the model)
     */
    public int init(final TtmBufferObject bo, final int pageFlags, final Caching caching, final long extraPages) {
        initFields(bo, pageFlags, caching, extraPages);
        pages = new long[numPages];
        return Errno.OK;
    }

    /**
     * {@code ttm_sg_tt_init()}: as {@link #init} with a DMA address array; EXTERNAL tts get only the
     * address array.
     */
    public int sgInit(final TtmBufferObject bo, final int pageFlags, final Caching caching) {
        initFields(bo, pageFlags, caching, 0);
        if ((pageFlags & FLAG_EXTERNAL) == 0) {
            pages = new long[numPages];
        }
        dmaAddress = new long[numPages];
        return Errno.OK;
    }

    private void initFields(final TtmBufferObject bo, final int flags, final Caching c, final long extraPages) {
        this.bdev = bo.bdev();
        this.numPages = (int) (((bo.size() + 4095) >>> 12) + extraPages);
        this.pageFlags = flags;
        this.dmaAddress = null;
        this.swapStorage = null;
        this.sg = bo.sg();
        this.caching = c;
    }

    /** {@code ttm_tt_fini()}: drops the swap file and the arrays. */
    public void fini() {
        swapStorage = null;
        pages = null;
        dmaAddress = null;
    }

    /**
     * {@code ttm_tt_create()}: gives the buffer a tt unless it has one. Flags by type: device gets
     * ZERO_ALLOC when {@code zeroAlloc}, kernel none, sg EXTERNAL; from v6.9
     * ({@link Change#TT_FLAG_DECRYPTED}) DECRYPTED iff the device pool uses DMA allocation and the
     * machine is a confidential guest. The design ({@link TtmDevice#decisions()}) has the last word.
     *
     * @return 0; -EINVAL for an unknown buffer type; -ENOMEM when the driver returns no tt
     */
    public static int create(final TtmBufferObject bo, final boolean zeroAlloc) {
        bo.resv().assertHeld();
        if (bo.ttm() != null) {
            return Errno.OK;
        }
        final TtmDevice bdev = bo.bdev();
        int pageFlags = 0;
        switch (bo.type()) {
            case TtmBufferObject.TYPE_DEVICE:
                if (zeroAlloc) {
                    pageFlags |= FLAG_ZERO_ALLOC;
                }
                break;
            case TtmBufferObject.TYPE_KERNEL:
                break;
            case TtmBufferObject.TYPE_SG:
                pageFlags |= FLAG_EXTERNAL;
                break;
            default:
                return Errno.EINVAL;
        }
        // When using dma_alloc_coherent with memory encryption the mapped TT pages need to be
        // decrypted, or the driver ends up sending encrypted memory to the GPU.
        if (bdev.kernel().release().has(Change.TT_FLAG_DECRYPTED) && bdev.pool().usesDmaAlloc()
                && bdev.kernel().machine().mode().guestMemEncrypt()) {
            pageFlags |= FLAG_DECRYPTED;
        }
        pageFlags = bdev.decisions().ttFlags(bo, pageFlags);
        final TtmTt tt = bdev.funcs().ttmTtCreate(bo, pageFlags);
        if (tt == null) {
            return Errno.ENOMEM;
        }
        bo.setTtm(tt);
        return Errno.OK;
    }

    /** {@code ttm_tt_destroy()}: the driver's destroy hook. */
    public static void destroy(final TtmDevice bdev, final TtmTt ttm) {
        bdev.funcs().ttmTtDestroy(bdev, ttm);
    }

    /**
     * {@code ttm_tt_populate()}: allocates the pages (driver hook, else the device pool), marks the tt
     * populated and swaps it in if it was swapped out. A populated tt is left alone.
     *
     * @return 0; -EINVAL for a null tt; the allocator's error (-ENOMEM, -EFAULT)
     */
    public static int populate(final TtmDevice bdev, final TtmTt ttm, final OperationCtx ctx) {
        if (ttm == null) {
            return Errno.EINVAL;
        }
        if (ttm.isPopulated()) {
            return Errno.OK;
        }
        int ret = bdev.funcs().ttmTtPopulate(bdev, ttm, ctx);
        if (ret != Errno.OK) {
            return ret;
        }
        ttm.pageFlags |= FLAG_PRIV_POPULATED;
        ttm.pageFlags &= ~FLAG_BACKED_UP;
        final int pages = ttm.numPages;
        final String caching = ttm.caching.id();
        final int flags = ttm.pageFlags;
        bdev.kernel().machine().bus().emit(EventKind.POPULATE, ttm.firstPfn(), null, () -> String.format(
                "populate tt of %d pages, %s%s", pages, caching, flagSuffix(flags)));
        if ((ttm.pageFlags & FLAG_SWAPPED) != 0) {
            ret = ttm.swapin();
            if (ret != Errno.OK) {
                unpopulate(bdev, ttm);
                return ret;
            }
        }
        return Errno.OK;
    }

    /** {@code ttm_tt_unpopulate()}: returns the pages (driver hook, else the pool); no-op if unpopulated. */
    public static void unpopulate(final TtmDevice bdev, final TtmTt ttm) {
        if (!ttm.isPopulated()) {
            return;
        }
        final long first = ttm.firstPfn();
        bdev.funcs().ttmTtUnpopulate(bdev, ttm);
        ttm.pageFlags &= ~FLAG_PRIV_POPULATED;
        bdev.kernel().machine().bus().emit(EventKind.UNPOPULATE, first, null,
                "unpopulate tt of " + ttm.numPages + " pages");
    }

    /**
     * {@code ttm_tt_swapout()}: copies every page to a new shmem file through the direct map,
     * unpopulates, and marks the tt SWAPPED.
     *
     * @return the number of pages
     */
    public static int swapout(final TtmDevice bdev, final TtmTt ttm) {
        return swapout(bdev, ttm, null);
    }

    /**
     * {@link #swapout(TtmDevice, TtmTt)} of {@code bo}'s tt: each page read goes to the device's
     * {@link TtmCopyReads} as {@code bo}'s content (null: nobody is told).
     */
    public static int swapout(final TtmDevice bdev, final TtmTt ttm, final TtmBufferObject bo) {
        final Kernel kernel = bdev.kernel();
        final ShmemFile shmem = new ShmemFile("ttm swap", (long) ttm.numPages << 12);
        for (int i = 0; i < ttm.numPages; i++) {
            final long pfn = ttm.pages[i];
            if (pfn != 0) {
                if (copyPage(kernel, pfn, shmem.page(i), false) == Errno.OK && bo != null) {
                    bdev.copyReads().read(bo, (long) i << Pte.PAGE_SHIFT, shmem.page(i),
                            "ttm_tt_swapout read (tt pages via the linear map)");
                }
            }
        }
        unpopulate(bdev, ttm);
        ttm.swapStorage = shmem;
        ttm.pageFlags |= FLAG_SWAPPED;
        kernel.machine().bus().emit(EventKind.SWAP, -1, null, "swapout " + ttm.numPages + " pages to shmem");
        return ttm.numPages;
    }

    /**
     * {@code ttm_tt_swapin()}: copies the shmem contents into the (allocated) pages, drops the file and
     * clears SWAPPED.
     *
     * @return 0, or -ENOMEM when a page is missing
     */
    public int swapin() {
        if (swapStorage == null) {
            throw new IllegalStateException("swapin without swap storage");
        }
        final Kernel kernel = bdev.kernel();
        for (int i = 0; i < numPages; i++) {
            if (pages[i] == 0) {
                return Errno.ENOMEM;
            }
            copyPage(kernel, pages[i], swapStorage.page(i), true);
        }
        swapStorage = null;
        pageFlags &= ~FLAG_SWAPPED;
        kernel.machine().bus().emit(EventKind.SWAP, firstPfn(), null,
                "swapin " + numPages + " pages from shmem");
        return Errno.OK;
    }

    /** {@code copy_highpage()}: a CPU copy through the linear map (x86-64 has no highmem). */
    private static int copyPage(final Kernel kernel, final long pfn, final byte[] shmemPage, final boolean toTt) {
        final long va = DirectMap.va(pfn << Pte.PAGE_SHIFT);
        final int r = kernel.cpuAccess().access(kernel.initMm(), va, shmemPage, 0, shmemPage.length, toTt, null);
        kernel.machine().ledger().chargePs((long) shmemPage.length * kernel.machine().costs().copyPsPerByte());
        return r;
    }

    private static String flagSuffix(final int flags) {
        return flags == 0 ? "" : " flags " + describeFlags(flags);
    }

    /** The flag names, e.g. {@code [zero-alloc, decrypted]}. */
    public static String describeFlags(final int flags) {
        final String[] names = {"swapped", "zero-alloc", "external", "external-mappable", "decrypted",
            "backed-up", "populated"};
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(names[i]);
            }
        }
        return sb.append(']').toString();
    }

    private long firstPfn() {
        return pages != null && numPages > 0 && pages[0] != 0 ? pages[0] : -1;
    }

    /** {@code ttm_tt_is_populated()}. */
    public boolean isPopulated() {
        return (pageFlags & FLAG_PRIV_POPULATED) != 0;
    }

    /** {@code ttm_tt_is_swapped()}. */
    public boolean isSwapped() {
        return (pageFlags & FLAG_SWAPPED) != 0;
    }

    /** {@code ttm_tt_mark_for_clear()}: the next population zeroes the pages. */
    public void markForClear() {
        pageFlags |= FLAG_ZERO_ALLOC;
    }

    public int pageFlags() {
        return pageFlags;
    }

    public int numPages() {
        return numPages;
    }

    public Caching caching() {
        return caching;
    }

    /** The page array (PFNs, 0 = none), or null after {@link #fini} or for an EXTERNAL sg tt. */
    public long[] pages() {
        return pages;
    }

    /** The DMA (bus) address of each page, or null for a tt without an address array. */
    public long[] dmaAddress() {
        return dmaAddress;
    }

    public ShmemFile swapStorage() {
        return swapStorage;
    }

    /** Test hook: {@code tt->swap_storage = shmem_file_setup(...)}. */
    void setSwapStorage(final ShmemFile file) {
        this.swapStorage = file;
    }

    public Object sg() {
        return sg;
    }
}
