package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.hw.TestMachines.pattern;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tests {@link EncryptionEngine}: ciphertext = E(key, PA, plaintext) (Documentation/arch/x86/amd-memory-encryption.rst). */
class EncryptionEngineTest {
    private static final int LINE = EncryptionEngine.LINE;
    private final EncryptionEngine engine = new EncryptionEngine();

    @ParameterizedTest
    @EnumSource(value = KeyId.class, names = {"HOST", "GUEST"})
    void shouldGiveDifferentCiphertextWhenSamePlaintextIsStoredAtTwoAddresses(final KeyId key) {
        final byte[] plain = pattern(LINE, 1);

        final byte[] atA = encrypt(key, 0x10_0000L, plain);
        final byte[] atB = encrypt(key, 0x20_0040L, plain);

        assertThat(atA).isNotEqualTo(atB).isNotEqualTo(plain);
        assertThat(decrypt(key, 0x10_0000L, atA)).isEqualTo(plain);
        assertThat(decrypt(key, 0x20_0040L, atB)).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(value = KeyId.class, names = {"HOST", "GUEST"})
    void shouldDecryptToGarbageWhenCiphertextIsCopiedToAnotherAddress(final KeyId key) {
        final byte[] plain = pattern(LINE * 2, 2);
        final byte[] cipher = encrypt(key, 0x4000L, plain);

        final byte[] moved = decrypt(key, 0x8000L, cipher);

        assertThat(moved).isNotEqualTo(plain);
        assertNoBlockSurvives(plain, moved);
    }

    @Test
    void shouldReturnPlaintextOnlyWhenReadThroughTheWritersKey() {
        final byte[] plain = pattern(LINE, 3);
        final byte[] cipher = encrypt(KeyId.GUEST, 0x1000L, plain);

        assertThat(decrypt(KeyId.GUEST, 0x1000L, cipher)).isEqualTo(plain);
        assertThat(decrypt(KeyId.HOST, 0x1000L, cipher)).isNotEqualTo(plain);
        assertThat(decrypt(KeyId.NONE, 0x1000L, cipher)).isEqualTo(cipher);
    }

    @Test
    void shouldUseDifferentKeysWhenHostAndGuestEncryptTheSameLine() {
        final byte[] plain = pattern(LINE, 4);

        assertThat(encrypt(KeyId.HOST, 0x3000L, plain)).isNotEqualTo(encrypt(KeyId.GUEST, 0x3000L, plain));
    }

    @Test
    void shouldPassBytesThroughWhenKeyIsNone() {
        final byte[] plain = pattern(LINE * 3, 5);

        assertThat(encrypt(KeyId.NONE, 0x5000L, plain)).isEqualTo(plain);
        assertThat(decrypt(KeyId.NONE, 0x5000L, plain)).isEqualTo(plain);
    }

    @Test
    void shouldBeDeterministicWhenTwoEnginesEncryptTheSameLine() {
        final byte[] plain = pattern(LINE, 6);
        final byte[] other = new byte[LINE];

        new EncryptionEngine().encrypt(KeyId.GUEST, 0x7000L, plain, 0, other, 0, LINE);

        assertThat(encrypt(KeyId.GUEST, 0x7000L, plain)).isEqualTo(other);
    }

    @Test
    void shouldEncryptEachLineWithItsOwnAddressWhenManyLinesAreEncryptedAtOnce() {
        final byte[] plain = pattern(LINE * 4, 7);
        final byte[] together = encrypt(KeyId.HOST, 0x9000L, plain);

        for (int i = 0; i < 4; i++) {
            final byte[] line = Arrays.copyOfRange(plain, i * LINE, (i + 1) * LINE);
            assertThat(encrypt(KeyId.HOST, 0x9000L + i * LINE, line))
                    .isEqualTo(Arrays.copyOfRange(together, i * LINE, (i + 1) * LINE));
        }
    }

    @Test
    void shouldRejectAccessWhenNotLineAligned() {
        assertThatThrownBy(() -> engine.encrypt(KeyId.HOST, 0x1010L, new byte[LINE], 0, new byte[LINE], 0, LINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x1010");
        assertThatThrownBy(() -> engine.decrypt(KeyId.GUEST, 0x1000L, new byte[LINE], 0, new byte[LINE], 0, 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("len=32");
    }

    private byte[] encrypt(final KeyId key, final long pa, final byte[] plain) {
        final byte[] out = new byte[plain.length];
        engine.encrypt(key, pa, plain, 0, out, 0, plain.length);
        return out;
    }

    private byte[] decrypt(final KeyId key, final long pa, final byte[] cipher) {
        final byte[] out = new byte[cipher.length];
        engine.decrypt(key, pa, cipher, 0, out, 0, cipher.length);
        return out;
    }

    /** Garbage, not a shifted copy: no 16-byte AES block of the plaintext appears in the output. */
    private static void assertNoBlockSurvives(final byte[] plain, final byte[] seen) {
        for (int i = 0; i < plain.length; i += 16) {
            assertThat(Arrays.copyOfRange(seen, i, i + 16)).isNotEqualTo(Arrays.copyOfRange(plain, i, i + 16));
        }
    }
}
