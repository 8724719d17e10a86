package org.ttmsim.jmh;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.ttmsim.hw.EncryptionEngine;
import org.ttmsim.hw.KeyId;

/**
 * The AES engine's hot paths: one 64-byte line and one 4 KiB page, encrypted and decrypted at their
 * physical address (AES-128-XTS), beside the JDK's raw AES/ECB of a page. The physical address walks
 * 1 GiB, so no per-address shortcut can help.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CryptoBench {
    private static final int PAGE = 4096;
    private final EncryptionEngine engine = new EncryptionEngine();
    private final byte[] src = new byte[PAGE];
    private final byte[] dst = new byte[PAGE];
    private Cipher ecb;
    private long next;

    @Setup
    public void setUp() throws GeneralSecurityException {
        new SplittableRandom(1).nextBytes(src);
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"));
    }

    private long nextPa(final long unit) {
        next = (next + 1) & ((1 << 18) - 1);
        return (next + 1) * unit;
    }

    @Benchmark
    public byte[] encryptLine() {
        engine.encrypt(KeyId.HOST, nextPa(EncryptionEngine.LINE), src, 0, dst, 0, EncryptionEngine.LINE);
        return dst;
    }

    @Benchmark
    public byte[] decryptLine() {
        engine.decrypt(KeyId.HOST, nextPa(EncryptionEngine.LINE), src, 0, dst, 0, EncryptionEngine.LINE);
        return dst;
    }

    @Benchmark
    public byte[] encryptPage() {
        engine.encrypt(KeyId.HOST, nextPa(PAGE), src, 0, dst, 0, PAGE);
        return dst;
    }

    @Benchmark
    public byte[] decryptPage() {
        engine.decrypt(KeyId.HOST, nextPa(PAGE), src, 0, dst, 0, PAGE);
        return dst;
    }

    /** Baseline: the JDK's AES/ECB of the same page (no tweak, no address). */
    @Benchmark
    public byte[] rawAesEcbPage() throws GeneralSecurityException {
        ecb.doFinal(src, 0, PAGE, dst, 0);
        return dst;
    }
}
