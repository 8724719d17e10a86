package org.ttmsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Report files the commands write (--json, --html, --chrome-trace): checked before a run, written after. */
final class OutputFiles {
    /** Writes a report's text to a writer. */
    @FunctionalInterface
    interface Content {
        void writeTo(Writer out) throws IOException;
    }

    private OutputFiles() {
    }

    /** Whether a report can be written at {@code file}, checked before a long run. */
    static boolean writable(final Path file) {
        final Path parent = file.toAbsolutePath().getParent();
        return !Files.isDirectory(file) && parent != null && Files.isDirectory(parent) && Files.isWritable(parent);
    }

    /** The message for a file {@link #writable} refuses. */
    static String notWritable(final Path file) {
        return "error: " + file + ": cannot write there (no such directory, or not writable)";
    }

    /** Writes {@code text} as UTF-8; on failure says so on {@code err} and returns false. */
    static boolean write(final PrintWriter err, final Path file, final String text) {
        return write(err, file, out -> out.write(text));
    }

    /** Streams {@code content} into {@code file} as UTF-8; on failure says so on {@code err} and returns false. */
    static boolean write(final PrintWriter err, final Path file, final Content content) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            content.writeTo(out);
            return true;
        } catch (final IOException e) {
            err.println("error: " + file + ": cannot write: " + e.getMessage());
            return false;
        }
    }
}
