package org.ttmsim.gen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How errors are named and compared: root causes, and result lines without the caller's frames. */
class CellsTest {
    private static final String ERROR = "step 4 (cpu-read): model error: java.lang.NullPointerException: Cannot invoke"
            + " \"x()\" because \"mem\" is null\n\tat java.base/java.util.Objects.requireNonNull(Objects.java:1)"
            + "\n\tat org.ttmsim.ttm.TtmBoUtil.memIoReserve(TtmBoUtil.java:24)"
            + "\n\tat org.ttmsim.ttm.TtmBoVm.faultReserved(TtmBoVm.java:72)";

    @Test
    void shouldNameTheRootCauseByExceptionAndTopModelFrame() {
        assertThat(Cells.rootCause(ERROR))
                .isEqualTo("NullPointerException at org.ttmsim.ttm.TtmBoUtil.memIoReserve(TtmBoUtil.java:24)");
        assertThat(Cells.rootCause("step 1 (create): model error: java.lang.IllegalStateException"))
                .isEqualTo("IllegalStateException at (no model frame)");
        assertThat(Cells.rootCause("machine.ram must be a page multiple")).isEqualTo("machine.ram must be a page multiple");
        assertThat(Cells.rootCause(null)).isNull();
    }

    @Test
    void shouldMarkAnExceptionThatEscapedTheRunner() {
        final String text = "escaped ScenarioRunner.run (not turned into verdict error): "
                + "java.lang.IllegalStateException: bad\n\tat org.ttmsim.sim.World.finalState(World.java:9)";
        assertThat(Cells.rootCause(text))
                .isEqualTo("escaped the runner: IllegalStateException at org.ttmsim.sim.World.finalState(World.java:9)");
    }

    @Test
    void shouldCompareResultLinesWithoutTheCallersFrames() {
        final String runner = "{\"error\":\"step 1 (x): model error: E\\n\\tat org.ttmsim.ttm.A.b(A.java:1)"
                + "\\n\\tat org.ttmsim.sim.ScenarioRunner.run(ScenarioRunner.java:44)";
        final String fromTest = runner + "\\n\\tat org.ttmsim.gen.Cells.run(Cells.java:95)\\n\\t... 12 more\",\"k\":1}";
        final String fromMatrix = runner + "\\n\\tat org.ttmsim.sim.Matrix.lambda$run$1(Matrix.java:61)\",\"k\":1}";
        assertThat(Cells.comparable(fromTest)).isEqualTo(Cells.comparable(fromMatrix)).isEqualTo(runner + "\",\"k\":1}");
        assertThat(Cells.comparable("{\"verdict\":\"pass\"}")).isEqualTo("{\"verdict\":\"pass\"}");
    }
}
