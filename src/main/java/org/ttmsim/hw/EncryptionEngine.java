package org.ttmsim.hw;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The AES engine in the memory controller (AMD SME/SEV, Intel TME-MK/TDX): models the rule
 * ciphertext = E(key, PA, plaintext): an AES-128 engine in the memory controller with an address-based
 * tweak (AMD, https://developer.amd.com/sev/; Documentation/arch/x86/amd-memory-encryption.rst).
 *
 * <p>AES-128-XTS with a 64-byte cache line as the data unit and the line's physical address as the
 * tweak, so the same plaintext at two addresses gives different ciphertext and ciphertext copied to
 * another address decrypts to garbage. Keys are fixed per {@link KeyId}, derived from a constant seed
 * (deterministic runs); {@link KeyId#NONE} passes bytes through.
 */
public final class EncryptionEngine {
    /** Bytes in one cache line: the engine's unit of work. */
    public static final int LINE = 64;
    // The fixed keys, derived once per JVM: a SHA-256 through the JCA costs more than a small run.
    private static final byte[] HOST_DATA = derive("host-data");
    private static final byte[] HOST_TWEAK = derive("host-tweak");
    private static final byte[] GUEST_DATA = derive("guest-data");
    private static final byte[] GUEST_TWEAK = derive("guest-tweak");
    private final XtsCipher host = new XtsCipher(HOST_DATA, HOST_TWEAK);
    private final XtsCipher guest = new XtsCipher(GUEST_DATA, GUEST_TWEAK);

    public EncryptionEngine() {
    }

    /**
     * Encrypts whole lines: {@code len} bytes (a multiple of {@link #LINE}) of plaintext to be stored
     * at line-aligned physical address {@code pa}.
     */
    public void encrypt(final KeyId key, final long pa, final byte[] src, final int srcOff, final byte[] dst,
            final int dstOff, final int len) {
        checkLines(pa, len);
        if (key == KeyId.NONE) {
            System.arraycopy(src, srcOff, dst, dstOff, len);
            return;
        }
        cipher(key).encrypt(src, srcOff, dst, dstOff, LINE, len / LINE, pa, LINE);
    }

    /** Decrypts whole lines read from line-aligned physical address {@code pa}. */
    public void decrypt(final KeyId key, final long pa, final byte[] src, final int srcOff, final byte[] dst,
            final int dstOff, final int len) {
        checkLines(pa, len);
        if (key == KeyId.NONE) {
            System.arraycopy(src, srcOff, dst, dstOff, len);
            return;
        }
        cipher(key).decrypt(src, srcOff, dst, dstOff, LINE, len / LINE, pa, LINE);
    }

    private XtsCipher cipher(final KeyId key) {
        return key == KeyId.HOST ? host : guest;
    }

    private static void checkLines(final long pa, final int len) {
        if ((pa & (LINE - 1)) != 0 || len % LINE != 0) {
            throw new IllegalArgumentException("engine works on whole lines: pa=0x" + Long.toHexString(pa)
                    + " len=" + len);
        }
    }

    private static byte[] derive(final String label) {
        try {
            final byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("ttmsim fixed key: " + label).getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(h, 16);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
