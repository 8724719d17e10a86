package org.ttmsim.mm;

import org.agrona.collections.LongHashSet;
import org.ttmsim.hw.LongRangeSet;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;

/**
 * Models the kernel's direct (linear) map of RAM (arch/x86/mm/init_64.c) and the encryption
 * conversions on it, {@code set_memory_decrypted()} / {@code set_memory_encrypted()} via
 * {@code __set_memory_enc_pgtable()} (arch/x86/mm/pat/set_memory.c).
 *
 * <p>The direct map starts with 2 MiB mappings, encrypted whenever memory encryption is active. A
 * conversion runs the kernel's sequence: flush caches unless SME_COHERENT, the mode's "prepare"
 * hypercall (SNP: rescind validation + page-state change), rewrite the PTEs (splitting 2 MiB
 * mappings), flush TLBs on every CPU, the "finish" hypercall (SEV: KVM_HC_MAP_GPA_RANGE; TDX:
 * MapGPA + accept on the way back to private). A failed hypercall returns -EIO and the pages are
 * quarantined: their state is unknown, so they must be leaked, never reused.
 */
public final class DirectMap {
    /** {@code PAGE_OFFSET} of x86-64 with 4-level paging. */
    public static final long PAGE_OFFSET = 0xffff_8880_0000_0000L;
    private static final int PMD_PAGES = 512;
    private final Machine machine;
    /** Frames whose direct-map PTE is decrypted, as ranges (the boot-time SWIOTLB pool is one). */
    private final LongRangeSet decrypted = new LongRangeSet();
    private final LongHashSet splitPmds = new LongHashSet();

    public DirectMap(final Machine machine) {
        this.machine = machine;
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

    private int setMemoryEnc(final long pfn, final int pages, final boolean enc) {
        if (!machine.mode().memEncrypt()) {
            return Errno.OK; // cc_platform_has(CC_ATTR_MEM_ENCRYPT) is false: nothing to do.
        }
        flushCaches(pfn, pages);
        final boolean converted = hypercalls(pfn, pages, enc);
        if (!converted) {
            for (int i = 0; i < pages; i++) {
                machine.frameStates().quarantine(pfn + i);
            }
            machine.bus().emit(EventKind.CONVERSION, pfn, null, String.format(
                    "CPA VMM failure to convert memory: %d pages at pfn 0x%x quarantined (-EIO)", pages, pfn));
            return Errno.EIO;
        }
        rewritePtes(pfn, pages, enc);
        cpaFlush(pfn, pages);
        machine.ledger().charge(enc ? Counter.PAGES_ENCRYPTED : Counter.PAGES_DECRYPTED, pages,
                pages * machine.costs().cpaPerPageNs());
        machine.bus().emit(EventKind.CONVERSION, pfn, null, String.format("set_memory_%s: %d pages at pfn 0x%x",
                enc ? "encrypted" : "decrypted", pages, pfn));
        return Errno.OK;
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
        if (machine.injected(Injection.SKIP_CACHE_FLUSH)) {
            machine.fireInjection(Injection.SKIP_CACHE_FLUSH, "__set_memory_enc_pgtable pfn 0x"
                    + Long.toHexString(pfn));
            return;
        }
        machine.ledger().charge(Counter.CACHE_FLUSH_PAGES, pages, pages * machine.costs().cacheFlushPerPageNs());
        machine.bus().emit(EventKind.CACHE_FLUSH, pfn, null, "clflush " + pages + " pages before conversion");
        machine.cpuCache().flushPages(pfn, pages);
    }

    /** Steps 2 and 5: the mode's page-state-change hypercalls. Returns false if the VMM refused. */
    private boolean hypercalls(final long pfn, final int pages, final boolean enc) {
        final org.ttmsim.hw.EncryptionMode mode = machine.mode();
        if (!mode.guestMemEncrypt()) {
            return true;
        }
        final long ns = machine.costs().hypercallNs(mode);
        machine.ledger().charge(Counter.HYPERCALLS, 1, ns);
        final String call = mode == org.ttmsim.hw.EncryptionMode.SEV ? "KVM_HC_MAP_GPA_RANGE"
                : mode == org.ttmsim.hw.EncryptionMode.TDX ? "TDVMCALL MapGPA" : "VMGEXIT page-state-change";
        if (machine.injected(Injection.CONVERSION_FAILS)) {
            machine.fireInjection(Injection.CONVERSION_FAILS, call);
            return false;
        }
        machine.bus().emit(EventKind.HYPERCALL, pfn, null, String.format("%s %d pages to %s", call, pages,
                enc ? "private" : "shared"));
        if (mode.hasIntegrity()) {
            // SNP: PVALIDATE rescind/validate per page; TDX: accept per page when going private.
            final boolean perPage = mode == org.ttmsim.hw.EncryptionMode.SEV_SNP || enc;
            if (perPage) {
                machine.ledger().chargeNs(pages * machine.costs().pvalidatePerPageNs());
            }
        }
        for (int i = 0; i < pages; i++) {
            if (enc) {
                machine.frameStates().markPrivate(pfn + i);
            } else {
                machine.frameStates().markShared(pfn + i);
            }
        }
        return true;
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
        if (machine.injected(Injection.SKIP_TLB_FLUSH)) {
            machine.fireInjection(Injection.SKIP_TLB_FLUSH, "cpa_flush pfn 0x" + Long.toHexString(pfn));
            return;
        }
        for (int i = 0; i < pages; i++) {
            machine.tlb().flushPage(0, va((pfn + i) << Pte.PAGE_SHIFT) >>> Pte.PAGE_SHIFT);
        }
        final int cpus = machine.tlb().cpus();
        machine.ledger().charge(Counter.TLB_SHOOTDOWNS, cpus, cpus * machine.costs().tlbShootdownPerCpuNs());
        machine.bus().emit(EventKind.TLB_FLUSH, pfn, null, "cpa_flush on " + cpus + " cpus");
    }
}
