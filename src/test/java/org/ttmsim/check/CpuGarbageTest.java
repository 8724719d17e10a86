package org.ttmsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests {@link CpuGarbage} (with {@link ReadJudge}): a read judged against the oracle, and a kernel
 * copy's pages merged into one violation per copy and step.
 */
class CpuGarbageTest {
    private static final int PAGE = 4096;

    private static byte[] page(final int fill) {
        final byte[] b = new byte[PAGE];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void shouldReportAReadOfOtherBytesThanTheLogicalContent() {
        final Oracle oracle = new Oracle();
        oracle.write("A", 10, new byte[] {1, 2, 3});
        final CpuGarbage judge = new CpuGarbage(oracle);

        assertThat(judge.judge(1, "A", 10, new byte[] {1, 2, 3}, "kernel map")).isTrue();
        assertThat(judge.judge(1, "A", 10, new byte[] {1, 9, 3}, "kernel map")).isFalse();

        final List<Violation> out = new ArrayList<>();
        judge.afterStep(1, null, out);
        assertThat(out).singleElement().satisfies(v -> assertThat(v.message())
                .startsWith("kernel map of A at offset 10: 1 of 3 written bytes differ; first at offset 11"));
    }

    @Test
    void shouldMergeThePagesOfOneCopyIntoOneViolationWhenSeveralDiffer() {
        final Oracle oracle = new Oracle();
        oracle.write("A", 0, page(0x11));
        oracle.write("A", PAGE, page(0x22));
        oracle.write("A", 2 * PAGE + 100, new byte[] {5});
        final CpuGarbage judge = new CpuGarbage(oracle);
        final String how = "ttm_bo_move_memcpy source read";

        assertThat(judge.judgeCopy(4, "A", 0, page(0x11), how)).isTrue();
        assertThat(judge.judgeCopy(4, "A", PAGE, page(0x00), how)).isFalse();
        assertThat(judge.judgeCopy(4, "A", 2 * PAGE, page(0x00), how)).isFalse();
        assertThat(judge.judgeCopy(4, "B", 0, page(0x00), how)).as("nothing written to B").isTrue();

        final List<Violation> out = new ArrayList<>();
        judge.afterStep(4, null, out);
        assertThat(out).singleElement().satisfies(v -> {
            assertThat(v.invariant()).isEqualTo(Invariant.CPU_GARBAGE);
            assertThat(v.step()).isEqualTo(4);
            assertThat(v.message()).isEqualTo(how + " of A: 4097 of 4097 written bytes differ in 2 page(s); first at"
                    + " offset 4096: expected 0x22, read 0x00 (read 00000000000000000000000000000000... from there)");
        });
        out.clear();
        judge.afterStep(5, null, out);
        assertThat(out).as("reported once").isEmpty();
    }

    @Test
    void shouldKeepTwoCopiesApartWhenTheyAreDifferentOperations() {
        final Oracle oracle = new Oracle();
        oracle.write("A", 0, page(0x11));
        final CpuGarbage judge = new CpuGarbage(oracle);

        judge.judgeCopy(2, "A", 0, page(0), "ttm_tt_swapout read");
        judge.judgeCopy(2, "A", 0, page(0), "ttm_bo_move_memcpy source read");

        final List<Violation> out = new ArrayList<>();
        judge.afterStep(2, null, out);
        assertThat(out).extracting(Violation::message).hasSize(2).satisfiesExactly(
                m -> assertThat(m).startsWith("ttm_tt_swapout read of A"),
                m -> assertThat(m).startsWith("ttm_bo_move_memcpy source read of A"));
    }
}
