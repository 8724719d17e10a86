package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is rejected with the exact line and column and a message that says what was expected and
 * found: a corpus of malformed files, each stating its expected error in its first line
 * ({@code # error: LINE:COL: message}), plus cases generated here that would be too big or too
 * binary to keep as files.
 */
final class ScenarioErrorCorpusTest {

    private static final Pattern HEADER = Pattern.compile("# error: (\\d+):(\\d+): (.+)");
    private static final int CORPUS_MIN = 100;

    private final ScenarioParser parser = new ScenarioParser(ScenarioParserTest.COSTS);

    static Stream<Arguments> corpus() throws IOException, URISyntaxException {
        final Path dir = Path.of(ScenarioErrorCorpusTest.class.getResource("/scenario-corpus").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> sorted = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(sorted).as("corpus files in " + dir).hasSizeGreaterThanOrEqualTo(CORPUS_MIN);
            return sorted.stream().map(f -> Arguments.of(f.getFileName().toString(), f));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldRejectCorpusFileAtItsStatedPosition(final String name, final Path file) throws IOException {
        final Matcher header = header(file);

        final ScenarioException e = rejected(() -> parser.parse(file));

        assertRejection(e, file.toString(), Integer.parseInt(header.group(1)), Integer.parseInt(header.group(2)),
                header.group(3));
    }

    /** One generated case: input bytes, and where and what the error must be. */
    record Generated(String description, byte[] bytes, int line, int col, String message) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Generated> generated() {
        return Stream.of(
                new Generated("empty file", new byte[0], 1, 1, "empty file: expected a mapping"),
                new Generated("blank file", utf8("\n  \n\t\n\r\n"), 1, 1, "empty file: expected a mapping"),
                new Generated("only a byte-order mark", utf8("\uFEFF"), 1, 1, "empty file"),
                new Generated("explicit empty document", utf8("---\n...\n"), 1, 1, "empty file"),
                new Generated("NUL byte", utf8("name: a\u0000b\n"), 1, 8, "binary data: U+0000 is not a printable"),
                new Generated("UTF-16 file", "name: t\n".getBytes(StandardCharsets.UTF_16), 1, 1,
                        "not UTF-8 text: byte 0xfe at offset 0"),
                new Generated("invalid UTF-8 after multi-byte characters", concat(utf8("name: \u00fc\u00fc"),
                        new byte[] {(byte) 0xff, '\n'}), 1, 9, "not UTF-8 text: byte 0xff at offset 10"),
                new Generated("lone continuation byte on line 3", concat(utf8("name: t\nsteps:\n  - "),
                        new byte[] {(byte) 0x80}), 3, 5, "not UTF-8 text: byte 0x80"),
                new Generated("file one byte over 2 MiB", bigFile(YamlSource.MAX_BYTES + 1), 16385, 1,
                        "expected a file of at most 2097152 bytes (2 MiB), found 2097153 bytes"),
                new Generated("a 1.9 MB description on one line", utf8("name: t\ndescription: " + "a".repeat(1_900_000)
                        + "\nsteps:\n  - pool-shrink: {pages: 1}\n"), 2, 131073,
                        "line longer than 131072 characters (it has 1900013)"),
                new Generated("a quoted description of 600,000 characters over many lines",
                        utf8("name: t\ndescription: \"" + String.join("\n  ", java.util.Collections.nCopies(600,
                                "b".repeat(999))) + "\"\nsteps:\n  - pool-shrink: {pages: 1}\n"), 2, 14,
                        "a value longer than 524288 characters (it has 599999)"),
                new Generated("flow lists nested 1000 deep", utf8("name: t\nsteps: " + "[".repeat(1000)
                        + "]".repeat(1000) + "\n"), 2, 71, "nesting deeper than 64 levels"),
                new Generated("block mappings nested 100 deep", utf8(nestedMappings(100)), 66, 129,
                        "nesting deeper than 64 levels"),
                new Generated("65 aliases to a list", utf8(manyAliases(65)), 69, 5,
                        "more than 64 aliases to mappings or lists"),
                new Generated("expect.state with 10001 values", utf8(bigState(10_001)), 10_006, 11,
                        "expect.state.A.many[9999]: expect.state holds more than 10000 values"),
                new Generated("a name 65 characters long", utf8("name: t\nsteps:\n  - create: {bo: " + "b".repeat(65)
                        + ", size: 4KiB, placement: [tt]}\n"), 3, 18, "steps[1].create.bo: expected a name of"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generated")
    void shouldRejectGeneratedInput(final Generated c, @TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("generated.yaml");
        Files.write(file, c.bytes());

        final ScenarioException e = rejected(() -> parser.parse(file));

        assertRejection(e, file.toString(), c.line(), c.col(), c.message());
    }

    @Test
    void shouldRejectTextGivenAsAStringLikeTheSameFile() {
        final ScenarioException e = rejected(() -> parser.parse("inline", "name: t\nsteps:\n  - crate: {}\n"));

        assertThat(e.getMessage()).startsWith("inline:3:5: steps[1]: unknown operation 'crate', did you mean "
                + "'create'?");
    }

    @Test
    void shouldRejectAHugeStringWithoutReadingItAsYaml() {
        final String text = new String(bigFile(3 * YamlSource.MAX_BYTES), StandardCharsets.UTF_8);

        final ScenarioException e = rejected(() -> parser.parse("huge", text));

        assertRejection(e, "huge", 16385, 1, "found 6291456 bytes");
    }

    @Test
    void shouldRejectADirectoryWithoutALine(@TempDir final Path dir) {
        final ScenarioException e = rejected(() -> parser.parse(dir));

        assertThat(e.getMessage()).startsWith(dir + ": cannot read the file");
        assertThat(e.line()).isZero();
    }

    private static void assertRejection(final ScenarioException e, final String file, final int line, final int col,
                                        final String message) {
        assertThat(e.file()).isEqualTo(file);
        assertThat(List.of(e.line(), e.col())).as("line and column of: " + e.getMessage()).containsExactly(line, col);
        assertThat(e.getMessage()).isEqualTo(file + ":" + line + ":" + col + ": " + e.problem());
        assertThat(e.problem()).contains(message);
    }

    /** The ScenarioException the call throws; any other outcome fails the test. */
    private static ScenarioException rejected(final Parse call) {
        final Throwable thrown = catchThrowable(call::parse);
        assertThat(thrown).as("the parser must reject this input with a ScenarioException")
                .isInstanceOf(ScenarioException.class);
        return (ScenarioException) thrown;
    }

    /** A parser call. */
    @FunctionalInterface
    private interface Parse {
        Scenario parse() throws ScenarioException;
    }

    private static Matcher header(final Path file) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        final Matcher m = HEADER.matcher(new String(bytes, 0, end, StandardCharsets.UTF_8));
        assertThat(m.matches()).as(file + " starts with '# error: LINE:COL: message'").isTrue();
        return m;
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A valid scenario padded with comment lines of exactly 128 bytes, so 2 MiB ends after line 16384. */
    private static byte[] bigFile(final int size) {
        final StringBuilder out = new StringBuilder(size + 128);
        for (final String line : List.of("name: big", "steps:", "  - pool-shrink: {pages: 1}")) {
            out.append(padded(line));
        }
        final String comment = padded("# padding");
        while (out.length() < size) {
            out.append(comment);
        }
        out.setLength(size);
        return utf8(out.toString());
    }

    private static String padded(final String line) {
        return line + " ".repeat(127 - line.length()) + "\n";
    }

    /** Mappings nested {@code depth} deep under key x; the one at level d starts on line d + 1. */
    private static String nestedMappings(final int depth) {
        final StringBuilder out = new StringBuilder("name: t\nx:\n");
        for (int level = 1; level < depth; level++) {
            out.append("  ".repeat(level)).append("k").append(level).append(":\n");
        }
        return out.append("  ".repeat(depth)).append("leaf: 1\n").toString();
    }

    /** A scenario whose expect.state refers {@code count} times to one anchored list; alias i on line 4 + i. */
    private static String manyAliases(final int count) {
        final StringBuilder out = new StringBuilder("name: t\nsteps:\n  - create: {bo: A, size: 4KiB, placement: "
                + "&p [tt]}\nx:\n");
        for (int i = 0; i < count; i++) {
            out.append("  - *p\n");
        }
        return out.toString();
    }

    /** {@code count} writes of 16 MiB each, step i on line 3 + i. */
    /**
     * An expect.state for BO A holding a list of {@code count} numbers; with A's mapping and the list,
     * value 10001 is item 9999, on line 7 + 9999.
     */
    private static String bigState(final int count) {
        final StringBuilder out = new StringBuilder("name: t\nsteps:\n  - create: {bo: A, size: 4KiB, placement: [tt]}"
                + "\nexpect:\n  state:\n    A:\n      many:\n");
        for (int i = 0; i < count; i++) {
            out.append("        - ").append(i).append('\n');
        }
        return out.toString();
    }
}
