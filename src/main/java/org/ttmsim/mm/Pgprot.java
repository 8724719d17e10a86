package org.ttmsim.mm;

import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CcPlatform;
import org.ttmsim.hw.Pte;

/**
 * Page-protection arithmetic: models {@code vm_get_page_prot()} with the encryption bit that
 * {@code sme_early_init()} ORs into {@code protection_map[]} (arch/x86/mm/mem_encrypt_amd.c),
 * {@code pgprot_modify()} / {@code pte_modify()} (arch/x86/include/asm/pgtable.h), and the caching
 * helpers {@code pgprot_writecombine()} / {@code pgprot_noncached()}. A pgprot is a {@code long} with
 * the PTE's flag layout.
 */
public final class Pgprot {
    private static final long ADDR_MASK = ((1L << 52) - 1) & ~(Pte.PAGE_SIZE - 1);

    private Pgprot() {
    }

    /** {@code vm_get_page_prot(vm_flags)}: present, user, RW for shared writable, encrypted by default. */
    public static long vmGetPageProt(final CcPlatform cc, final int vmFlags) {
        long prot = Pte.PRESENT | Pte.USER;
        if ((vmFlags & VmFlags.VM_WRITE) != 0 && (vmFlags & VmFlags.VM_SHARED) != 0) {
            prot |= Pte.RW;
        }
        return cc.mkEnc(prot);
    }

    /** {@code PAGE_KERNEL}: present, writable, write-back, encrypted by default. */
    public static long pageKernel(final CcPlatform cc) {
        return cc.mkEnc(Pte.PRESENT | Pte.RW);
    }

    /**
     * {@code _PAGE_CHG_MASK}: the bits {@code pte_modify} and {@code pgprot_modify} keep from the old
     * value. Since v5.7 ("x86/mm: Fix vm page protection handling") it includes {@code _PAGE_ENC};
     * before, the encryption bit came from the new protection.
     */
    private static long chgMask(final CcPlatform cc, final boolean keepsEncBit) {
        long mask = (ADDR_MASK & ~cc.encMask()) | Pte.CACHE_MASK;
        if (keepsEncBit) {
            mask |= cc.encMask();
        }
        return mask;
    }

    /** {@code pgprot_modify(oldprot, newprot)}. */
    public static long pgprotModify(final CcPlatform cc, final long oldProt, final long newProt,
            final boolean keepsEncBit) {
        final long keep = chgMask(cc, keepsEncBit);
        return (oldProt & keep) | (newProt & ~keep);
    }

    /** {@code pte_modify(pte, newprot)}. */
    public static long pteModify(final CcPlatform cc, final long pte, final long newProt,
            final boolean keepsEncBit) {
        final long keep = chgMask(cc, keepsEncBit);
        return (pte & keep) | (newProt & ~keep);
    }

    /** {@code ttm_prot_from_caching()} (drivers/gpu/drm/ttm/ttm_module.c): WC or UC- over a prot. */
    public static long withCaching(final long prot, final Caching caching) {
        return Pte.withCaching(prot, caching);
    }
}
