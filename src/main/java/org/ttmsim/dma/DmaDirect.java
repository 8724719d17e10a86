package org.ttmsim.dma;

import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.hw.Zeros;
import org.ttmsim.mm.CpuAccess;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.PageAllocator;
import org.ttmsim.release.Change;

/**
 * Models dma-direct (kernel/dma/direct.c, kernel/dma/mapping.c) with the x86 hook
 * {@code force_dma_unencrypted()} (arch/x86/mm/mem_encrypt.c): coherent allocation that decrypts
 * the linear map where forced, streaming maps that bounce through SWIOTLB where the device cannot
 * reach the page, and {@code dma_pgprot()}.
 *
 * <p>Decisions that depend only on (machine, device) are pure functions, so they can be table-tested.
 */
public final class DmaDirect {
    /** {@code DMA_MAPPING_ERROR}. */
    public static final long DMA_MAPPING_ERROR = ~0L;
    private final Machine machine;
    private final org.ttmsim.release.KernelRelease release;
    private final PageAllocator pages;
    private final DirectMap directMap;
    private final Swiotlb swiotlb;
    private final CpuAccess cpu;
    private final MmStruct initMm;

    public DmaDirect(final Machine machine, final org.ttmsim.release.KernelRelease release, final PageAllocator pages,
            final DirectMap directMap, final Swiotlb swiotlb, final CpuAccess cpu, final MmStruct initMm) {
        this.machine = machine;
        this.release = release;
        this.pages = pages;
        this.directMap = directMap;
        this.swiotlb = swiotlb;
        this.cpu = cpu;
        this.initMm = initMm;
    }

    public Machine machine() {
        return machine;
    }

    public Swiotlb swiotlb() {
        return swiotlb;
    }

    /**
     * {@code force_dma_unencrypted(dev)} (arch/x86/mm/mem_encrypt.c): true in every confidential guest;
     * on an SME host, from v5.3 ({@link Change#FORCE_DMA_UNENCRYPTED_SME_MASK}), true iff the device's
     * mask cannot carry the C-bit ({@code min_not_zero(coherent_dma_mask, bus_dma_limit) <=
     * DMA_BIT_MASK(__ffs64(sme_me_mask))}). No release tests for an IOMMU here: a device behind a
     * translating IOMMU escapes the rule only because its DMA API calls go through dma-iommu, which never
     * asks ({@link #allocCoherent}); code that calls this (or {@link #dmaPgprot}) directly gets true.
     * (Corrected Nov 2026: an earlier note claimed a 2024 IOMMU exemption; no source has one.)
     */
    public boolean forceDmaUnencrypted(final DmaDevice dev) {
        if (machine.mode().guestMemEncrypt()) {
            return true;
        }
        if (machine.mode().hostMemEncrypt() && release.has(Change.FORCE_DMA_UNENCRYPTED_SME_MASK)) {
            final long encMask = DmaDevice.dmaBitMask(machine.cc().cbit());
            return Long.compareUnsigned(dev.coherentDmaMask(), encMask) <= 0;
        }
        return false;
    }

    /** {@code phys_to_dma()}: on SME the C-bit rides in the DMA address ({@code __sme_set}). */
    public long physToDma(final long pa) {
        return machine.mode().memEncrypt() ? pa | machine.cc().encMask() & smeMeMaskForDma() : pa;
    }

    /** {@code phys_to_dma_unencrypted()}. */
    public long physToDmaUnencrypted(final long pa) {
        return pa;
    }

    /** Guests never put the C-bit in a DMA address (the device has no key); SME hosts do. */
    private long smeMeMaskForDma() {
        return machine.mode().hostMemEncrypt() ? -1L : 0L;
    }

    /** {@code dma_capable()}: the address fits the device's mask (an IOMMU remaps anything). */
    public boolean dmaCapable(final DmaDevice dev, final long dmaAddr, final long size) {
        return dev.iommu() || Long.compareUnsigned(dmaAddr + size - 1, dev.coherentDmaMask()) <= 0;
    }

    /**
     * {@code dma_alloc_coherent()}: through dma-iommu for a device behind a translating IOMMU (pages
     * stay encrypted), else {@code dma_direct_alloc()}: allocates 2^order frames, decrypts their linear
     * map when forced, zeroes them through it. A failed decryption (TDX only: SEV ignores the VMM and
     * SEV-SNP terminates) is what the release does with it: ignored before v5.8, the pages freed back to
     * the allocator in whatever state the failure left them from v5.8 ({@link Change#DMA_DIRECT_CHECKS_CONVERSION}),
     * leaked from v6.9 ({@link Change#DMA_DIRECT_LEAKS_ON_CONVERSION_FAILURE}, CVE-2024-35939).
     *
     * @return the chunk, or null (-ENOMEM): out of pages, or the conversion failed
     */
    public DmaChunk allocCoherent(final DmaDevice dev, final int order) {
        final long pfn = pages.allocPages(order);
        if (pfn == PageAllocator.NO_PAGE) {
            return null;
        }
        final boolean decrypt = !dev.iommu() && forceDmaUnencrypted(dev);
        if (!dev.iommu() && !decrypt && !dmaCapable(dev, physToDma(pfn << Pte.PAGE_SHIFT),
                (long) (1 << order) << Pte.PAGE_SHIFT)) {
            // dma_coherent_ok() fails in every zone: the C-bit of an SME host lies above the mask, and
            // nothing decrypts the pages (before v5.3, 9087c37584fb's reason).
            pages.freePages(pfn, order);
            machine.bus().emit(EventKind.DMA_MAP, pfn, null, String.format("dma_direct_alloc: dma address 0x%x is"
                    + " beyond the coherent mask of %s (dma_coherent_ok): no memory", physToDma(pfn << Pte.PAGE_SHIFT),
                    dev.name()));
            return null;
        }
        if (decrypt && directMap.setMemoryDecrypted(pfn, 1 << order) != Errno.OK) {
            if (release.has(Change.DMA_DIRECT_LEAKS_ON_CONVERSION_FAILURE)) {
                machine.bus().emit(EventKind.DMA_MAP, pfn, null, String.format("dma_direct_alloc: dma_set_decrypted"
                        + " failed: %d pages at pfn 0x%x leaked (out_leak_pages)", 1 << order, pfn));
                return null;
            }
            if (release.has(Change.DMA_DIRECT_CHECKS_CONVERSION)) {
                pages.freePages(pfn, order);
                machine.bus().emit(EventKind.DMA_MAP, pfn, null, String.format("dma_direct_alloc: dma_set_decrypted"
                        + " failed: %d pages at pfn 0x%x freed back to the page allocator in an unknown state", 1 << order,
                        pfn));
                return null;
            }
            machine.bus().emit(EventKind.DMA_MAP, pfn, null, "dma_direct_alloc: the result of set_memory_decrypted is"
                    + " ignored (" + release.id() + ")");
        }
        final int bytes = (1 << order) << Pte.PAGE_SHIFT;
        cpu.access(initMm, DirectMap.va(pfn << Pte.PAGE_SHIFT), Zeros.atLeast(bytes), 0, bytes, true, null);
        final long pa = pfn << Pte.PAGE_SHIFT;
        final long dmaAddr = decrypt ? physToDmaUnencrypted(pa) : physToDma(pa);
        final String devName = dev.name();
        machine.bus().emit(EventKind.DMA_MAP, pfn, null, Event.sentence(
                "dma_alloc_coherent %s order %d -> dma 0x%x%s", devName, order, dmaAddr,
                decrypt ? " (decrypted: force_dma_unencrypted)" : ""));
        return new DmaChunk(pfn, order, dmaAddr, decrypt);
    }

    /**
     * {@code dma_free_coherent()}: re-encrypts forced pages, then frees them. On v5.17 and v5.18 only one
     * page is re-encrypted ({@link Change#DMA_FREE_REENCRYPTS_ONE_PAGE}: a page count passed where bytes
     * were expected), so the others go back to the allocator shared; from v5.19 every page
     * ({@link Change#DMA_FREE_REENCRYPTS_SIZE}). Pages that cannot be re-encrypted are leaked from v5.17
     * ({@link Change#DMA_FREE_LEAKS_ON_REENCRYPT_FAILURE}).
     */
    public void freeCoherent(final DmaDevice dev, final DmaChunk chunk) {
        if (chunk.decrypted()) {
            final boolean onePage = release.has(Change.DMA_FREE_REENCRYPTS_ONE_PAGE)
                    && !release.has(Change.DMA_FREE_REENCRYPTS_SIZE);
            final int n = onePage ? 1 : chunk.pages();
            if (directMap.setMemoryEncrypted(chunk.pfn(), n) != Errno.OK
                    && release.has(Change.DMA_FREE_LEAKS_ON_REENCRYPT_FAILURE)) {
                machine.bus().emit(EventKind.DMA_MAP, chunk.pfn(), null, "dma_direct_free: dma_set_encrypted failed:"
                        + " pages leaked");
                return;
            }
        }
        pages.freePages(chunk.pfn(), chunk.order());
        final String devName = dev.name();
        final int order = chunk.order();
        machine.bus().emit(EventKind.DMA_MAP, chunk.pfn(), null, Event.sentence("dma_free_coherent %s order %d",
                devName, order));
    }

    /**
     * {@code dma_map_page()} / {@code dma_direct_map_page()}: bounces through SWIOTLB when forced
     * (confidential guests: {@code is_swiotlb_force_bounce}) or when the device cannot address the
     * page (an SME C-bit above its mask); otherwise returns the direct DMA address.
     */
    public long mapPage(final DmaDevice dev, final long pa, final int size, final DmaDirection dir) {
        final long direct = physToDma(pa);
        if (machine.mode().guestMemEncrypt() || !dmaCapable(dev, direct, size)) {
            final long tlbPa = swiotlb.map(pa, size, dir);
            if (tlbPa < 0) {
                return DMA_MAPPING_ERROR;
            }
            return physToDmaUnencrypted(tlbPa);
        }
        return direct;
    }

    /**
     * {@code dma_max_mapping_size()} via {@code dma_direct_max_mapping_size()}: the SWIOTLB's 256 KiB when
     * mappings of this device may bounce (a confidential guest forces it; an SME host's C-bit above the
     * mask), else no limit ({@link Long#MAX_VALUE}). A translating IOMMU maps without bouncing.
     */
    public long maxMappingSize(final DmaDevice dev) {
        if (dev.iommu() || swiotlb.bytes() == 0) {
            return Long.MAX_VALUE;
        }
        final boolean bounces = machine.mode().guestMemEncrypt()
                || !dmaCapable(dev, physToDma((machine.config().ramBytes() - 1) & ~(Pte.PAGE_SIZE - 1)), 1);
        return bounces ? Swiotlb.MAX_MAPPING_SIZE : Long.MAX_VALUE;
    }

    /** {@code dma_unmap_page()}: copies bounce buffers back and frees them. */
    public void unmapPage(final DmaDevice dev, final long dmaAddr, final DmaDirection dir) {
        final long pa = dmaAddr & ~machine.cc().encMask();
        if (swiotlb.contains(pa)) {
            swiotlb.unmap(pa, dir);
        }
    }

    /** {@code dma_sync_single_for_device/cpu()}. */
    public void sync(final long dmaAddr, final boolean forDevice) {
        final long pa = dmaAddr & ~machine.cc().encMask();
        if (swiotlb.contains(pa)) {
            swiotlb.sync(pa, forDevice);
        }
    }

    /**
     * {@code dma_pgprot()} (kernel/dma/mapping.c): the protection a CPU mapping of coherent memory needs.
     * x86 devices are DMA-coherent, so caching is kept; the encryption bit is cleared where forced only
     * from v5.7 ({@link org.ttmsim.release.Change#DMA_PGPROT_DECRYPTS}, 17c4a2ae15a7).
     */
    public long dmaPgprot(final DmaDevice dev, final long prot) {
        return dmaPgprotDecrypts(dev) ? machine.cc().mkDec(prot) : prot;
    }

    /** Whether {@link #dmaPgprot} decrypts for {@code dev} on this release. */
    public boolean dmaPgprotDecrypts(final DmaDevice dev) {
        return release.has(org.ttmsim.release.Change.DMA_PGPROT_DECRYPTS) && forceDmaUnencrypted(dev);
    }
}
