package org.ttmsim.hw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-XTS (IEEE 1619-2007) built on the JDK's AES: the data key and the tweak key are two
 * {@code AES/ECB/NoPadding} ciphers; this class only does the tweak arithmetic in GF(2^128).
 * No AES round is written here.
 *
 * <p>One call of {@code units} data units makes two ECB calls, whatever the count: one encrypting the
 * first tweak of every unit, one for all the data. A 128-bit tweak is the pair (lo, hi) of its
 * little-endian halves, so multiplying by alpha is a 128-bit left shift with 0x87 folded back into the
 * low byte. A few lines (the engine's single cache lines) xor each line's tweaks into the data as they
 * are made, eight bytes at a time, and encrypt straight into {@code dst}. Larger calls write every
 * block's tweak into a scratch array first, then xor with plain byte loops that index the data and the
 * tweaks alike from zero: that shape is the one C2 turns into vector code (with a caller's offset in
 * one array it emits vector code slower than scalar), so the data is copied in and out of scratch with
 * {@code System.arraycopy}. The ECB calls read and write separate arrays: the JDK copies its input
 * first when they are the same, which would allocate on every call.
 *
 * <p>Not thread-safe: each instance owns its scratch buffers (grown on demand and reused, so a call
 * allocates nothing once the largest size has been seen); the JDK ciphers are the calling thread's.
 * Data units must be a multiple of 16 bytes (no ciphertext stealing: the model's units are 64-byte
 * cache lines).
 */
public final class XtsCipher {
    private static final int BLOCK = 16;
    private static final long GF_128_FDBK = 0x87;
    /** The data unit with an unrolled tweak expansion: a 64-byte line, four blocks. */
    private static final int LINE_UNIT = 64;
    /** Up to this many lines, the scalar fused path beats the vector path's copies and loop set-up. */
    private static final int FEW_LINES = 8;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    /**
     * Each thread's JDK ciphers, by key pair: a {@code Cipher} is not thread-safe, and making and keying
     * three of them costs more than a small scenario's whole run, so every instance on a thread with the
     * same keys (every world's engine: the keys are fixed) uses that thread's. ECB keeps no state between
     * calls, so sharing them changes no byte.
     */
    private static final ThreadLocal<List<Ciphers>> THREAD_CIPHERS = ThreadLocal.withInitial(ArrayList::new);
    private final byte[] key1;
    private final byte[] key2;
    // Scratch: every block's tweak and the ECB input and output (bulk path), the units' first tweaks.
    private byte[] tweaks = new byte[0];
    private byte[] ecbIn = new byte[0];
    private byte[] ecbOut = new byte[0];
    private byte[] heads = new byte[0];
    private byte[] encHeads = new byte[0];

    /**
     * @param key1 the data key, @param key2 the tweak key (16 or 32 bytes each); kept, not copied: the
     *             caller never changes them (the engine's keys are constants)
     */
    public XtsCipher(final byte[] key1, final byte[] key2) {
        this.key1 = key1;
        this.key2 = key2;
        ciphers(); // keys the JDK refuses fail here, not at the first access
    }

    /** The JDK ciphers for one key pair, on one thread. */
    private record Ciphers(byte[] key1, byte[] key2, Cipher dataEnc, Cipher dataDec, Cipher tweakEnc) {
        static Ciphers make(final byte[] key1, final byte[] key2) {
            try {
                final SecretKeySpec k1 = new SecretKeySpec(key1, "AES");
                final SecretKeySpec k2 = new SecretKeySpec(key2, "AES");
                final Cipher dataEnc = Cipher.getInstance("AES/ECB/NoPadding");
                dataEnc.init(Cipher.ENCRYPT_MODE, k1);
                final Cipher dataDec = Cipher.getInstance("AES/ECB/NoPadding");
                dataDec.init(Cipher.DECRYPT_MODE, k1);
                final Cipher tweakEnc = Cipher.getInstance("AES/ECB/NoPadding");
                tweakEnc.init(Cipher.ENCRYPT_MODE, k2);
                return new Ciphers(key1, key2, dataEnc, dataDec, tweakEnc);
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException("JDK AES unavailable", e);
            }
        }
    }

    /** This thread's ciphers for this instance's keys, made on first use. */
    private Ciphers ciphers() {
        final List<Ciphers> mine = THREAD_CIPHERS.get();
        for (int i = 0; i < mine.size(); i++) {
            final Ciphers c = mine.get(i);
            if (c.key1() == key1 && c.key2() == key2
                    || Arrays.equals(c.key1(), key1) && Arrays.equals(c.key2(), key2)) {
                return c;
            }
        }
        final Ciphers made = Ciphers.make(key1, key2);
        mine.add(made);
        return made;
    }

    /**
     * Encrypts {@code units} consecutive data units of {@code unitLen} bytes; unit {@code i} uses
     * tweak value {@code firstTweak + i * tweakStep} (little-endian 128-bit, high half zero).
     * {@code src} and {@code dst} may be the same array.
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

    private void crypt(final boolean encrypt, final byte[] src, final int srcOff, final byte[] dst, final int dstOff,
            final int unitLen, final int units, final long firstTweak, final long tweakStep) {
        if (unitLen % BLOCK != 0 || unitLen == 0) {
            throw new IllegalArgumentException("data unit must be a positive multiple of 16, was " + unitLen);
        }
        final int len = unitLen * units;
        ensureScratch(len, units * BLOCK);
        final Ciphers c = ciphers();
        final Cipher data = encrypt ? c.dataEnc() : c.dataDec();
        encryptHeads(c.tweakEnc(), units, firstTweak, tweakStep);
        if (unitLen == LINE_UNIT && units <= FEW_LINES) {
            cryptFewLines(data, src, srcOff, dst, dstOff, units);
        } else {
            cryptBulk(data, src, srcOff, dst, dstOff, unitLen, units);
        }
    }

    /** Scalar: no tweak array, and ECB writes {@code dst} itself (fixed cost matters most here). */
    private void cryptFewLines(final Cipher data, final byte[] src, final int srcOff, final byte[] dst,
            final int dstOff, final int units) {
        xorLineTweaks(src, srcOff, ecbIn, 0, units);
        ecb(data, ecbIn, 0, dst, dstOff, units * LINE_UNIT);
        xorLineTweaks(dst, dstOff, dst, dstOff, units);
    }

    /** Vectorised xors: every byte loop runs over scratch arrays from index zero. */
    private void cryptBulk(final Cipher data, final byte[] src, final int srcOff, final byte[] dst,
            final int dstOff, final int unitLen, final int units) {
        final int len = unitLen * units;
        expandTweaks(units, unitLen);
        System.arraycopy(src, srcOff, ecbIn, 0, len);
        xorTweaks(ecbIn, len);
        ecb(data, ecbIn, 0, ecbOut, 0, len);
        xorTweaks(ecbOut, len);
        System.arraycopy(ecbOut, 0, dst, dstOff, len);
    }

    /** {@code encHeads[u] = E_k2(firstTweak + u * tweakStep)}: T_0 of every unit, in one ECB call. */
    private void encryptHeads(final Cipher tweakEnc, final int units, final long firstTweak, final long tweakStep) {
        final byte[] h = heads;
        long v = firstTweak;
        for (int u = 0; u < units; u++) {
            LONG_LE.set(h, u * BLOCK, v); // the high half stays zero: nothing else writes heads
            v += tweakStep;
        }
        ecb(tweakEnc, h, 0, encHeads, 0, units * BLOCK);
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
                final long nextLo = alphaLo(lo, hi);
                hi = alphaHi(lo, hi);
                lo = nextLo;
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
            final long lo1 = alphaLo(lo0, hi0);
            final long hi1 = alphaHi(lo0, hi0);
            final long lo2 = alphaLo(lo1, hi1);
            final long hi2 = alphaHi(lo1, hi1);
            final int off = u * LINE_UNIT;
            LONG_LE.set(t, off, lo0);
            LONG_LE.set(t, off + 8, hi0);
            LONG_LE.set(t, off + 16, lo1);
            LONG_LE.set(t, off + 24, hi1);
            LONG_LE.set(t, off + 32, lo2);
            LONG_LE.set(t, off + 40, hi2);
            LONG_LE.set(t, off + 48, alphaLo(lo2, hi2));
            LONG_LE.set(t, off + 56, alphaHi(lo2, hi2));
        }
    }

    /** {@code buf[i] ^= tweaks[i]} for {@code len} bytes: one index for both arrays, so C2 vectorises it. */
    private void xorTweaks(final byte[] buf, final int len) {
        final byte[] t = tweaks;
        for (int i = 0; i < len; i++) {
            buf[i] ^= t[i];
        }
    }

    /**
     * {@code out = in ^ T} for {@code units} 64-byte lines, each line's four tweaks made in registers. It
     * repeats {@link #expandLineTweaks}'s alpha steps on purpose: sharing them would need an array or an
     * object per line on the single-line path, which is what this path exists to avoid.
     */
    private void xorLineTweaks(final byte[] in, final int inOff, final byte[] out, final int outOff,
            final int units) {
        final byte[] e = encHeads;
        for (int u = 0; u < units; u++) {
            final long lo0 = (long) LONG_LE.get(e, u * BLOCK);
            final long hi0 = (long) LONG_LE.get(e, u * BLOCK + 8);
            final long lo1 = alphaLo(lo0, hi0);
            final long hi1 = alphaHi(lo0, hi0);
            final long lo2 = alphaLo(lo1, hi1);
            final long hi2 = alphaHi(lo1, hi1);
            final long lo3 = alphaLo(lo2, hi2);
            final long hi3 = alphaHi(lo2, hi2);
            final int i = inOff + u * LINE_UNIT;
            final int o = outOff + u * LINE_UNIT;
            LONG_LE.set(out, o, (long) LONG_LE.get(in, i) ^ lo0);
            LONG_LE.set(out, o + 8, (long) LONG_LE.get(in, i + 8) ^ hi0);
            LONG_LE.set(out, o + 16, (long) LONG_LE.get(in, i + 16) ^ lo1);
            LONG_LE.set(out, o + 24, (long) LONG_LE.get(in, i + 24) ^ hi1);
            LONG_LE.set(out, o + 32, (long) LONG_LE.get(in, i + 32) ^ lo2);
            LONG_LE.set(out, o + 40, (long) LONG_LE.get(in, i + 40) ^ hi2);
            LONG_LE.set(out, o + 48, (long) LONG_LE.get(in, i + 48) ^ lo3);
            LONG_LE.set(out, o + 56, (long) LONG_LE.get(in, i + 56) ^ hi3);
        }
    }

    /** Low half of (hi, lo) * alpha: shift left; the bit out of the top of hi folds back as 0x87. */
    private static long alphaLo(final long lo, final long hi) {
        return (lo << 1) ^ ((hi >> 63) & GF_128_FDBK);
    }

    /** High half of (hi, lo) * alpha: shift left, taking lo's top bit. */
    private static long alphaHi(final long lo, final long hi) {
        return (hi << 1) | (lo >>> 63);
    }

    private static void ecb(final Cipher c, final byte[] in, final int inOff, final byte[] out, final int outOff,
            final int len) {
        try {
            // ECB keeps no state between blocks: update() of whole blocks is the whole operation.
            final int n = c.update(in, inOff, len, out, outOff);
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
