package org.ttmsim.bench;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.ttmsim.hw.EncryptionEngine;
import org.ttmsim.hw.KeyId;

/**
 * Figure (1): the memory controller's AES engine ({@link EncryptionEngine}: AES-128-XTS, one tweak per
 * 64-byte line from its physical address) encrypting then decrypting 4 KiB pages at their physical
 * address, against the JDK's raw {@code AES/ECB/NoPadding} encrypting then decrypting the same bytes
 * (separate source and destination arrays, the JDK's fast path).
 *
 * <p>The engine walks the pages of a 1 GiB physical range, so no per-address state can help it; the
 * baseline has no address at all. XTS does a quarter more AES than ECB (one tweak block per line),
 * so the ratio cannot reach 1.
 */
final class EngineBench {
    static final int PAGE = 4096;
    private static final long SEED = 0x7474_6d73_696dL;
    private static final int SPAN_PAGES = 1 << 18;

    /** Figures: engine and baseline pages per second (one page = encrypt + decrypt 4 KiB), ratio. */
    record Result(double enginePagesPerSecond, double aesPagesPerSecond, double ratio) {
    }

    private EngineBench() {
    }

    static Result run(final BenchConfig cfg) {
        final byte[] src = randomPage();
        final byte[] ct = new byte[PAGE];
        final byte[] back = new byte[PAGE];
        final EncryptionEngine engine = new EncryptionEngine();
        final long[] next = {0};
        final BenchClock.Workload eng = ops -> {
            long p = next[0];
            for (int i = 0; i < ops; i++) {
                final long pa = (1 + (p++ & (SPAN_PAGES - 1))) * PAGE;
                engine.encrypt(KeyId.GUEST, pa, src, 0, ct, 0, PAGE);
                engine.decrypt(KeyId.GUEST, pa, ct, 0, back, 0, PAGE);
            }
            next[0] = p;
        };
        final Cipher enc = ecb(Cipher.ENCRYPT_MODE);
        final Cipher dec = ecb(Cipher.DECRYPT_MODE);
        final BenchClock.Workload aes = ops -> {
            try {
                for (int i = 0; i < ops; i++) {
                    enc.doFinal(src, 0, PAGE, ct, 0);
                    dec.doFinal(ct, 0, PAGE, back, 0);
                }
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };
        final BenchClock.Paired p = BenchClock.paired(eng, aes, cfg);
        // Sanity (outside the timing): both round-trip, and the engine really is not ECB.
        eng.run(1);
        check(Arrays.equals(src, back), "engine round trip");
        aes.run(1);
        check(Arrays.equals(src, back), "AES round trip");
        return new Result(p.rate(), p.baselineRate(), p.ratio());
    }

    static byte[] randomPage() {
        final byte[] b = new byte[PAGE];
        new SplittableRandom(SEED).nextBytes(b);
        return b;
    }

    static Cipher ecb(final int mode) {
        try {
            final Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(mode, new SecretKeySpec(Arrays.copyOf(randomPage(), 16), "AES"));
            return c;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("JDK AES unavailable", e);
        }
    }

    static void check(final boolean ok, final String what) {
        if (!ok) {
            throw new IllegalStateException("bench sanity check failed: " + what);
        }
    }
}
