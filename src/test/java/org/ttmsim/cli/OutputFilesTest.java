package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output path that cannot be used is refused up front, and a failure names its reason, not just the path. */
class OutputFilesTest {
    @TempDir
    Path dir;

    @Test
    void shouldSayWhyAFileOperationFailed() {
        assertThat(OutputFiles.why(new FileAlreadyExistsException("explore-out")))
                .isEqualTo("explore-out: exists and is not a directory");
        assertThat(OutputFiles.why(new AccessDeniedException("/root/x"))).isEqualTo("/root/x: permission denied");
        assertThat(OutputFiles.why(new IOException("shard 2/4: missing"))).isEqualTo("shard 2/4: missing");
    }

    @Test
    void shouldCheckAReportPathByCreatingItAndLeaveNothingBehind() throws IOException {
        final Path file = dir.resolve("m.json");

        assertThat(OutputFiles.writable(file)).isTrue();
        assertThat(file).doesNotExist();
        assertThat(OutputFiles.writable(dir)).as("a directory").isFalse();
        assertThat(OutputFiles.writable(dir.resolve("no/such/dir/m.json"))).isFalse();
        Files.writeString(file, "old");
        assertThat(OutputFiles.writable(file)).as("an existing file is kept").isTrue();
        assertThat(Files.readString(file)).isEqualTo("old");
    }
}
