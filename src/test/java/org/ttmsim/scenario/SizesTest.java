package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Size and integer spellings a scenario may use, and the ones it may not. */
final class SizesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "4096, 4096",
        "64KiB, 65536",
        "64 KiB, 65536",
        "1MiB, 1048576",
        "4GiB, 4294967296",
        "64TiB, 70368744177664",
        "0x1000, 4096",
        "1_048_576, 1048576",
        "010, 10",
        "0, 0",
        "4GB, -1",
        "4gib, -1",
        "-4096, -1",
        "1.5MiB, -1",
        "'', -1",
        "99999999TiB, -1",
        "99999999999999999999, -1",
    })
    void shouldParseSizes(final String text, final long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"65536, 64KiB", "4096, 4KiB", "1000, 1000", "0, 0", "268435456, 256MiB", "70368744177664, 64TiB"})
    void shouldFormatSizesInTheLargestExactUnit(final long bytes, final String text) {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {"4GB, 4GiB", "4g, 4GiB", "16 mb, 16MiB", "2T, 2TiB", "4GiB, NONE",
        "lots, NONE"})
    void shouldSuggestTheBinaryUnit(final String text, final String suggestion) {
        assertThat(Sizes.suggest(text)).isEqualTo(suggestion == null ? "" : ", did you mean '" + suggestion + "'?");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"47, 47", "0xAA, 170", "-5, -5", "+7, 7", "1_000, 1000", "9223372036854775807, 9223372036854775807",
        "9223372036854775808, -9223372036854775808", "1:30, -9223372036854775808", "0b101, -9223372036854775808"})
    void shouldParseIntegersOrReturnMinValue(final String text, final long value) {
        assertThat(Ints.parse(text)).isEqualTo(value);
    }
}
