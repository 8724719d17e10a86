package org.ttmsim.hw;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-XTS (IEEE 1619-2007) built on the JDK's AES: the data key and the tweak key are two
 * {@code AES/ECB/NoPadding} ciphers; this class only does the tweak arithmetic in GF(2^128).
 * No AES round is written here.
 *
 * <p>Not thread-safe: each instance owns its ciphers and scratch buffers (one per key, reused).
 * Data units must be a multiple of 16 bytes (no ciphertext stealing: the model's units are
 * 64-byte cache lines).
 */
public final class XtsCipher {
    private static final int BLOCK = 16;
    private final Cipher dataEnc;
    private final Cipher dataDec;
    private final Cipher tweakEnc;
    private byte[] tweaks = new byte[0];
    private byte[] scratch = new byte[0];
    private byte[] heads = new byte[0];

    /** @param key1 the data key, @param key2 the tweak key (16 or 32 bytes each). */
    public XtsCipher(final byte[] key1, final byte[] key2) {
        try {
            final SecretKeySpec k1 = new SecretKeySpec(key1, "AES");
            final SecretKeySpec k2 = new SecretKeySpec(key2, "AES");
            dataEnc = Cipher.getInstance("AES/ECB/NoPadding");
            dataEnc.init(Cipher.ENCRYPT_MODE, k1);
            dataDec = Cipher.getInstance("AES/ECB/NoPadding");
            dataDec.init(Cipher.DECRYPT_MODE, k1);
            tweakEnc = Cipher.getInstance("AES/ECB/NoPadding");
            tweakEnc.init(Cipher.ENCRYPT_MODE, k2);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("JDK AES unavailable", e);
        }
    }

    /**
     * Encrypts {@code units} consecutive data units of {@code unitLen} bytes; unit {@code i} uses
     * tweak value {@code firstTweak + i * tweakStep} (little-endian 128-bit, high half zero).
     */
    public void encrypt(final byte[] src, final int srcOff, final byte[] dst, final int dstOff, final int unitLen,
            final int units, final long firstTweak, final long tweakStep) {
        crypt(true, src, srcOff, dst, dstOff, unitLen, units, firstTweak, tweakStep);
    }

    /** Inverse of {@link #encrypt}. */
    public void decrypt(final byte[] src, final int srcOff, final byte[] dst, final int dstOff, final int unitLen,
            final int units, final long firstTweak, final long tweakStep) {
        crypt(false, src, srcOff, dst, dstOff, unitLen, units, firstTweak, tweakStep);
    }

    private void crypt(final boolean enc, final byte[] src, final int srcOff, final byte[] dst, final int dstOff,
            final int unitLen, final int units, final long firstTweak, final long tweakStep) {
        if (unitLen % BLOCK != 0 || unitLen == 0) {
            throw new IllegalArgumentException("data unit must be a positive multiple of 16, was " + unitLen);
        }
        final int len = unitLen * units;
        ensureScratch(units, len);
        computeTweaks(units, unitLen, firstTweak, tweakStep);
        final byte[] t = tweaks;
        final byte[] s = scratch;
        for (int i = 0; i < len; i++) {
            s[i] = (byte) (src[srcOff + i] ^ t[i]);
        }
        try {
            (enc ? dataEnc : dataDec).doFinal(s, 0, len, s, 0);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = (byte) (s[i] ^ t[i]);
        }
    }

    /** Fills {@code tweaks} with T_j for every block: T_0 = E_k2(i), T_{j+1} = T_j * alpha. */
    private void computeTweaks(final int units, final int unitLen, final long firstTweak, final long tweakStep) {
        final byte[] t = tweaks;
        for (int u = 0; u < units; u++) {
            final int base = u * unitLen;
            long v = firstTweak + u * tweakStep;
            for (int b = 0; b < BLOCK; b++) {
                t[base + b] = b < 8 ? (byte) v : 0;
                v = b < 8 ? v >>> 8 : 0;
            }
        }
        // Encrypt the first block of each unit in place; gather them contiguously for one ECB call.
        if (heads.length != units * BLOCK) {
            heads = new byte[units * BLOCK];
        }
        final byte[] heads = this.heads;
        for (int u = 0; u < units; u++) {
            System.arraycopy(t, u * unitLen, heads, u * BLOCK, BLOCK);
        }
        try {
            tweakEnc.doFinal(heads, 0, heads.length, heads, 0);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (int u = 0; u < units; u++) {
            final int base = u * unitLen;
            System.arraycopy(heads, u * BLOCK, t, base, BLOCK);
            for (int off = base + BLOCK; off < base + unitLen; off += BLOCK) {
                mulAlpha(t, off - BLOCK, off);
            }
        }
    }

    /** dst = src * alpha in GF(2^128), little-endian byte order, reduction polynomial 0x87. */
    private static void mulAlpha(final byte[] t, final int src, final int dst) {
        int carry = 0;
        for (int i = 0; i < BLOCK; i++) {
            final int b = t[src + i] & 0xff;
            t[dst + i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if (carry != 0) {
            t[dst] ^= (byte) 0x87;
        }
    }

    private void ensureScratch(final int units, final int len) {
        if (scratch.length < len) {
            scratch = new byte[len];
            tweaks = new byte[len];
        }
    }
}
