package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tests {@link CostParams}: names, overrides, and defaults inside the published ranges CostParams cites. */
class CostParamsTest {

    @Test
    void shouldNameEveryRecordComponentInKebabCaseWhenListingNames() {
        final List<String> kebab = new ArrayList<>();
        for (final RecordComponent c : CostParams.class.getRecordComponents()) {
            kebab.add(c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
        }

        assertThat(new ArrayList<>(CostParams.names().keySet())).isEqualTo(kebab);
        assertThat(CostParams.names().values()).allSatisfy(d -> assertThat(d).isNotBlank());
    }

    static Stream<String> names() {
        return CostParams.names().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldOverrideExactlyTheNamedFieldWhenGivenOneName(final String name) throws Exception {
        final CostParams defaults = CostParams.defaults();

        final CostParams changed = defaults.with(Map.of(name, 987_654L));

        for (final RecordComponent c : CostParams.class.getRecordComponents()) {
            final long before = (long) c.getAccessor().invoke(defaults);
            final long after = (long) c.getAccessor().invoke(changed);
            final boolean named = c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT)
                    .equals(name);
            assertThat(after).as(c.getName()).isEqualTo(named ? 987_654L : before);
        }
    }

    @Test
    void shouldRejectAnUnknownNameWhenOverriding() {
        assertThatThrownBy(() -> CostParams.defaults().with(Map.of("warp-drive-ns", 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warp-drive-ns");
    }

    @Test
    void shouldKeepDefaultsWhenNoOverrideIsGiven() {
        assertThat(CostParams.defaults().with(Map.of())).isEqualTo(CostParams.defaults());
    }

    /** name, inclusive lower and upper bound of the published range (ns, or ps per byte). */
    static Stream<Arguments> referenceRanges() {
        return Stream.of(
                Arguments.of("fault-ns", 1_000L, 4_000L),                // median ~1 µs, p95 ~4 µs
                Arguments.of("tlb-shootdown-per-cpu-ns", 1_000L, 3_000L), // ~1-3 µs per IPI round trip
                Arguments.of("cache-flush-per-page-ns", 500L, 2_000L),   // est. 0.5-2 µs per page
                Arguments.of("cpa-per-page-ns", 50L, 200L),              // ~0.1 µs per page
                Arguments.of("large-page-split-ns", 2_000L, 5_000L),     // ~2-5 µs per split
                Arguments.of("hypercall-sev-ns", 1_000L, 5_000L),        // ~1-5 µs each
                Arguments.of("hypercall-snp-ns", 2_000L, 5_000L),        // est. 2-5x a ~1 µs world switch
                Arguments.of("hypercall-tdx-ns", 2_000L, 5_000L),        // est. 2-5x a ~1 µs world switch
                Arguments.of("encrypted-line-ns", 10L, 20L),             // +10-20 ns per line
                Arguments.of("copy-ps-per-byte", 50L, 200L));            // memcpy ~5-20 GB/s
    }

    @ParameterizedTest(name = "{0} in [{1}, {2}]")
    @MethodSource("referenceRanges")
    void shouldStayInsideTheReferenceRangeWhenDefault(final String name, final long lo, final long hi)
            throws Exception {
        final CostParams d = CostParams.defaults();
        long value = -1;
        for (final RecordComponent c : CostParams.class.getRecordComponents()) {
            if (c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT).equals(name)) {
                value = (long) c.getAccessor().invoke(d);
            }
        }

        assertThat(value).isBetween(lo, hi);
    }

    @Test
    void shouldChargeTheModesHypercallWhenAskedPerMode() {
        final CostParams c = CostParams.defaults().with(Map.of("hypercall-sev-ns", 11L, "hypercall-snp-ns", 22L,
                "hypercall-tdx-ns", 33L));

        assertThat(c.hypercallNs(EncryptionMode.NONE)).isZero();
        assertThat(c.hypercallNs(EncryptionMode.SME)).isZero();
        assertThat(c.hypercallNs(EncryptionMode.SEV)).isEqualTo(11);
        assertThat(c.hypercallNs(EncryptionMode.SEV_SNP)).isEqualTo(22);
        assertThat(c.hypercallNs(EncryptionMode.TDX)).isEqualTo(33);
    }
}
