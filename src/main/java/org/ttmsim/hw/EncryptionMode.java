package org.ttmsim.hw;

/**
 * The machine's memory-encryption technology, as a scenario's {@code machine.encryption} names it.
 *
 * <p>Models the facts the kernel reads through {@code cc_platform_has()} (arch/x86/coco/core.c):
 * SME encrypts the host's own memory with the host key; SEV, SEV-SNP and TDX are confidential guests
 * whose private memory is encrypted with the guest's key and whose DMA must go to shared memory.
 */
public enum EncryptionMode {
    NONE("none"),
    SME("sme"),
    SEV("sev"),
    SEV_SNP("sev-snp"),
    TDX("tdx");

    private final String id;

    EncryptionMode(final String id) {
        this.id = id;
    }

    /** The scenario id ({@code none}, {@code sme}, {@code sev}, {@code sev-snp}, {@code tdx}). */
    public String id() {
        return id;
    }

    /** {@code CC_ATTR_MEM_ENCRYPT}: any memory encryption is active. */
    public boolean memEncrypt() {
        return this != NONE;
    }

    /** {@code CC_ATTR_GUEST_MEM_ENCRYPT}: a confidential guest (SEV, SEV-SNP, TDX). */
    public boolean guestMemEncrypt() {
        return this == SEV || this == SEV_SNP || this == TDX;
    }

    /** {@code CC_ATTR_HOST_MEM_ENCRYPT}: SME on the host. */
    public boolean hostMemEncrypt() {
        return this == SME;
    }

    /** Hardware that stops a private/shared mismatch instead of returning garbage (RMP, TDX SEPT). */
    public boolean hasIntegrity() {
        return this == SEV_SNP || this == TDX;
    }

    /** Intel TDX: the bit in the PTE means "shared", the inverse of AMD's C-bit. */
    public boolean sharedBitInverted() {
        return this == TDX;
    }

    /** Parses a scenario id; throws {@link IllegalArgumentException} naming the valid ones. */
    public static EncryptionMode fromId(final String id) {
        for (final EncryptionMode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown encryption mode '" + id + "' (none, sme, sev, sev-snp, tdx)");
    }
}
