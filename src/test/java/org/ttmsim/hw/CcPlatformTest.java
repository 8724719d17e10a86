package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests {@link CcPlatform}: what the encryption bit means per vendor. AMD: C=1 private; TDX: S=1 shared
 * ({@code pgprot_decrypted} sets it); no encryption: the bit is never set.
 */
class CcPlatformTest {
    private static final long BASE = Pte.PRESENT | Pte.RW;

    /** mode, raw bit after mkEnc, raw bit after mkDec, key of an encrypted prot. */
    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(EncryptionMode.NONE, false, false, KeyId.NONE),
                Arguments.of(EncryptionMode.SME, true, false, KeyId.HOST),
                Arguments.of(EncryptionMode.SEV, true, false, KeyId.GUEST),
                Arguments.of(EncryptionMode.SEV_SNP, true, false, KeyId.GUEST),
                Arguments.of(EncryptionMode.TDX, false, true, KeyId.GUEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void shouldSetTheVendorsBitWhenMakingAProtEncryptedOrDecrypted(final EncryptionMode mode,
            final boolean encBitWhenEncrypted, final boolean encBitWhenDecrypted, final KeyId privateKey) {
        final CcPlatform cc = new CcPlatform(mode, 47);

        final long enc = cc.mkEnc(BASE);
        final long dec = cc.mkDec(BASE);

        assertThat(Pte.encBit(enc, 47)).isEqualTo(encBitWhenEncrypted);
        assertThat(Pte.encBit(dec, 47)).isEqualTo(encBitWhenDecrypted);
        assertThat(enc & ~(1L << 47)).isEqualTo(BASE);
        assertThat(dec & ~(1L << 47)).isEqualTo(BASE);
        assertThat(cc.isPrivate(enc)).isEqualTo(mode != EncryptionMode.NONE);
        assertThat(cc.isPrivate(dec)).isFalse();
        assertThat(cc.keyOf(enc)).isEqualTo(privateKey);
        assertThat(cc.keyOf(dec)).isEqualTo(KeyId.NONE);
        assertThat(cc.privateKey()).isEqualTo(privateKey);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void shouldBeIdempotentWhenConvertingTwice(final EncryptionMode mode, final boolean e, final boolean d,
            final KeyId k) {
        final CcPlatform cc = new CcPlatform(mode, 51);

        assertThat(cc.mkEnc(cc.mkEnc(BASE))).isEqualTo(cc.mkEnc(BASE));
        assertThat(cc.mkDec(cc.mkDec(BASE))).isEqualTo(cc.mkDec(BASE));
        assertThat(cc.mkEnc(cc.mkDec(BASE))).isEqualTo(cc.mkEnc(BASE));
    }

    @Test
    void shouldTreatAProtWithoutTheSharedBitAsPrivateWhenTdx() {
        final CcPlatform cc = new CcPlatform(EncryptionMode.TDX, 51);

        assertThat(cc.isPrivate(BASE)).isTrue();
        assertThat(cc.isPrivate(BASE | (1L << 51))).isFalse();
        assertThat(cc.encMask()).isEqualTo(1L << 51);
    }

    @Test
    void shouldHaveNoMaskWhenThereIsNoEncryption() {
        final CcPlatform cc = new CcPlatform(EncryptionMode.NONE, 47);

        assertThat(cc.encMask()).isZero();
        assertThat(cc.isPrivate(BASE | (1L << 47))).isFalse();
        assertThat(cc.attrLabel(BASE)).isEqualTo("plain");
    }

    @Test
    void shouldLabelTheBitWithItsMeaningWhenTracing() {
        final CcPlatform amd = new CcPlatform(EncryptionMode.SEV, 47);
        final CcPlatform tdx = new CcPlatform(EncryptionMode.TDX, 47);

        assertThat(amd.attrLabel(amd.mkEnc(BASE))).isEqualTo("C=1(private)");
        assertThat(amd.attrLabel(amd.mkDec(BASE))).isEqualTo("C=0(shared)");
        assertThat(tdx.attrLabel(tdx.mkEnc(BASE))).isEqualTo("S=0(private)");
        assertThat(tdx.attrLabel(tdx.mkDec(BASE))).isEqualTo("S=1(shared)");
    }

    @ParameterizedTest
    @ValueSource(ints = {31, 52, 0, 63})
    void shouldRejectTheBitWhenOutside32To51(final int cbit) {
        assertThatThrownBy(() -> new CcPlatform(EncryptionMode.SME, cbit))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(cbit));
    }
}
