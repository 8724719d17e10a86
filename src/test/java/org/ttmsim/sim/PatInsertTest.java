package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.parse;

import org.junit.jupiter.api.Test;

/**
 * PAT decides the caching of an inserted PFN (issue #12, audit row 15): {@code track_pfn_insert()} in
 * {@code vmf_insert_pfn_prot()} replaces the caller's caching with {@code lookup_memtype()}, which for a
 * tt page is what {@code set_pages_array_wc()} recorded.
 */
final class PatInsertTest {

    private static final String WC_MAPPED = """
            name: t
            device: {driver: amdgpu}
            steps:
              - create: {bo: A, size: 8KiB, placement: [tt], caching: wc}
              - mmap: {bo: A, as: a}
              - cpu-write: {map: a, data: "x"}
            """;

    @Test
    void shouldInsertAWriteCombinedPageAsWriteCombinedEvenWhenTheCallerAsksForWriteBack() throws Exception {
        // insert-pfn inserts with the VMA's vm_page_prot (write-back); upstream-2024 with ttm_io_prot (WC).
        for (final String design : new String[] {"insert-pfn", "upstream-2024"}) {
            final RunResult r = ScenarioRunner.run(parse("p.yaml", WC_MAPPED), new RunOptions(design, null, true));

            assertThat(r.trace()).as(design).anyMatch(l -> l.contains("pte-insert") && l.contains(" wc "));
            assertThat(r.trace()).as(design).noneMatch(l -> l.contains("pte-insert") && l.contains(" cached "));
        }
    }
}
