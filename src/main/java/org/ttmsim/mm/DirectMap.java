package org.ttmsim.mm;

import org.agrona.collections.LongHashSet;
import org.ttmsim.hw.LongRangeSet;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.GuestTerminated;
import org.ttmsim.release.Change;
import org.ttmsim.release.KernelRelease;

/**
 * Models the kernel's direct (linear) map of RAM (arch/x86/mm/init_64.c) and the encryption
 * conversions on it, {@code set_memory_decrypted()} / {@code set_memory_encrypted()} via
 * {@code __set_memory_enc_pgtable()} (arch/x86/mm/pat/set_memory.c).
 *
 * <p>The direct map starts with 2 MiB mappings, encrypted whenever memory encryption is active. A
 * conversion runs the kernel's sequence: {@code vm_unmap_aliases()} (the purge of lazily freed vmap
 * areas, whose TLB entries would otherwise alias the new attribute), a TLB flush on every CPU with a cache flush unless
 * SME_COHERENT, the mode's "prepare" (SNP going shared: page-state change and PVALIDATE), the PTE
 * rewrite (splitting 2 MiB mappings), a second TLB flush, the mode's "finish" (SEV and SNP: one
 * KVM_HC_MAP_GPA_RANGE per mapping entry from v5.16; SNP going private: page-state change; TDX:
 * MapGPA, and accept on the way back to private). What a refused conversion does is per mode (see
 * {@link #setMemoryDecrypted}). Cost counts: {@code hypercalls} counts every VMM call (KVM hypercall,
 * page-state-change VMGEXIT, TDVMCALL).
 */
public final class DirectMap {
    /** {@code PAGE_OFFSET} of x86-64 with 4-level paging. */
    public static final long PAGE_OFFSET = 0xffff_8880_0000_0000L;
    private static final int PMD_PAGES = 512;
    private final Machine machine;
    private final KernelRelease release;
    private final Vmalloc vmalloc;
    /** Frames whose direct-map PTE is decrypted, as ranges (the boot-time SWIOTLB pool is one). */
    private final LongRangeSet decrypted = new LongRangeSet();
    private final LongHashSet splitPmds = new LongHashSet();

    /** @param vmalloc whose lazily freed areas {@code vm_unmap_aliases()} purges before a conversion */
    public DirectMap(final Machine machine, final KernelRelease release, final Vmalloc vmalloc) {
        this.machine = machine;
        this.release = release;
        this.vmalloc = vmalloc;
    }

    /** The direct-map PTE of a RAM frame. */
    public long pte(final long pfn) {
        final long base = Pte.make(pfn, Pte.PRESENT | Pte.RW);
        return decrypted.contains(pfn) ? machine.cc().mkDec(base) : machine.cc().mkEnc(base);
    }

    public boolean isDecrypted(final long pfn) {
        return decrypted.contains(pfn);
    }

    /** {@code __va()}: the linear-map address of a physical address. */
    public static long va(final long pa) {
        return PAGE_OFFSET + pa;
    }

    public static boolean isLinear(final long va) {
        // Kernel addresses are the upper half: compare as unsigned, or every user address would pass.
        return Long.compareUnsigned(va, PAGE_OFFSET) >= 0;
    }

    /**
     * Boot-time conversion ({@code swiotlb_update_mem_attributes()}, {@code mem_encrypt_init()}): the
     * same state change as {@link #setMemoryDecrypted}, done before the scenario starts, so it is
     * neither traced nor charged.
     */
    public void decryptAtBoot(final long pfn, final long pages) {
        if (!machine.mode().memEncrypt()) {
            return;
        }
        decrypted.addRange(pfn, pfn + pages);
        machine.frameStates().markShared(pfn, pages);
    }

    /** {@code set_memory_decrypted(__va(pfn << PAGE_SHIFT), pages)}; returns 0 or -EIO. */
    public int setMemoryDecrypted(final long pfn, final int pages) {
        return setMemoryEnc(pfn, pages, false);
    }

    /** {@code set_memory_encrypted()}; returns 0 or -EIO. */
    public int setMemoryEncrypted(final long pfn, final int pages) {
        return setMemoryEnc(pfn, pages, true);
    }

    /**
     * {@code __set_memory_enc_pgtable()}: {@code vm_unmap_aliases()} (the lazily freed kernel maps' TLB
     * entries go, {@link Vmalloc#vmUnmapAliases}), flush (TLB, and caches unless coherent), the mode's "prepare",
     * the PTE rewrite, a second TLB flush, the mode's "finish". A refused conversion does what each mode's
     * code does: SEV ignores the hypercall's result ("return value doesn't matter for the SEV side") and
     * the conversion completes; SEV-SNP terminates the guest ({@link GuestTerminated}); TDX returns -EIO
     * with the PTEs already rewritten and the frames as the VMM left them (v5.18, 1e8c5971c249).
     *
     * @return 0, or -EIO (TDX only)
     * @throws GuestTerminated when an SEV-SNP page-state change fails
     */
    private int setMemoryEnc(final long pfn, final int pages, final boolean enc) {
        if (!machine.mode().memEncrypt()) {
            return Errno.OK; // cc_platform_has(CC_ATTR_MEM_ENCRYPT) is false: nothing to do.
        }
        // "Must avoid aliasing mappings in the highmem code": kmap_flush_unused(); vm_unmap_aliases();
        vmalloc.vmUnmapAliases();
        flushCaches(pfn, pages);
        cpaFlush(pfn, pages);
        final EncryptionMode mode = machine.mode();
        if (mode == EncryptionMode.SEV_SNP && !enc) {
            snpPageStateChange(pfn, pages, false); // prepare: rescind validation, PSC to shared
        }
        rewritePtes(pfn, pages, enc);
        cpaFlush(pfn, pages);
        final boolean converted = finish(pfn, pages, enc);
        if (!converted) {
            machine.bus().emit(EventKind.CONVERSION, pfn, null, pages, String.format(
                    "CPA VMM failure to convert memory (pfn 0x%x, %d pages) to %s: -EIO; the PTEs say %s, the VMM"
                            + " left the frames as they were", pfn, pages, enc ? "private" : "shared",
                    enc ? "private" : "shared"));
            for (int i = 0; i < pages; i++) {
                machine.frameStates().quarantine(pfn + i);
            }
            return Errno.EIO;
        }
        machine.ledger().charge(enc ? Counter.PAGES_ENCRYPTED : Counter.PAGES_DECRYPTED, pages,
                pages * machine.costs().cpaPerPageNs());
        machine.bus().emit(EventKind.CONVERSION, pfn, null, pages, Event.sentence(
                "set_memory_%s: %d pages at pfn 0x%x", enc ? "encrypted" : "decrypted", pages, pfn));
        return Errno.OK;
    }

    /**
     * The mode's {@code enc_status_change_finish()}: SEV and SEV-SNP tell KVM (one
     * {@code KVM_HC_MAP_GPA_RANGE} per direct-map entry of the range, from v5.16,
     * {@link Change#SEV_CONVERSION_HYPERCALL}; SEV-SNP going private first changes the page state and
     * validates); TDX maps the GPA range (TDVMCALL MapGPA) and accepts pages going private.
     *
     * @return false when the VMM refused (TDX); an SEV refusal is ignored, an SEV-SNP one terminates
     */
    private boolean finish(final long pfn, final int pages, final boolean enc) {
        final EncryptionMode mode = machine.mode();
        if (!mode.guestMemEncrypt()) {
            return true;
        }
        if (mode == EncryptionMode.TDX) {
            machine.ledger().charge(Counter.HYPERCALLS, 1, machine.costs().hypercallNs(mode));
            if (injectedConversionFailure("TDVMCALL MapGPA")) {
                return false;
            }
            machine.bus().emit(EventKind.HYPERCALL, pfn, null, () -> String.format("TDVMCALL MapGPA %d pages to %s",
                    pages, enc ? "private" : "shared"));
            if (enc) {
                machine.ledger().chargeNs(pages * machine.costs().pvalidatePerPageNs()); // TDG.MEM.PAGE.ACCEPT
            }
            markFrames(pfn, pages, enc);
            return true;
        }
        if (mode == EncryptionMode.SEV_SNP && enc) {
            snpPageStateChange(pfn, pages, true);
        }
        notifyKvm(pfn, pages, enc);
        if (mode == EncryptionMode.SEV) {
            markFrames(pfn, pages, enc); // SEV: the C-bit alone decides; the kernel's own bookkeeping
        }
        return true;
    }

    /**
     * {@code enc_dec_hypercall()}: one {@code KVM_HC_MAP_GPA_RANGE} per page-table entry of the range
     * (a 2 MiB mapping counts once, a split one once per 4 KiB page); none before v5.16. Its result is
     * ignored, so an injected failure changes nothing.
     */
    private void notifyKvm(final long pfn, final int pages, final boolean enc) {
        if (!release.has(Change.SEV_CONVERSION_HYPERCALL)) {
            return;
        }
        final int entries = mappingEntries(pfn, pages);
        machine.ledger().charge(Counter.HYPERCALLS, entries, entries * machine.costs().hypercallNs(EncryptionMode.SEV));
        if (injectedConversionFailure("KVM_HC_MAP_GPA_RANGE")) {
            machine.bus().emit(EventKind.HYPERCALL, pfn, null, "KVM_HC_MAP_GPA_RANGE refused: the result is ignored"
                    + " (\"return value doesn't matter for the SEV side\"), the conversion stands");
            return;
        }
        machine.bus().emit(EventKind.HYPERCALL, pfn, null, () -> String.format("KVM_HC_MAP_GPA_RANGE x%d: %d pages to"
                + " %s", entries, pages, enc ? "private" : "shared"));
    }

    /**
     * {@code __set_pages_state()}: page-state-change VMGEXITs of at most 253 entries (64 from v6.5,
     * {@link Change#SNP_PSC_BATCH_64}, which also sends an aligned 2 MiB run as one entry) and PVALIDATE
     * of every page. A refusal terminates the guest: {@code sev_es_terminate(SEV_TERM_SET_LINUX,
     * GHCB_TERM_PSC)}.
     */
    private void snpPageStateChange(final long pfn, final int pages, final boolean toPrivate) {
        final boolean v65 = release.has(Change.SNP_PSC_BATCH_64);
        final int entries = v65 ? pscEntries(pfn, pages) : pages;
        final int batch = v65 ? 64 : 253;
        final int exits = (entries + batch - 1) / batch;
        machine.ledger().charge(Counter.HYPERCALLS, exits, exits * machine.costs().hypercallNs(EncryptionMode.SEV_SNP));
        if (injectedConversionFailure("VMGEXIT page-state-change")) {
            machine.bus().emit(EventKind.GUEST_FATAL, pfn, null, String.format("page-state change of %d pages at pfn"
                    + " 0x%x refused: sev_es_terminate(SEV_TERM_SET_LINUX, GHCB_TERM_PSC): the guest is terminated",
                    pages, pfn));
            throw new GuestTerminated("SEV-SNP page-state change refused at pfn 0x" + Long.toHexString(pfn)
                    + ": sev_es_terminate(SEV_TERM_SET_LINUX, GHCB_TERM_PSC)");
        }
        machine.ledger().chargeNs(pages * machine.costs().pvalidatePerPageNs());
        machine.bus().emit(EventKind.HYPERCALL, pfn, null, () -> String.format("VMGEXIT page-state-change x%d (%d"
                + " entries): %d pages to %s, PVALIDATE each", exits, entries, pages, toPrivate ? "private" : "shared"));
        markFrames(pfn, pages, toPrivate);
    }

    /**
     * Entries of a v6.5 page-state change: one 2 MiB entry per aligned run of 512 pages
     * ({@code IS_ALIGNED(vaddr, PMD_SIZE) && (vaddr_end - vaddr) >= PMD_SIZE}), one per page otherwise.
     */
    private static int pscEntries(final long pfn, final int pages) {
        int entries = 0;
        long p = pfn;
        final long end = pfn + pages;
        while (p < end) {
            entries++;
            p += p % PMD_PAGES == 0 && end - p >= PMD_PAGES ? PMD_PAGES : 1;
        }
        return entries;
    }

    private void markFrames(final long pfn, final int pages, final boolean toPrivate) {
        for (int i = 0; i < pages; i++) {
            if (toPrivate) {
                machine.frameStates().markPrivate(pfn + i);
            } else {
                machine.frameStates().markShared(pfn + i);
            }
        }
    }

    /** Whether the injected {@code conversion-fails} fires at this call (it is reported where it fires). */
    private boolean injectedConversionFailure(final String call) {
        if (!machine.fires(Injection.CONVERSION_FAILS)) {
            return false;
        }
        machine.fireInjection(Injection.CONVERSION_FAILS, call);
        return true;
    }

    /**
     * Direct-map entries covering {@code [pfn, pfn + pages)} after the rewrite: one per 2 MiB mapping
     * left whole, one per 4 KiB page of a split one ({@code lookup_address()} levels, as
     * {@code enc_dec_hypercall()} walks them).
     */
    private int mappingEntries(final long pfn, final int pages) {
        int entries = 0;
        long p = pfn;
        final long end = pfn + pages;
        while (p < end) {
            final long pmd = p / PMD_PAGES;
            if (splitPmds.contains(pmd)) {
                entries++;
                p++;
            } else {
                entries++;
                p = Math.min(end, (pmd + 1) * PMD_PAGES);
            }
        }
        return entries;
    }

    /**
     * Step 1: write back and drop the old attribute's cache lines ({@code clflush_cache_range()}), which
     * the kernel does iff {@code x86_platform.guest.enc_cache_flush_required()}: on AMD
     * {@code amd_enc_cache_flush_required()} is {@code !SME_COHERENT}; on TDX lines are tagged by KeyID
     * and the flush is always needed. Without it a dirty line of the old attribute survives the
     * conversion and is written back later over whatever the new attribute's users wrote (F7).
     */
    private void flushCaches(final long pfn, final int pages) {
        if (machine.config().cachesCoherentAcrossAliases()) {
            return;
        }
        if (machine.fires(Injection.SKIP_CACHE_FLUSH)) {
            machine.fireInjection(Injection.SKIP_CACHE_FLUSH, "__set_memory_enc_pgtable pfn 0x"
                    + Long.toHexString(pfn));
            return;
        }
        machine.ledger().charge(Counter.CACHE_FLUSH_PAGES, pages, pages * machine.costs().cacheFlushPerPageNs());
        machine.bus().emit(EventKind.CACHE_FLUSH, pfn, null, Event.sentence("clflush %d pages before conversion",
                pages));
        machine.cpuCache().flushPages(pfn, pages);
    }

    /**
     * Step 3: rewrite the direct-map PTEs, splitting a 2 MiB mapping the first time a conversion covers
     * only part of it. A request that starts at a 2 MiB mapping and covers all of it changes the PMD in
     * place without a split ({@code __should_split_large_page()}: "Update the large page mapping").
     */
    private void rewritePtes(final long pfn, final int pages, final boolean enc) {
        for (int i = 0; i < pages; i++) {
            final long p = pfn + i;
            final long pmdFirst = p - p % PMD_PAGES;
            final boolean wholePmd = pmdFirst >= pfn && pmdFirst + PMD_PAGES <= pfn + pages;
            if (!wholePmd && splitPmds.add(p / PMD_PAGES)) {
                machine.ledger().chargeNs(machine.costs().largePageSplitNs());
            }
            if (enc) {
                decrypted.remove(p);
            } else {
                decrypted.add(p);
            }
        }
    }

    /** Step 4: {@code cpa_flush()}: drop the old translations from every CPU. */
    private void cpaFlush(final long pfn, final int pages) {
        if (machine.fires(Injection.SKIP_TLB_FLUSH)) {
            machine.fireInjection(Injection.SKIP_TLB_FLUSH, "cpa_flush pfn 0x" + Long.toHexString(pfn));
            return;
        }
        for (int i = 0; i < pages; i++) {
            machine.tlb().flushPage(0, va((pfn + i) << Pte.PAGE_SHIFT) >>> Pte.PAGE_SHIFT);
        }
        final int cpus = machine.tlb().cpus();
        machine.ledger().charge(Counter.TLB_SHOOTDOWNS, cpus, cpus * machine.costs().tlbShootdownPerCpuNs());
        machine.bus().emit(EventKind.TLB_FLUSH, pfn, null, Event.sentence("cpa_flush on %d cpus", cpus));
    }
}
