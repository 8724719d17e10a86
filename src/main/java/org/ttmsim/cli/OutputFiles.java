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
        if (file.toString().isEmpty() || Files.isDirectory(file)) {
            return false;
        }
        if (Files.exists(file)) {
            return Files.isWritable(file);
        }
        // Permission bits do not tell (root may "write" into /proc): create the file, and take it away again.
        try {
            Files.createFile(file);
            Files.delete(file);
            return true;
        } catch (final IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The message for a file {@link #writable} refuses. */
    static String notWritable(final Path file) {
        if (file.toString().isEmpty()) {
            return "error: an empty file name; give one, such as out.json";
        }
        return "error: " + file + (Files.isDirectory(file) ? ": is a directory; give a file name"
                : ": cannot write there (no such directory, or not writable)");
    }

    /**
     * An I/O failure in words: the JDK's file exceptions carry only the path as their message
     * ({@code FileAlreadyExistsException: explore-out}), which reads as no reason at all.
     */
    static String why(final IOException e) {
        final String path = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile()
                : e.getMessage();
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return path + ": exists and is not a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return path + ": permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return path + ": no such file or directory";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return path + ": not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return path + ": " + f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
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
