package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ttmsim explore} end to end (issue #14's done-when): the SEV vmwgfx scope finds pre-2019's
 * cpu-garbage in at most four operations and its file replays byte for byte; upstream-2024 is explored to
 * depth 5; skip-zap-on-move gives a shortest stale-mapping; the output is the same twice and the same from
 * four merged shards.
 */
class ExploreCommandIT {
    @TempDir
    Path tmp;

    @Test
    void shouldFindPre2019CpuGarbageInFourOperationsAndReplayItsFileByteForByte() throws IOException {
        final Path out = tmp.resolve("out");
        final CliRunner.Outcome o = CliRunner.ttmsim("explore", "builtin:vmwgfx", "--designs", "pre-2019,upstream-2024",
                "--modes", "sev", "--out", out.toString(), "--no-timing");
        assertThat(o.code()).as(o.err()).isEqualTo(ExitCodes.EXPECTATION_FAILED);
        assertThat(o.out()).containsPattern("pre-2019 v5\\.3 +attribute-alias in 3 \\(\\+1\\)")
                .containsPattern("upstream-2024 v6\\.9 +clean to depth 5 \\(\\d+ states\\)");
        final Path file = out.resolve("vmwgfx-pre-2019-sev-v5.3-cpu-garbage.yaml");
        assertThat(o.out()).contains("cpu-garbage, shortest found 4 operation(s)").contains(file.toString());
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains("design: pre-2019").contains("violations: [cpu-garbage, attribute-alias]");
        final CliRunner.Outcome replay = CliRunner.ttmsim("run", file.toString());
        assertThat(replay.code()).as(replay.out()).isEqualTo(ExitCodes.OK);
        assertThat(replay.out()).contains("cpu-garbage at step 4");
        // The summary's chain is the replay's own lines.
        for (final String line : replay.out().split("\n")) {
            if (line.strip().startsWith("cpu-garbage at step")) {
                assertThat(o.out()).contains(line);
            }
        }
        final CliRunner.Outcome json = CliRunner.ttmsim("explore", "builtin:vmwgfx", "--designs", "upstream-2024",
                "--modes", "sev", "--out", out.toString(), "--no-timing", "--json");
        assertThat(json.out()).contains("\"design\":\"upstream-2024\"").contains("\"depth\":5")
                .contains("\"exhaustive\":true").contains("\"counterexamples\":[]").contains("\"seconds\":0.0");
    }

    @Test
    void shouldFindAShortestStaleMappingWhenTheZapBeforeAMoveIsSkipped() throws IOException {
        final Path config = tmp.resolve("skip-zap.yaml");
        Files.writeString(config, resource("skip-zap.yaml"), StandardCharsets.UTF_8);
        final Path out = tmp.resolve("out");
        final CliRunner.Outcome o = CliRunner.ttmsim("explore", config.toString(), "--out", out.toString(),
                "--no-timing");
        assertThat(o.out()).containsPattern("upstream-2024 v6\\.9 +stale-mapping in 4");
        final Path file = out.resolve("skip-zap-upstream-2024-sme-v6.9-stale-mapping.yaml");
        assertThat(Files.readString(file)).contains("inject: [skip-zap-on-move]").contains("validate:");
        assertThat(CliRunner.ttmsim("run", file.toString()).code()).isEqualTo(ExitCodes.OK);
        // Without the injection the same scope is clean to its depth.
        Files.writeString(config, resource("skip-zap.yaml").replace("inject: [skip-zap-on-move]", "inject: []"));
        final CliRunner.Outcome clean = CliRunner.ttmsim("explore", config.toString(), "--out", out.toString(),
                "--no-timing");
        assertThat(clean.code()).as(clean.out()).isEqualTo(ExitCodes.OK);
        assertThat(clean.out()).containsPattern("clean to depth 4 \\(\\d+ states\\)");
    }

    @Test
    void shouldPrintTheSameBytesTwiceAndFromFourMergedShards() throws IOException {
        final Path config = tmp.resolve("skip-zap.yaml");
        Files.writeString(config, resource("skip-zap.yaml"), StandardCharsets.UTF_8);
        final String[] base = {"explore", config.toString(), "--designs", "upstream-2024,pre-2019", "--modes",
            "sme,none", "--no-timing"};
        final CliRunner.Outcome one = CliRunner.ttmsim(with(base, "--out", tmp.resolve("one").toString()));
        final CliRunner.Outcome again = CliRunner.ttmsim(with(base, "--out", tmp.resolve("one").toString()));
        assertThat(again.out()).isEqualTo(one.out());
        final List<String> dirs = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            final Path d = tmp.resolve("shard" + k);
            final CliRunner.Outcome s = CliRunner.ttmsim(with(base, "--shard", k + "/4", "--out", d.toString()));
            assertThat(s.err()).isEmpty();
            assertThat(d.resolve("explore-shard-" + k + "-of-4.json")).exists();
            dirs.add(d.toString());
        }
        final List<String> merge = new ArrayList<>(List.of("explore-merge"));
        merge.addAll(dirs);
        merge.addAll(List.of("--out", tmp.resolve("one").toString()));
        final CliRunner.Outcome merged = CliRunner.ttmsim(merge.toArray(new String[0]));
        assertThat(merged.err()).isEmpty();
        assertThat(merged.out()).isEqualTo(one.out());
        assertThat(merged.code()).isEqualTo(one.code());
        merge.add("--json");
        final CliRunner.Outcome mergedJson = CliRunner.ttmsim(merge.toArray(new String[0]));
        assertThat(mergedJson.out()).isEqualTo(CliRunner.ttmsim(with(base, "--out", tmp.resolve("one").toString(),
                "--json")).out());
    }

    @Test
    void shouldDrawTheSameRandomWalksForTheSameSeedAndPrintTheSeed() throws IOException {
        final Path config = tmp.resolve("skip-zap.yaml");
        Files.writeString(config, resource("skip-zap.yaml"), StandardCharsets.UTF_8);
        final String[] args = {"explore", config.toString(), "--random", "20", "--seed", "7", "--no-timing", "--out",
            tmp.resolve("r").toString()};
        final CliRunner.Outcome a = CliRunner.ttmsim(args);
        assertThat(a.out()).startsWith("random search: seed 7, 20 walks per cell").contains("a random sample, not exhaustive");
        assertThat(CliRunner.ttmsim(args).out()).isEqualTo(a.out());
    }

    @Test
    void shouldRejectAMalformedExploreSectionWithItsLineAndColumn() throws IOException {
        final Path config = tmp.resolve("bad.yaml");
        Files.writeString(config, resource("skip-zap.yaml").replace("  depth: 4", "  depht: 4"));
        CliRunner.Outcome o = CliRunner.ttmsim("explore", config.toString());
        assertThat(o.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(o.err()).startsWith("error: " + config + ":9:3: unknown key 'depht' in explore");
        CliRunner.assertNoStackTrace(o.err());
        Files.writeString(config, resource("skip-zap.yaml").replace("length: 3}", "length: 9000}"));
        o = CliRunner.ttmsim("explore", config.toString());
        assertThat(o.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(o.err()).startsWith("error: " + config + ":14:7: in cpu-read: {map: a, offset: 0, length: 9000}:");
        Files.writeString(config, resource("skip-zap.yaml").replace("[[vram], [tt], [system]]", "[[vram], [gtt]]"));
        o = CliRunner.ttmsim("explore", config.toString());
        assertThat(o.err()).startsWith("error: " + config + ":15:54: in validate: {bo: A, placement: [gtt]}: validate.placement[1]: expected one of").contains("gtt");
        Files.writeString(config, resource("skip-zap.yaml").replace("cpu-read: {map: a", "cpu-read: {map: b"));
        o = CliRunner.ttmsim("explore", config.toString());
        assertThat(o.err()).startsWith("error: " + config + ":14:7: the mapping 'b' is made by no mmap");
        // A buffer the scope's steps create and explore.buffers creates again: the line is the step's own.
        Files.writeString(config, resource("skip-zap.yaml").replace("steps: []",
                "steps:\n  - create: {bo: A, size: 4KiB, placement: [tt]}"));
        o = CliRunner.ttmsim("explore", config.toString());
        assertThat(o.err()).startsWith("error: " + config + ":12:5: in create: {bo: A, size: 8KiB, placement: [vram]}:")
                .contains("BO 'A' already exists (created by step 1 at line 8)");
        Files.writeString(config, resource("skip-zap.yaml").replace("machine: {encryption: sme", "machine: {encryption: smx"));
        o = CliRunner.ttmsim("explore", config.toString());
        assertThat(o.err()).startsWith("error: " + config + ":3:");
        assertThat(CliRunner.ttmsim("explore", "--shard", "5/4").code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(CliRunner.ttmsim("explore", tmp.resolve("nothing.yaml").toString()).err()).contains("no such file");
    }

    private static String[] with(final String[] base, final String... more) {
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    private static String resource(final String name) throws IOException {
        try (var in = ExploreCommandIT.class.getResourceAsStream("/explore/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
