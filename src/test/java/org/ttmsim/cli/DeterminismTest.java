package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.cli.CliRunner.copyBuiltin;
import static org.ttmsim.cli.CliRunner.ttmsim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttmsim.cli.CliRunner.Outcome;

/**
 * All commands are deterministic: the same inputs give byte-identical output. Ciphertext,
 * frame numbers, costs and violation evidence must not depend on the run, the hash order of objects or
 * the number of matrix threads.
 */
class DeterminismTest {
    private static final String[] SCENARIOS = {
        "01-sev-device-writes-user-reads.yaml",
        "06-move-vram-to-system-while-mapped.yaml",
        "16b-cache-alias-with-flush.yaml",
    };

    @TempDir
    Path dir;

    @Test
    void shouldPrintByteIdenticalJsonWhenRunTwice() throws IOException {
        final String[] args = runArgs("--json");

        final Outcome first = ttmsim(args);
        final Outcome second = ttmsim(args);

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out().lines()).hasSize(SCENARIOS.length);
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEqualTo(first.err());
    }

    @Test
    void shouldPrintByteIdenticalJsonWhenRunTwiceUnderAnotherDesignAndMode() throws IOException {
        final String[] args = runArgs("--json", "--design", "pre-2019", "--mode", "sev");

        final Outcome first = ttmsim(args);
        final Outcome second = ttmsim(args);

        assertThat(first.out()).contains("\"verdict\":").contains("cpu-garbage");
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void shouldPrintByteIdenticalSummaryAndTraceWhenRunTwice() throws IOException {
        final String[] args = runArgs("--trace", "--design", "insert-pfn", "--mode", "sme");

        final Outcome first = ttmsim(args);
        final Outcome second = ttmsim(args);

        assertThat(first.out()).contains("trace:");
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void shouldGiveTheSameMatrixOnOneThreadAndOnFour() throws IOException {
        final Path[] paths = copyAll();
        final Path json1 = dir.resolve("m1.json");
        final Path json4 = dir.resolve("m4.json");
        final Path html1 = dir.resolve("m1.html");
        final Path html4 = dir.resolve("m4.html");

        final Outcome one = ttmsim(matrixArgs(paths, "--threads", "1", "--json", json1.toString(), "--html",
                html1.toString()));
        final Outcome four = ttmsim(matrixArgs(paths, "--threads", "4", "--json", json4.toString(), "--html",
                html4.toString()));

        assertThat(one.code()).as(one.out() + one.err()).isZero();
        assertThat(one.out()).contains("3 scenarios x 11 designs x 5 modes = 165 cells");
        assertThat(four.code()).isEqualTo(one.code());
        assertThat(four.out()).isEqualTo(one.out());
        assertThat(Files.readString(json4)).isEqualTo(Files.readString(json1)).isNotEmpty();
        assertThat(Files.readString(html4)).isEqualTo(Files.readString(html1)).isNotEmpty();
    }

    private Path[] copyAll() throws IOException {
        final Path[] paths = new Path[SCENARIOS.length];
        for (int i = 0; i < SCENARIOS.length; i++) {
            paths[i] = copyBuiltin(dir, SCENARIOS[i]);
        }
        return paths;
    }

    private String[] runArgs(final String... options) throws IOException {
        final Path[] paths = copyAll();
        final String[] args = new String[1 + paths.length + options.length];
        args[0] = "run";
        for (int i = 0; i < paths.length; i++) {
            args[1 + i] = paths[i].toString();
        }
        System.arraycopy(options, 0, args, 1 + paths.length, options.length);
        return args;
    }

    private static String[] matrixArgs(final Path[] paths, final String... options) {
        final String[] args = new String[1 + paths.length + options.length];
        args[0] = "matrix";
        for (int i = 0; i < paths.length; i++) {
            args[1 + i] = paths[i].toString();
        }
        System.arraycopy(options, 0, args, 1 + paths.length, options.length);
        return args;
    }
}
