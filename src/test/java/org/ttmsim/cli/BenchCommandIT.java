package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests {@link BenchCommand}'s smoke run: the JSON object has every key scripts rely on, with sane
 * values. Never timings: a figure's size depends on the machine, only its shape is checked here.
 */
class BenchCommandIT {
    private static final List<String> HEADLINE = List.of("engine_vs_aes", "mapped_writes_vs_copy",
            "faults_per_second", "matrix_cells_per_second", "heap_bytes_per_touched_frame",
            "heap_bytes_per_untouched_gib");
    private static final List<String> RAW = List.of("engine_pages_per_second", "aes_ecb_pages_per_second",
            "mapped_write_bytes_per_second", "copy_aes_bytes_per_second", "fault_handler_faults_per_second",
            "first_touch_pages", "first_touch_faults", "matrix_cells", "matrix_cells_timed");

    @Test
    void shouldPrintOneJsonObjectWithPositiveFiniteFiguresWhenQuickJsonIsAsked() throws Exception {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.execute(new String[] {"bench", "--quick", "--json"}, new PrintWriter(out),
                new PrintWriter(err));

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString().strip().lines()).hasSize(1);
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.isObject()).isTrue();
        for (final String key : concat(HEADLINE, RAW)) {
            assertThat(json.has(key)).as(key).isTrue();
            assertThat(json.get(key).isNumber()).as(key).isTrue();
            final double v = json.get(key).asDouble();
            assertThat(Double.isFinite(v) && v > 0).as(key + " = " + v).isTrue();
        }
        assertThat(json.get("first_touch_faults").asLong() * 16).isEqualTo(json.get("first_touch_pages").asLong());
        assertThat(json.get("quick").asBoolean()).isTrue();
        assertThat(json.get("targets_met").isNull()).as("a quick run judges no target").isTrue();
    }

    private static List<String> concat(final List<String> a, final List<String> b) {
        final java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
