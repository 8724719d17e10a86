package org.ttmsim.hw;

/**
 * What the encryption bit of a translation means on this machine: models {@code cc_mkenc()},
 * {@code cc_mkdec()} and {@code cc_platform_has()} (arch/x86/coco/core.c) and the CPU's choice of key.
 *
 * <p>AMD (SME, SEV, SEV-SNP): the C-bit set means private/encrypted. Intel TDX: the shared bit set
 * means shared/plaintext, so {@code pgprot_decrypted} <em>sets</em> it. With no encryption the bit is
 * simply an address bit nobody sets.
 */
public final class CcPlatform {
    /** The "bit" of a machine without encryption: above the 52-bit physical address space. */
    public static final int NO_ENC_BIT = 52;
    private final EncryptionMode mode;
    private final int cbit;
    private final long encMask;

    public CcPlatform(final EncryptionMode mode, final int cbit) {
        if (cbit < 32 || cbit > 51) {
            throw new IllegalArgumentException("cbit must be in 32..51, was " + cbit);
        }
        this.mode = mode;
        // Without encryption there is no such bit: 52 lies above every physical address.
        this.cbit = mode == EncryptionMode.NONE ? NO_ENC_BIT : cbit;
        this.encMask = mode == EncryptionMode.NONE ? 0 : 1L << cbit;
    }

    public EncryptionMode mode() {
        return mode;
    }

    /** The encryption bit's position ({@link #NO_ENC_BIT} without encryption). */
    public int cbit() {
        return cbit;
    }

    /** {@code sme_me_mask} / {@code cc_mask}: the bit, or 0 without encryption. */
    public long encMask() {
        return encMask;
    }

    /** Whether a PTE or pgprot makes the access private (encrypted). */
    public boolean isPrivate(final long pteOrProt) {
        if (encMask == 0) {
            return false;
        }
        final boolean bit = (pteOrProt & encMask) != 0;
        return mode.sharedBitInverted() != bit;
    }

    /** The engine key an access through this translation uses. */
    public KeyId keyOf(final long pteOrProt) {
        if (!isPrivate(pteOrProt)) {
            return KeyId.NONE;
        }
        return mode == EncryptionMode.SME ? KeyId.HOST : KeyId.GUEST;
    }

    /** The key private memory uses on this machine ({@code NONE} without encryption). */
    public KeyId privateKey() {
        switch (mode) {
            case NONE:
                return KeyId.NONE;
            case SME:
                return KeyId.HOST;
            default:
                return KeyId.GUEST;
        }
    }

    /** {@code pgprot_encrypted()} / {@code cc_mkenc()}. */
    public long mkEnc(final long prot) {
        if (encMask == 0) {
            return prot;
        }
        return mode.sharedBitInverted() ? prot & ~encMask : prot | encMask;
    }

    /** {@code pgprot_decrypted()} / {@code cc_mkdec()}. */
    public long mkDec(final long prot) {
        if (encMask == 0) {
            return prot;
        }
        return mode.sharedBitInverted() ? prot | encMask : prot & ~encMask;
    }

    /** "C=1" / "C=0" on AMD, "S=0" / "S=1" on TDX, "-" without encryption: for traces. */
    public String attrLabel(final long pteOrProt) {
        if (encMask == 0) {
            return "plain";
        }
        final int bit = (pteOrProt & encMask) != 0 ? 1 : 0;
        return (mode.sharedBitInverted() ? "S=" : "C=") + bit + (isPrivate(pteOrProt) ? "(private)" : "(shared)");
    }
}
