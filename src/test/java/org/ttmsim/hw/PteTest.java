package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests {@link Pte}: the bit layout of an x86-64 PTE with the encryption bit inside the address field. */
class PteTest {

    @ParameterizedTest
    @ValueSource(ints = {32, 47, 51})
    void shouldRoundTripPfnWhenTheEncryptionBitIsSetOrClear(final int cbit) {
        final long pfn = (1L << (cbit - 12)) - 1;
        final long plain = Pte.make(pfn, Pte.PRESENT | Pte.RW);
        final long enc = plain | (1L << cbit);

        assertThat(Pte.pfn(plain, cbit)).isEqualTo(pfn);
        assertThat(Pte.pfn(enc, cbit)).isEqualTo(pfn);
        assertThat(Pte.encBit(enc, cbit)).isTrue();
        assertThat(Pte.encBit(plain, cbit)).isFalse();
    }

    @Test
    void shouldKeepFlagsAndEncryptionBitButNotThePfnWhenFlagsAreTaken() {
        final long pte = Pte.make(0x12345, Pte.PRESENT | Pte.USER | Pte.PCD) | (1L << 47);

        assertThat(Pte.flags(pte, 47)).isEqualTo(Pte.PRESENT | Pte.USER | Pte.PCD | (1L << 47));
    }

    @Test
    void shouldReportPresentAndWritableWhenTheirBitsAreSet() {
        assertThat(Pte.present(0)).isFalse();
        assertThat(Pte.present(Pte.make(1, Pte.PRESENT))).isTrue();
        assertThat(Pte.writable(Pte.make(1, Pte.PRESENT))).isFalse();
        assertThat(Pte.writable(Pte.make(1, Pte.PRESENT | Pte.RW))).isTrue();
    }

    static Stream<Arguments> patTypes() {
        return Stream.of(Arguments.of(Caching.CACHED, 0L), Arguments.of(Caching.WRITE_COMBINED, Pte.PWT),
                Arguments.of(Caching.UNCACHED, Pte.PCD));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("patTypes")
    void shouldProgramLinuxPatBitsWhenGivenAMemoryType(final Caching caching, final long bits) {
        final long pte = Pte.withCaching(Pte.make(0x42, Pte.PRESENT | Pte.PWT | Pte.PCD), caching);

        assertThat(Pte.cachingBits(caching)).isEqualTo(bits);
        assertThat(pte & Pte.CACHE_MASK).isEqualTo(bits);
        assertThat(Pte.caching(pte)).isEqualTo(caching);
        assertThat(Pte.pfn(pte, 47)).isEqualTo(0x42);
    }

    @Test
    void shouldReadPwtPlusPcdAsUncachedWhenBothAreSet() {
        assertThat(Pte.caching(Pte.PWT | Pte.PCD)).isEqualTo(Caching.UNCACHED);
    }

    @Test
    void shouldDescribeAllFieldsWhenPrinted() {
        final long pte = Pte.make(0x1234, Pte.PRESENT | Pte.RW | Pte.PWT) | (1L << 51);

        assertThat(Pte.describe(pte, 51)).isEqualTo("pfn=0x1234 P RW wc enc-bit=1");
        assertThat(Pte.describe(0, 51)).isEqualTo("pfn=0x0 - RO cached enc-bit=0");
    }
}
