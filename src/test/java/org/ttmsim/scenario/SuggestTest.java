package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** "Did you mean": the nearest key or word, or nothing when none is near. */
final class SuggestTest {

    private static final List<String> WORDS = List.of("encryption", "cbit", "sme-coherent", "ram", "cpus", "swiotlb",
            "dma-mask-bits", "create", "cpu-read", "kmap-read", "upstream-2024", "skip-tlb-flush");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {
        "cbits, cbit",
        "crate, create",
        "dma_mask_bits, dma-mask-bits",
        "smeCoherent, sme-coherent",
        "kmap-raed, kmap-read",
        "upstream-2025, upstream-2024",
        "skip-tlb, skip-tlb-flush",
        "Encryption, encryption",
        "frobnicate, NONE",
        "x, NONE",
    })
    void shouldSuggestTheNearestWordWhenOneIsNear(final String word, final String expected) {
        assertThat(Suggest.nearest(word, WORDS).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} vs {1} = {2}")
    @CsvSource({"abc, abc, 0", "abc, acb, 1", "abc, abd, 1", "abc, ab, 1", "kitten, sitting, 3", "'', abc, 3"})
    void shouldCountEditsWithAdjacentSwapsAsOne(final String a, final String b, final int distance) {
        assertThat(Suggest.distance(a, b)).isEqualTo(distance);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cbits"})
    void shouldPhraseTheSuggestion(final String word) {
        assertThat(Suggest.didYouMean(word, WORDS)).isEqualTo(", did you mean 'cbit'?");
        assertThat(Suggest.didYouMean("zzzzzz", WORDS)).isEmpty();
        assertThat(Suggest.didYouMean("a".repeat(1000), WORDS)).isEmpty();
    }
}
