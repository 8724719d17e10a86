package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.cli.CliRunner.ttmsim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttmsim.cli.CliRunner.Outcome;

/**
 * {@code ttmsim run FILE --chrome-trace OUT.json} (README, --chrome-trace): the file is read back with Jackson as a viewer
 * would, and checked for its tracks, their order in time and one event of the F1 scenario
 * (01-sev-device-writes-user-reads, SEV guest, its own design upstream-2024): the fault of step 4 costs
 * 1000 ns and each PTE insert 100 ns after step 1's 67800 ns, so the first pte-insert is at 68.900 us.
 */
class ChromeTraceExportTest {
    private static final String F1 = "01-sev-device-writes-user-reads";
    private static final String F2 = "02-sev-user-writes-device-reads";
    /** Numbers as written ({@code 68.900}), not as the nearest double. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir
    Path dir;

    private JsonNode export(final String... files) throws IOException {
        final Path out = dir.resolve("trace.json");
        final List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(files));
        args.addAll(List.of("--chrome-trace", out.toString()));

        final Outcome o = ttmsim(args.toArray(String[]::new));

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).isEmpty();
        return JSON.readTree(out.toFile());
    }

    private static List<JsonNode> events(final JsonNode root, final String ph) {
        final List<JsonNode> list = new ArrayList<>();
        root.get("traceEvents").forEach(e -> {
            if (ph.equals(e.get("ph").asText())) {
                list.add(e);
            }
        });
        return list;
    }

    /** pid → process name, or "pid/tid" → thread name. */
    private static Map<String, String> names(final JsonNode root, final String metadata) {
        final Map<String, String> names = new LinkedHashMap<>();
        for (final JsonNode m : events(root, "M")) {
            if (metadata.equals(m.get("name").asText())) {
                final String key = metadata.startsWith("process") ? m.get("pid").asText()
                        : m.get("pid").asText() + "/" + m.get("tid").asText();
                names.put(key, m.get("args").get("name").asText());
            }
        }
        return names;
    }

    @Test
    void shouldNameOneProcessPerAgentAndOneThreadPerAddressSpaceOrComponent() throws IOException {
        final JsonNode root = export(F1);

        assertThat(root.get("displayTimeUnit").asText()).isEqualTo("ns");
        assertThat(names(root, "process_name")).containsExactly(Map.entry("1", "CPU"), Map.entry("2", "device"),
                Map.entry("3", "kernel"), Map.entry("4", "hypervisor"), Map.entry("5", "scenario steps"));
        final Map<String, String> threads = names(root, "thread_name");
        assertThat(threads).containsEntry("1/1", "kernel").containsEntry("1/2", "p1")
                .containsEntry("2/1", "DMA engine").containsEntry("3/1", "mm").containsEntry("3/4", "cpa")
                .containsEntry("3/7", "ttm").containsEntry("4/1", "hypercalls").containsEntry("5/1", "steps");
        // every event is on a named thread of a named process
        for (final JsonNode e : root.get("traceEvents")) {
            if (!"M".equals(e.get("ph").asText())) {
                assertThat(threads).containsKey(e.get("pid").asText() + "/" + e.get("tid").asText());
            }
        }
        final JsonNode run = root.get("otherData").get("runs").get(0);
        assertThat(run.get("design").asText()).isEqualTo("upstream-2024");
        assertThat(run.get("mode").asText()).isEqualTo("sev");
        assertThat(events(root, "i")).hasSize(run.get("events").asInt());
    }

    @Test
    void shouldSortEveryTracksEventsBySimulatedTime() throws IOException {
        final JsonNode root = export(F1, F2);
        final Map<String, BigDecimal> last = new TreeMap<>();
        int checked = 0;

        for (final JsonNode e : root.get("traceEvents")) {
            if ("M".equals(e.get("ph").asText())) {
                continue;
            }
            final String track = e.get("pid").asText() + "/" + e.get("tid").asText();
            final BigDecimal ts = e.get("ts").decimalValue();
            assertThat(ts).as("ts of %s on %s", e, track).isGreaterThanOrEqualTo(last.getOrDefault(track,
                    BigDecimal.ZERO));
            last.put(track, ts);
            checked++;
        }

        assertThat(checked).isGreaterThan(100);
        assertThat(last.keySet()).as("both runs have their own pids").contains("1/2", "11/2", "3/1", "13/1");
    }

    @Test
    void shouldHoldTheF1PteInsertAtItsSimulatedTimeWithItsArgs() throws IOException {
        final JsonNode root = export(F1);
        final List<JsonNode> inserts = events(root, "i").stream()
                .filter(e -> "pte-insert".equals(e.get("name").asText())).toList();

        assertThat(inserts).hasSize(16);
        final JsonNode first = inserts.get(0);
        assertThat(first.get("cat").asText()).isEqualTo("mm");
        assertThat(first.get("s").asText()).isEqualTo("t");
        assertThat(first.get("pid").asInt()).isEqualTo(3);
        assertThat(first.get("tid").asInt()).isEqualTo(1);
        assertThat(first.get("ts").decimalValue()).isEqualByComparingTo("68.900");
        final JsonNode args = first.get("args");
        assertThat(args.get("step").asInt()).isEqualTo(4);
        assertThat(args.get("pfn").asText()).isEqualTo("0x4400");
        assertThat(args.get("key").asText()).isEqualTo("none");
        assertThat(args.get("detail").asText()).isEqualTo(
                "p1 va=0x7f0000000000 pfn=0x4400 P RW cached enc-bit=0 C=0(shared)");
        assertThat(inserts).extracting(e -> e.get("args").get("pfn").asText()).endsWith("0x440f");
        assertThat(inserts.get(15).get("ts").decimalValue()).isEqualByComparingTo("70.400");
    }

    @Test
    void shouldSpanEachStepFromItsStartToItsEnd() throws IOException {
        final JsonNode root = export(F1);
        final List<JsonNode> steps = events(root, "X");

        assertThat(steps).extracting(s -> s.get("name").asText()).containsExactly("step 1 create",
                "step 2 device-write", "step 3 mmap", "step 4 cpu-read");
        BigDecimal end = BigDecimal.ZERO;
        for (final JsonNode s : steps) {
            assertThat(s.get("pid").asInt()).isEqualTo(5);
            assertThat(s.get("ts").decimalValue()).isEqualByComparingTo(end);
            end = s.get("ts").decimalValue().add(s.get("dur").decimalValue());
        }
        final long simulatedNs = root.get("otherData").get("runs").get(0).get("simulated_ns").asLong();
        assertThat(end).isEqualByComparingTo(BigDecimal.valueOf(simulatedNs, 3));
        assertThat(steps.get(3).get("args").get("result").asText()).isEqualTo("ok");
        assertThat(steps.get(3).get("args").get("source").asText())
                .isEqualTo("builtin:01-sev-device-writes-user-reads.yaml:15");
    }

    @Test
    void shouldGiveEachRunItsOwnPidBlockWhenSeveralFilesRun() throws IOException {
        final JsonNode root = export(F1, F2);

        final Map<String, String> processes = names(root, "process_name");
        assertThat(processes).hasSize(10);
        assertThat(processes.get("1")).startsWith("CPU [run 1: sev-device-writes-user-reads, upstream-2024, sev,");
        assertThat(processes.get("15")).startsWith("scenario steps [run 2: sev-user-writes-device-reads,");
        final JsonNode runs = root.get("otherData").get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).get("pid_first").asInt()).isEqualTo(11);
        assertThat(runs.get(1).get("pid_last").asInt()).isEqualTo(15);
    }

    @Test
    void shouldWriteTheSameBytesAndPrintTheSameReportWithOrWithoutTheTrace() throws IOException {
        final Path a = dir.resolve("a.json");
        final Path b = dir.resolve("b.json");

        final Outcome plain = ttmsim("run", F1, "--trace");
        final Outcome withA = ttmsim("run", F1, "--trace", "--chrome-trace", a.toString());
        final Outcome withB = ttmsim("run", F1, "--trace", "--chrome-trace", b.toString());

        assertThat(withA.out()).isEqualTo(plain.out());
        assertThat(withA.code()).isEqualTo(plain.code());
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void shouldRefuseATraceFileThatCannotBeWrittenBeforeRunning() {
        final Outcome o = ttmsim("run", F1, "--chrome-trace", dir.resolve("no/such/dir/t.json").toString());

        assertThat(o.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).startsWith("error: ").contains("cannot write there");
    }
}
