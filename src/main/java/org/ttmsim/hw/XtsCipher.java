package org.ttmsim.hw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-XTS (IEEE 1619-2007) built on the JDK's AES: the data key and the tweak key are two
 * {@code AES/ECB/NoPadding} ciphers; this class only does the tweak arithmetic in GF(2^128).
 * No AES round is written here.
 *
 * <p>One call of {@code units} data units makes two ECB calls, whatever the count: one encrypting the
 * first tweak of every unit, one for all the data. The tweak and data passes work eight bytes at a
 * time; a 128-bit tweak is the pair (lo, hi) of its little-endian halves, so multiplying by alpha is a
 * 128-bit left shift with 0x87 folded back into the low byte. The ECB calls read and write separate
 * arrays: the JDK copies its input first when they are the same, which would allocate on every call.
 *
 * <p>Not thread-safe: each instance owns its ciphers and scratch buffers (one per key, grown on demand
 * and reused, so a call allocates nothing once the largest size has been seen). Data units must be a
 * multiple of 16 bytes (no ciphertext stealing: the model's units are 64-byte cache lines).
 */
public final class XtsCipher {
    private static final int BLOCK = 16;
    private static final long GF_128_FDBK = 0x87;
    /** The data unit with an unrolled tweak expansion: a 64-byte line, four blocks. */
    private static final int LINE_UNIT = 64;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private final Cipher dataEnc;
    private final Cipher dataDec;
    private final Cipher tweakEnc;
    // Scratch: the tweak of every block, the ECB input (src ^ tweak) and output, the units' first tweaks.
    private byte[] tweaks = new byte[0];
    private byte[] ecbIn = new byte[0];
    private byte[] ecbOut = new byte[0];
    private byte[] heads = new byte[0];
    private byte[] encHeads = new byte[0];

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
     * {@code src} and {@code dst} may be the same array.
     */
    public void encrypt(final byte[] src, final int srcOff, final byte[] dst, final int dstOff, final int unitLen,
            final int units, final long firstTweak, final long tweakStep) {
        crypt(dataEnc, src, srcOff, dst, dstOff, unitLen, units, firstTweak, tweakStep);
    }

    /** Inverse of {@link #encrypt}. */
    public void decrypt(final byte[] src, final int srcOff, final byte[] dst, final int dstOff, final int unitLen,
            final int units, final long firstTweak, final long tweakStep) {
        crypt(dataDec, src, srcOff, dst, dstOff, unitLen, units, firstTweak, tweakStep);
    }

    private void crypt(final Cipher data, final byte[] src, final int srcOff, final byte[] dst, final int dstOff,
            final int unitLen, final int units, final long firstTweak, final long tweakStep) {
        if (unitLen % BLOCK != 0 || unitLen == 0) {
            throw new IllegalArgumentException("data unit must be a positive multiple of 16, was " + unitLen);
        }
        final int len = unitLen * units;
        ensureScratch(len, units * BLOCK);
        encryptHeads(units, firstTweak, tweakStep);
        expandTweaks(units, unitLen);
        xorTweaks(src, srcOff, ecbIn, 0, len);
        ecb(data, ecbIn, ecbOut, len);
        xorTweaks(ecbOut, 0, dst, dstOff, len);
    }

    /** {@code encHeads[u] = E_k2(firstTweak + u * tweakStep)}: T_0 of every unit, in one ECB call. */
    private void encryptHeads(final int units, final long firstTweak, final long tweakStep) {
        final byte[] h = heads;
        long v = firstTweak;
        for (int u = 0; u < units; u++) {
            LONG_LE.set(h, u * BLOCK, v); // the high half stays zero: nothing else writes heads
            v += tweakStep;
        }
        ecb(tweakEnc, h, encHeads, units * BLOCK);
    }

    /** {@code tweaks} gets T_j = T_0 * alpha^j for every block j of every unit. */
    private void expandTweaks(final int units, final int unitLen) {
        if (unitLen == LINE_UNIT) {
            expandLineTweaks(units);
            return;
        }
        final byte[] t = tweaks;
        final byte[] e = encHeads;
        for (int u = 0; u < units; u++) {
            long lo = (long) LONG_LE.get(e, u * BLOCK);
            long hi = (long) LONG_LE.get(e, u * BLOCK + 8);
            final int end = (u + 1) * unitLen;
            for (int off = u * unitLen; off < end; off += BLOCK) {
                LONG_LE.set(t, off, lo);
                LONG_LE.set(t, off + 8, hi);
                // Multiply by alpha: shift the 128-bit value left; the bit out of the top folds back as 0x87.
                final long fold = (hi >> 63) & GF_128_FDBK;
                hi = (hi << 1) | (lo >>> 63);
                lo = (lo << 1) ^ fold;
            }
        }
    }

    /** {@link #expandTweaks} for 64-byte units (the engine's cache lines): four blocks, unrolled. */
    private void expandLineTweaks(final int units) {
        final byte[] t = tweaks;
        final byte[] e = encHeads;
        for (int u = 0; u < units; u++) {
            final long lo0 = (long) LONG_LE.get(e, u * BLOCK);
            final long hi0 = (long) LONG_LE.get(e, u * BLOCK + 8);
            final long lo1 = (lo0 << 1) ^ ((hi0 >> 63) & GF_128_FDBK);
            final long hi1 = (hi0 << 1) | (lo0 >>> 63);
            final long lo2 = (lo1 << 1) ^ ((hi1 >> 63) & GF_128_FDBK);
            final long hi2 = (hi1 << 1) | (lo1 >>> 63);
            final int off = u * LINE_UNIT;
            LONG_LE.set(t, off, lo0);
            LONG_LE.set(t, off + 8, hi0);
            LONG_LE.set(t, off + 16, lo1);
            LONG_LE.set(t, off + 24, hi1);
            LONG_LE.set(t, off + 32, lo2);
            LONG_LE.set(t, off + 40, hi2);
            LONG_LE.set(t, off + 48, (lo2 << 1) ^ ((hi2 >> 63) & GF_128_FDBK));
            LONG_LE.set(t, off + 56, (hi2 << 1) | (lo2 >>> 63));
        }
    }

    /** {@code dst[i] = src[i] ^ tweaks[i]} for {@code len} bytes (a multiple of 16), eight at a time. */
    private void xorTweaks(final byte[] src, final int srcOff, final byte[] dst, final int dstOff, final int len) {
        final byte[] t = tweaks;
        for (int i = 0; i < len; i += 8) {
            LONG_LE.set(dst, dstOff + i, (long) LONG_LE.get(src, srcOff + i) ^ (long) LONG_LE.get(t, i));
        }
    }

    private static void ecb(final Cipher c, final byte[] in, final byte[] out, final int len) {
        try {
            // ECB keeps no state between blocks: update() of whole blocks is the whole operation.
            final int n = c.update(in, 0, len, out, 0);
            if (n != len) {
                throw new IllegalStateException("AES/ECB returned " + n + " of " + len + " bytes");
            }
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ensureScratch(final int len, final int headLen) {
        if (tweaks.length < len) {
            tweaks = new byte[len];
            ecbIn = new byte[len];
            ecbOut = new byte[len];
        }
        if (heads.length < headLen) {
            heads = new byte[headLen];
            encHeads = new byte[headLen];
        }
    }
}
