package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs {@code ttmsim} in-process through {@link Main#execute} and captures what it printed. */
final class CliRunner {
    /** What one command line did: exit code, stdout, stderr. */
    record Outcome(int code, String out, String err) {
    }

    private CliRunner() {
    }

    static Outcome ttmsim(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    /** The text of a built-in scenario resource ({@code index.txt} included). */
    static String builtinText(final String fileName) {
        try (InputStream in = CliRunner.class.getResourceAsStream("/scenarios/" + fileName)) {
            assertThat(in).as("built-in resource %s", fileName).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Copies a built-in scenario into {@code dir} under its own name and returns the path. */
    static Path copyBuiltin(final Path dir, final String fileName) throws IOException {
        return Files.writeString(dir.resolve(fileName), builtinText(fileName), StandardCharsets.UTF_8);
    }

    /** Bad input is reported, never as a Java stack trace. */
    static void assertNoStackTrace(final String err) {
        assertThat(err).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("internal");
    }
}
