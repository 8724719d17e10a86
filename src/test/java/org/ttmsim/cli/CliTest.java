package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.cli.CliRunner.assertNoStackTrace;
import static org.ttmsim.cli.CliRunner.builtinText;
import static org.ttmsim.cli.CliRunner.copyBuiltin;
import static org.ttmsim.cli.CliRunner.ttmsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ttmsim.cli.CliRunner.Outcome;

/** The commands, their help, their output formats and their exit codes. */
class CliTest {
    /** The ten designs of docs/DESIGNS.md, in its order. */
    private static final List<String> SPEC_DESIGNS = List.of("pre-2019", "v1-sev-active", "v2-per-fault",
            "mmap-time", "insert-pfn", "dma-mmap-coherent", "dma-pgprot", "refuse-dma", "always-decrypted",
            "upstream-2024");
    /** The result keys of docs/SCENARIOS.md, in order. */
    private static final List<String> SPEC_RESULT_KEYS = List.of("scenario", "file", "design", "mode", "kernel", "verdict",
            "violations", "steps", "state", "costs");
    /** The documented cost counters and the derived simulated_ns. */
    private static final List<String> SPEC_COSTS = List.of("faults", "ptes_inserted", "ptes_zapped",
            "tlb_shootdowns", "cache_flush_pages", "pages_decrypted", "pages_encrypted", "hypercalls",
            "swiotlb_bytes", "bytes_moved", "pool_hits", "pool_misses", "simulated_ns");
    private static final String F1 = "01-sev-device-writes-user-reads.yaml";
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    // Exit codes.

    @Test
    void shouldExitZeroWhenEveryExpectationHolds() throws IOException {
        final Outcome o = ttmsim("run", copyBuiltin(dir, F1).toString());

        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("sev-device-writes-user-reads").contains("PASS");
        assertThat(o.err()).isEmpty();
    }

    /** docs/API.md: a user's design named by class runs in run, matrix and designs like a built-in one, for that command. */
    @Test
    void shouldRunADesignLoadedWithDesignClassUnderItsOwnId() throws IOException {
        final String fixture = "org.ttmsim.design.KernelRulesFixture";
        final Path f = copyBuiltin(dir, F1);

        final Outcome run = ttmsim("run", "--design-class", fixture, "--design", "kernel-rules-fixture", "--json",
                f.toString());
        final Outcome matrix = ttmsim("matrix", "--design-class", fixture, "--designs", "kernel-rules-fixture,pre-2019",
                "--modes", "sev", "--summary", f.toString());
        final Outcome designs = ttmsim("designs", "--design-class", fixture);
        final Outcome after = ttmsim("run", "--design", "kernel-rules-fixture", f.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).get("design").asText()).isEqualTo("kernel-rules-fixture");
        assertThat(matrix.code()).as(matrix.err()).isZero();
        assertThat(matrix.out()).contains("kernel-rules-fixture v6.9").contains("pre-2019 v5.3");
        assertThat(designs.out()).contains("kernel-rules-fixture").contains("provided by: " + fixture
                + " (--design-class)");
        assertThat(after.code()).as("the design was loaded for that command only").isEqualTo(2);
        assertThat(after.err()).contains("unknown design 'kernel-rules-fixture'");
    }

    @Test
    void shouldExitTwoNamingTheProblemForABadDesignClass() throws IOException {
        final Path f = copyBuiltin(dir, F1);

        final Outcome missing = ttmsim("run", "--design-class", "org.example.Missing", f.toString());
        final Outcome notADesign = ttmsim("matrix", "--design-class", "java.lang.String", f.toString());
        final Outcome taken = ttmsim("designs", "--design-class", "org.ttmsim.design.KernelRulesFixture$TakenId");
        final Outcome theInterface = ttmsim("designs", "--design-class", "org.ttmsim.design.Design");

        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: --design-class org.example.Missing: no class org.example.Missing"
                + " on the class path; add its jar with TTMSIM_CLASSPATH");
        assertThat(notADesign.code()).isEqualTo(2);
        assertThat(notADesign.err()).contains("java.lang.String does not implement org.ttmsim.design.Design");
        assertThat(taken.code()).isEqualTo(2);
        assertThat(taken.err()).contains("has id 'stock', which a built-in design already has");
        assertThat(theInterface.code()).isEqualTo(2);
        assertThat(theInterface.err()).contains("org.ttmsim.design.Design is an interface: name a concrete class that"
                + " implements it");
        for (final Outcome o : List.of(missing, notADesign, taken, theInterface)) {
            assertNoStackTrace(o.err());
        }
    }

    /** A read keeps its first 4 KiB in the output unless --read-bytes asks for more; every byte is judged. */
    @Test
    void shouldPrintEveryByteOfAReadWithReadBytesAll() throws IOException {
        final Path f = write("big-read.yaml", "name: big-read\n"
                + "steps:\n"
                + "  - create: {bo: A, size: 16KiB, placement: [tt]}\n"
                + "  - kmap-write: {bo: A, data: {fill: 0x11, length: 16KiB}}\n"
                + "  - kmap-read: {bo: A, offset: 4KiB, length: 12KiB, expect: {fill: 0x11, length: 12KiB}}\n");

        final Outcome cut = ttmsim("run", "--json", f.toString());
        final Outcome all = ttmsim("run", "--json", "--read-bytes", "all", f.toString());
        final Outcome bad = ttmsim("run", "--read-bytes", "lots", f.toString());

        final ObjectMapper json = new ObjectMapper();
        final var cutData = json.readTree(cut.out()).get("steps").get(2).get("data");
        final var allData = json.readTree(all.out()).get("steps").get(2).get("data");
        assertThat(cut.code()).as(cut.err()).isZero();
        assertThat(cutData.get("hex").asText()).hasSize(2 * 4096);
        assertThat(cutData.get("length").asLong()).isEqualTo(12 * 1024);
        assertThat(cutData.get("truncated").asBoolean()).isTrue();
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(allData.get("hex").asText()).hasSize(2 * 12 * 1024).matches("(11)+");
        assertThat(allData.has("truncated")).isFalse();
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--read-bytes: expected a size below 2GiB (a Java array's limit) such as 4096 or"
                + " 64KiB, or 'all', found 'lots'");
    }

    /** The offset space, not the machine's memory, refuses a 64 TiB device buffer: the step says so. */
    @Test
    void shouldSayWhyACreateLargerThanTheMmapOffsetSpaceIsRefused() throws IOException {
        final Path f = write("huge.yaml", "name: huge\n"
                + "steps:\n"
                + "  - create: {bo: A, size: 64TiB, placement: [tt]}\n"
                + "    result: ENOSPC\n"
                + "  - create: {bo: B, size: 64GiB, placement: [tt]}\n"
                + "    result: ENOMEM\n");

        final Outcome o = ttmsim("run", f.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("A not created: its 17,179,869,184 pages do not fit the mmap offset space of"
                + " 268,435,200 pages (drm_vma_offset_add(), DRM_FILE_PAGE_OFFSET_SIZE)")
                .contains("B not created" + NL);
    }

    @Test
    void shouldExitOneWhenAStepResultIsNotTheExpectedOne() throws IOException {
        final Path f = write("wrong.yaml", "name: wrong-result\n"
                + "steps:\n"
                + "  - {create: {bo: A, size: 4KiB, placement: [tt]}, result: ENOSPC}\n");

        final Outcome o = ttmsim("run", f.toString());

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).contains("FAIL").contains("expected result ENOSPC, got ok");
        assertThat(o.err()).isEmpty();
    }

    @Test
    void shouldExitOneWhenOneOfSeveralFilesFails() throws IOException {
        final Path good = copyBuiltin(dir, F1);
        final Path bad = write("wrong.yaml", "name: wrong-result\n"
                + "steps:\n"
                + "  - {create: {bo: A, size: 4KiB, placement: [tt]}, result: ENOSPC}\n");

        assertThat(ttmsim("run", good.toString(), bad.toString()).code()).isEqualTo(1);
        assertThat(ttmsim("run", "--json", bad.toString(), good.toString()).code()).isEqualTo(1);
    }

    /**
     * Issue #16: {@code run} said FAIL and exited 1 for a cell where {@code matrix} showed a finding and
     * exited 0. A finding that no expectation states fails both; one that a case states passes both.
     */
    @Test
    void shouldGiveTheSameVerdictAndExitStatusInRunAndMatrix() throws IOException {
        final String f1 = Files.readString(copyBuiltin(dir, F1), StandardCharsets.UTF_8);
        final Path stated = write("stated.yaml", f1);
        final Path unstated = write("unstated.yaml", f1.substring(0, f1.indexOf("expect:")));

        final Outcome runUnstated = ttmsim("run", unstated.toString(), "--design", "pre-2019");
        final Outcome matrixUnstated = ttmsim("matrix", unstated.toString(), "--designs", "pre-2019", "--modes", "sev");
        final Outcome runStated = ttmsim("run", stated.toString(), "--design", "pre-2019");
        final Outcome matrixStated = ttmsim("matrix", stated.toString(), "--designs", "pre-2019", "--modes", "sev");

        assertThat(runUnstated.code()).as(runUnstated.out()).isEqualTo(1);
        assertThat(runUnstated.out()).contains("FAIL").contains("expectation not met: expected violations []");
        assertThat(matrixUnstated.code()).as(matrixUnstated.out()).isEqualTo(1);
        assertThat(matrixUnstated.out()).containsPattern("(?m)^  pre-2019 v5.3 +GA!$");
        assertThat(runStated.code()).as(runStated.out()).isZero();
        assertThat(runStated.out()).contains("PASS");
        assertThat(matrixStated.code()).as(matrixStated.out()).isZero();
        assertThat(matrixStated.out()).containsPattern("(?m)^  pre-2019 v5.3 +GA$");
    }

    @Test
    void shouldShowTheNoteOfTheCaseThatCoversARunInTextJsonAndTheMatrix() throws IOException {
        final Path f = write("noted.yaml", "name: noted\n"
                + "machine: {encryption: sev}\n"
                + "device: {driver: vmwgfx, dma-alloc: true}\n"
                + "steps:\n"
                + "  - create: {bo: A, size: 64KiB, placement: [tt]}\n"
                + "  - device-write: {bo: A, offset: 0, data: \"frame\"}\n"
                + "  - mmap: {bo: A, as: a}\n"
                + "  - cpu-read: {map: a, offset: 0, length: 5}\n"
                + "expect:\n"
                + "  cases:\n"
                + "    - {design: pre-2019, mode: sev, violations: [cpu-garbage, attribute-alias],\n"
                + "       note: \"the fault maps the decrypted page with vm_page_prot\"}\n");

        final Outcome text = ttmsim("run", f.toString(), "--design", "pre-2019");
        final Outcome json = ttmsim("run", f.toString(), "--design", "pre-2019", "--json");
        final Outcome own = ttmsim("run", f.toString(), "--json");
        final Outcome matrix = ttmsim("matrix", f.toString(), "--designs", "pre-2019,upstream-2024", "--modes", "sev");

        assertThat(text.code()).as(text.out()).isZero();
        assertThat(text.out()).contains("  note: the fault maps the decrypted page with vm_page_prot\n");
        assertThat(new ObjectMapper().readTree(json.out()).get("note").asText())
                .isEqualTo("the fault maps the decrypted page with vm_page_prot");
        assertThat(new ObjectMapper().readTree(own.out()).has("note")).as("no case covers the own run").isFalse();
        assertThat(matrix.out()).contains("  notes:\n    sev: pre-2019 v5.3 - the fault maps the decrypted page"
                + " with vm_page_prot\n");
    }

    @Test
    void shouldExitTwoWhenAnOverrideMakesTheMachineImpossible() throws IOException {
        // Valid for its own mode (no encryption); forcing SME puts RAM above the C-bit: no such machine.
        final Path f = write("plain.yaml", "name: plain\n"
                + "machine: {encryption: none, cbit: 32, ram: 4GiB}\n"
                + "steps:\n  - create: {bo: A, size: 4KiB, placement: [tt]}\n");

        final Outcome run = ttmsim("run", f.toString(), "--mode", "sme", "--json");
        final Outcome matrix = ttmsim("matrix", f.toString(), "--modes", "none,sme");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: " + f + ": under mode sme: RAM + VRAM");
        assertNoStackTrace(run.err());
        assertThat(matrix.code()).isEqualTo(2);
        assertThat(matrix.err()).startsWith("error: " + f + ": under mode sme: RAM + VRAM")
                .doesNotContain("under mode none");
    }

    @Test
    void shouldExitTwoWithFileLineAndColumnForAnUnknownKey() throws IOException {
        final Path f = write("bad.yaml", "name: t\n"
                + "steps:\n"
                + "  - create: {bo: A, size: 4KiB, placement: [tt], colour: red}\n");

        final Outcome o = ttmsim("run", f.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("error: " + f + ":3:50: steps[1].create: unknown key 'colour' "
                + "(expected one of bo, size, placement, caching, type, priority)" + NL);
        assertThat(o.out()).isEmpty();
    }

    @Test
    void shouldExitTwoBeforeRunningAnythingWhenOneOfSeveralFilesIsBad() throws IOException {
        final Path good = copyBuiltin(dir, F1);
        final Path bad = write("bad.yaml", "name: t\nsteps:\n  - crate: {bo: A, size: 4KiB}\n");

        final Outcome o = ttmsim("run", good.toString(), bad.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: " + bad + ":3:5: ").contains("'create'").endsWith(NL);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.out()).as("nothing runs before the input is known good").isEmpty();
    }

    @Test
    void shouldExitTwoForABadScenarioInTheMatrix() throws IOException {
        final Path bad = write("bad.yaml", "name: t\nmachine: {encryption: sev2}\nsteps:\n"
                + "  - create: {bo: A, size: 4KiB, placement: [tt]}\n");

        final Outcome o = ttmsim("matrix", bad.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: " + bad + ":2:23: machine.encryption: ").endsWith(NL);
        assertThat(o.err().lines()).hasSize(1);
    }

    @Test
    void shouldLeaveASwiotlbThatLowMemoryCannotHoldToTheBootOfTheRelease() throws IOException {
        // Not bad input: swiotlb_init_remap() finds no 128 MiB block in 60 MiB of low memory. v6.1 boots
        // without a pool; v6.2 (8d58aa484920) halves to 64 MiB, then 32 MiB, which fits.
        final Path f = write("small.yaml", "name: small\n"
                + "machine: {encryption: sev, ram: 64MiB, swiotlb: 128MiB}\n"
                + "steps:\n  - create: {bo: A, size: 4KiB, placement: [tt]}\n");

        final Outcome v61 = ttmsim("run", f.toString(), "--kernel", "v6.1", "--json");
        final Outcome v62 = ttmsim("run", f.toString(), "--kernel", "v6.2", "--json");

        assertThat(v61.code()).as(v61.err()).isZero();
        assertThat(v61.out()).contains("\"swiotlb_requested\":134217728,\"swiotlb_bytes\":0,");
        assertThat(v62.out()).contains("\"swiotlb_requested\":134217728,\"swiotlb_bytes\":33554432,")
                .contains("adjusted 65536 -> 16384 slabs");
    }

    @Test
    void shouldAcceptTheSmallestMachinesThatHoldTheirSwiotlb() throws IOException {
        final Path dflt = write("128.yaml", "name: m128\nmachine: {encryption: sev, ram: 128MiB}\n"
                + "steps:\n  - create: {bo: A, size: 4KiB, placement: [tt]}\n");
        final Path half = write("64.yaml", "name: m64\nmachine: {ram: 64MiB, swiotlb: 32MiB}\n"
                + "steps:\n  - create: {bo: A, size: 4KiB, placement: [tt]}\n");

        final Outcome o = ttmsim("run", dflt.toString(), half.toString());

        assertThat(o.code()).as(o.out() + o.err()).isZero();
    }

    @Test
    void shouldExitTwoForAMissingFile() {
        final Path missing = dir.resolve("missing.yaml");

        final Outcome o = ttmsim("run", missing.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("error: " + missing + ": no such file or directory, and no built-in scenario"
                + " has that id (`ttmsim scenarios` lists them)" + NL);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "run    | --design  | pre2019      | error: --design: unknown design 'pre2019'; valid: ",
        "run    | --mode    | sev-es       | error: --mode: unknown mode 'sev-es'; valid: none, sme, sev, sev-snp, tdx",
        "matrix | --modes   | sev,sev-es   | error: --modes: unknown value 'sev-es'; valid: none, sme, sev, sev-snp, tdx",
        "matrix | --designs | pre-2019,foo | error: --designs: unknown value 'foo'; valid: ",
    })
    void shouldExitTwoForAnUnknownDesignOrMode(final String command, final String option, final String value,
            final String message) throws IOException {
        final Path f = copyBuiltin(dir, F1);

        final Outcome o = ttmsim(command, f.toString(), option, value);

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith(message).endsWith(NL);
        assertThat(o.err().lines()).hasSize(1);
        assertThat(o.out()).isEmpty();
    }

    @Test
    void shouldExitTwoWithUsageForAnUnknownCommandOrOption() throws IOException {
        final Outcome command = ttmsim("rnu");
        final Outcome option = ttmsim("run", copyBuiltin(dir, F1).toString(), "--jsno");
        final Outcome noFile = ttmsim("run");

        for (final Outcome o : List.of(command, option, noFile)) {
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.err()).startsWith("error: ").contains("Usage: ttmsim").contains("--help' for every option.");
            // The synopsis, not every option's description: the error stays in view.
            assertThat(o.err().lines().count()).isLessThan(12);
            assertNoStackTrace(o.err());
        }
    }

    @Test
    void shouldExitTwoForAnUnwritableReportFile() throws IOException {
        final Path f = copyBuiltin(dir, F1);
        final Path inMissingDir = dir.resolve("no/such/dir/m.json");

        final Outcome o = ttmsim("matrix", f.toString(), "--designs", "upstream-2024", "--modes", "sev", "--json",
                inMissingDir.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: " + inMissingDir + ": ");
        assertNoStackTrace(o.err());
    }

    @Test
    void shouldNeverPrintAStackTraceForHostileInput() throws IOException {
        final List<Path> files = List.of(
                write("binary.yaml", "\u0000\u0001\u0002 name: [\n"),
                write("alias.yaml", "a: &a [*a]\n"),
                write("deep.yaml", "[".repeat(5000)),
                write("empty.yaml", ""),
                Files.createDirectory(dir.resolve("empty-dir")));

        for (final Path f : files) {
            final Outcome o = ttmsim("run", f.toString());
            assertThat(o.code()).as(f.toString()).isEqualTo(2);
            assertThat(o.err()).as(f.toString()).startsWith("error: ").endsWith(NL);
            assertNoStackTrace(o.err());
        }
    }

    // Help and version.

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "run       | --design,--mode,--json,--trace,--chrome-trace,FILE",
        "matrix    | --designs,--modes,--json,--html,--threads,--summary,PATH",
        "designs   | --help,--version",
        "scenarios | --help,--version",
    })
    void shouldDescribeEachCommandsOptionsInItsHelp(final String command, final String options) {
        final Outcome o = ttmsim(command, "--help");

        assertThat(o.code()).isZero();
        // A command with a header (its line in `ttmsim --help`) prints it first, then the usage.
        assertThat(o.out()).containsPattern("\\A(.+\\R)?Usage: ttmsim " + command);
        for (final String option : options.split(",")) {
            assertThat(o.out()).contains(option);
        }
        assertThat(ttmsim("help", command).out()).isEqualTo(o.out());
    }

    @Test
    void shouldListEveryCommandAndTheExitCodesInTheTopLevelHelp() {
        final Outcome o = ttmsim("--help");

        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("run", "matrix", "designs", "scenarios", "--version")
                .contains("Exit codes: 0").contains("2 bad input");
    }

    @Test
    void shouldPrintTheVersion() {
        final Outcome o = ttmsim("--version");

        assertThat(o.code()).isZero();
        assertThat(o.out()).matches("ttmsim \\S+" + NL);
    }

    @Test
    void shouldFailWithTheHelpOnStandardErrorWhenNoCommandIsGiven() {
        final Outcome o = ttmsim();

        assertThat(o.code()).as("a script that lost its command word must not pass").isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).startsWith("error: missing a command").contains("Usage: ttmsim", "matrix", "Exit codes");
    }

    @Test
    void shouldRefuseAnEmptyPathAsSuch() throws IOException {
        final Path f = copyBuiltin(dir, F1);

        final Outcome trace = ttmsim("run", "--chrome-trace", "", f.toString());
        final Outcome scenario = ttmsim("run", "");

        assertThat(trace.code()).isEqualTo(2);
        assertThat(trace.err()).startsWith("error: an empty file name; give one, such as out.json");
        assertThat(scenario.code()).isEqualTo(2);
        assertThat(scenario.err()).startsWith("error: an empty path: give a scenario file");
    }

    @Test
    void shouldNameAnUnknownCommandAndListTheCommands() {
        final Outcome o = ttmsim("matirx");

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: unknown command 'matirx'; the commands: run, matrix, designs")
                .contains("Did you mean: ttmsim matrix?");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "matrix --designs pre-2019,,              | --designs: empty item in 'pre-2019,,'",
        "matrix --modes ,sev                      | --modes: empty item in ',sev'",
        "explore --kernels v6.9,                  | --kernels: empty item in 'v6.9,'",
        "designs --design-class org.example.A,,   | --design-class: empty item",
    })
    void shouldRefuseACommaListWithAnEmptyItem(final String line, final String message) {
        final Outcome o = ttmsim(line.split(" "));

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: " + message);
    }

    @Test
    void shouldExitTwoWhenTheStandardOutputCannotBeWritten() {
        final PrintWriter full = new PrintWriter(new java.io.OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                throw new IOException("No space left on device");
            }
        }, true);
        final java.io.StringWriter err = new java.io.StringWriter();

        final int code = Main.outputWritten(Main.execute(new String[] {"designs"}, full, new PrintWriter(err)), full,
                new PrintWriter(err, true));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("error: cannot write the standard output");
    }

    // Listings.

    @Test
    void shouldListTheTenSpecDesignsInOrderThenStock() {
        final Outcome o = ttmsim("designs");

        assertThat(o.code()).isZero();
        final List<String> ids = o.out().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(l -> l.split("\\s+")[0]).toList();
        final List<String> expected = new ArrayList<>(SPEC_DESIGNS);
        expected.add("stock");
        assertThat(ids).isEqualTo(expected);
        assertThat(o.out()).contains("from:").contains("own kernel: v5.3");
    }

    @Test
    void shouldListEveryBuiltinScenario() {
        final List<String> index = builtinText("index.txt").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        final Outcome o = ttmsim("scenarios");

        assertThat(o.code()).isZero();
        assertThat(o.out().lines()).hasSize(index.size());
        final List<String> listed = o.out().lines().map(l -> l.split("\\s+")[0]).toList();
        final List<String> ids = new ArrayList<>();
        for (final String file : index) {
            ids.add(file.substring(0, file.length() - ".yaml".length()));
        }
        assertThat(listed).isEqualTo(ids);
    }

    // Output formats.

    @Test
    void shouldPrintOneSpecResultObjectPerLine() throws IOException {
        final Path f1 = copyBuiltin(dir, F1);
        final Path f2 = copyBuiltin(dir, "02-sev-user-writes-device-reads.yaml");

        final Outcome o = ttmsim("run", f1.toString(), f2.toString(), "--json", "--design", "pre-2019");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).endsWith("\n");
        final List<String> lines = o.out().lines().toList();
        assertThat(lines).hasSize(2);
        final ObjectMapper mapper = new ObjectMapper();
        for (final String line : lines) {
            final JsonNode r = mapper.readTree(line);
            assertThat(r.isObject()).isTrue();
            final List<String> keys = new ArrayList<>();
            r.fieldNames().forEachRemaining(keys::add);
            assertThat(keys.subList(0, SPEC_RESULT_KEYS.size())).isEqualTo(SPEC_RESULT_KEYS);
            final List<String> costKeys = new ArrayList<>();
            r.get("costs").fieldNames().forEachRemaining(costKeys::add);
            assertThat(costKeys).containsAll(SPEC_COSTS);
            r.get("costs").forEach(v -> assertThat(v.isIntegralNumber()).isTrue());
            assertThat(r.get("design").asText()).isEqualTo("pre-2019");
            assertThat(r.get("verdict").asText()).isIn("pass", "fail", "error");
        }
        final JsonNode first = mapper.readTree(lines.get(0));
        assertThat(first.get("file").asText()).isEqualTo(f1.toString());
        assertThat(first.get("mode").asText()).isEqualTo("sev");
        final JsonNode violation = first.get("violations").get(0);
        assertThat(violation.get("invariant").asText()).isEqualTo("cpu-garbage");
        assertThat(violation.get("step").asInt()).isEqualTo(4);
        assertThat(violation.get("message").asText()).isNotEmpty();
        final JsonNode read = first.get("steps").get(3);
        assertThat(read.get("index").asInt()).isEqualTo(4);
        assertThat(read.get("op").asText()).isEqualTo("cpu-read");
        assertThat(read.get("result").asText()).isEqualTo("ok");
        assertThat(read.get("data").get("hex").asText()).matches("[0-9a-f]{32}");
        assertThat(first.get("state").get("A").get("placement").asText()).isEqualTo("tt");
        assertThat(first.get("state").get("managers").get("vram").get("size").isIntegralNumber()).isTrue();
    }

    @Test
    void shouldPrintTheTraceWithRun() throws IOException {
        final Outcome o = ttmsim("run", copyBuiltin(dir, F1).toString(), "--trace");

        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("trace:").contains("pte-insert").contains("fault");
    }

    @Test
    void shouldWriteASelfContainedHtmlReport() throws IOException {
        final Path html = dir.resolve("report.html");

        final Outcome o = ttmsim("matrix", copyBuiltin(dir, F1).toString(), "--designs", "pre-2019,upstream-2024",
                "--modes", "sev", "--html", html.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>")
                .contains("sev-device-writes-user-reads");
    }

    @Test
    void shouldWriteTheMatrixAsJsonAndPrintTheTable() throws IOException {
        final Path json = dir.resolve("m.json");

        final Outcome o = ttmsim("matrix", copyBuiltin(dir, F1).toString(), "--designs", "pre-2019,upstream-2024",
                "--modes", "none,sev", "--json", json.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("sev-device-writes-user-reads").contains("pre-2019").contains("upstream-")
                .contains("1 scenarios x 2 designs x 2 modes = 4 cells").contains("legend:");
        assertThat(new ObjectMapper().readTree(json.toFile()).isContainerNode()).isTrue();
    }

    @Test
    void shouldRunEveryScenarioOfADirectory() throws IOException {
        copyBuiltin(dir, F1);
        copyBuiltin(dir, "02-sev-user-writes-device-reads.yaml");
        Files.writeString(dir.resolve("notes.txt"), "not a scenario");

        final Outcome o = ttmsim("run", dir.toString(), "--json");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out().lines()).hasSize(2);
    }

    @Test
    void shouldRunABuiltinScenarioByTheIdThatScenariosPrints() {
        final String id = ttmsim("scenarios").out().lines().findFirst().orElseThrow().split("\\s+")[0];

        final Outcome o = ttmsim("run", id, "--json");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("\"file\":\"builtin:" + id + ".yaml\"");
    }

    @Test
    void shouldReportEveryBadFileOfABatch() throws IOException {
        final Path bad1 = write("bad1.yaml", "name: t\nsteps:\n  - crate: {}\n");
        final Path good = copyBuiltin(dir, F1);
        final Path bad2 = write("bad2.yaml", "name: t\nsteps:\n  - create: {bo: A, size: 3, placement: [tt]}\n");

        final Outcome o = ttmsim("run", bad1.toString(), good.toString(), bad2.toString());

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err().lines()).hasSize(2);
        assertThat(o.err().lines().toList().get(0)).startsWith("error: " + bad1 + ":3:5: ");
        assertThat(o.err().lines().toList().get(1)).startsWith("error: " + bad2 + ":3:");
    }

    @Test
    void shouldPutTheTraceInTheJsonWithJsonAndTrace() throws IOException {
        final Outcome o = ttmsim("run", copyBuiltin(dir, F1).toString(), "--json", "--trace");

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).isEmpty();
        final JsonNode r = new ObjectMapper().readTree(o.out());
        assertThat(r.get("trace").isArray()).isTrue();
        assertThat(r.get("trace").get(0).asText()).startsWith("[config] machine:");
        assertThat(r.get("trace").toString()).contains("pte-insert");
    }

    @Test
    void shouldNameEveryDesignInFullAndWriteLettersInLegendOrder() throws IOException {
        // pre-2019 under SEV breaks cpu-garbage first, then attribute-alias; the cell reads in legend order.
        final Outcome o = ttmsim("matrix", copyBuiltin(dir, F1).toString(), "--modes", "sev");

        assertThat(o.code()).as(o.err()).isZero();
        for (final String d : org.ttmsim.design.Designs.ids()) {
            assertThat(o.out()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(d) + " v\\d+\\.\\d+ +\\S");
        }
        assertThat(o.out()).containsPattern("(?m)^  pre-2019 v5.3 +GA$");
    }

    @Test
    void shouldPrintOnlyTheSummaryTableWithSummary() throws IOException {
        final Path json = dir.resolve("m.json");

        final Outcome o = ttmsim("matrix", copyBuiltin(dir, F1).toString(), "--designs", "pre-2019,upstream-2024",
                "--modes", "none,sev", "--summary", "--json", json.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).doesNotContain("(" + dir.resolve(F1) + ")")
                .startsWith("summary: per design, kernel and mode, how many of the 1 scenario broke invariants")
                .containsPattern("(?m)^  design, kernel      none  sev$")
                .containsPattern("(?m)^  pre-2019 v5.3       \\.     1: GA$")
                .containsPattern("(?m)^  upstream-2024 v6.9  \\.     \\.$")
                .contains("legend:").contains("summary cells:")
                .endsWith("1 scenarios x 2 designs x 2 modes = 4 cells" + NL
                        + "4 runs: 4 pass, 0 fail, 0 errors, 0 not applicable; exit status 0" + NL);
        final JsonNode summary = new ObjectMapper().readTree(json.toFile()).get("summary");
        assertThat(summary.get("rows").get(0).get("modes").get("sev").get("invariants"))
                .hasToString("[\"cpu-garbage\",\"attribute-alias\"]");
    }

    @Test
    void shouldPrintTheSummaryAfterTheScenarioBlocks() throws IOException {
        final Outcome o = ttmsim("matrix", copyBuiltin(dir, F1).toString(), "--designs", "pre-2019",
                "--modes", "sev");

        assertThat(o.code()).as(o.err()).isZero();
        final String out = o.out();
        assertThat(out.indexOf("sev-device-writes-user-reads   (")).isZero();
        assertThat(out.indexOf("summary:")).isGreaterThan(0).isLessThan(out.indexOf("legend:"));
    }

    private Path write(final String name, final String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
