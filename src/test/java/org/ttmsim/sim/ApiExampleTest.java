package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.hw.EventKind;
import org.ttmsim.scenario.Data;

/**
 * The example of {@code docs/API.md}, compiled and run by the build: the text between the markers below is
 * the document's code block, character for character ({@link #shouldShowThisExampleInTheApiDocument}).
 */
class ApiExampleTest {
    private static final Path DOC = Path.of("docs", "API.md");
    private static final Path SELF = Path.of("src", "test", "java", "org", "ttmsim", "sim", "ApiExampleTest.java");

    @Test
    void shouldReadGarbageUnderPre2019AndTheDevicesBytesUnderUpstream2024() {
        // api-example: begin
        // A SEV guest whose vmwgfx allocates its buffers with dma_alloc_coherent() (vmw_force_coherent=1),
        // under the 2019 TTM: design pre-2019 on its own kernel, v5.3.
        final Context ctx = new Context()
                .encryption("sev")
                .ram(4L << 30)
                .driver("vmwgfx")
                .dmaAlloc(true)
                .design("pre-2019")
                .keepTrace(true)
                .conclude();
        final Session s = Session.open(ctx);
        s.create("A", 64 * 1024, "tt");                  // ttm_bo_init_reserved() into guest-backed memory
        s.deviceWrite("A", 0, Data.ofString("frame 1")); // the device DMAs into the shared pages
        s.mmap("A", "a");                                // user space maps the buffer
        final SteppedRun.Outcome read = s.cpuRead("a", 0, Data.ofString("frame 1"));

        assertThat(read.ok()).isTrue();                  // the load works...
        assertThat(read.result().held()).isFalse();      // ...and returns the shared page's bytes decrypted
        assertThat(read.violatedIds()).contains("cpu-garbage");
        assertThat(s.violatedIds()).containsExactlyInAnyOrder("cpu-garbage", "attribute-alias");
        assertThat(s.costs()).containsEntry("faults", 1L);
        assertThat(s.trace()).anyMatch(e -> e.kind() == EventKind.PTE_INSERT);

        // The same steps under today's design: the PTEs are decrypted like the pages.
        final Session today = Session.open(new Context().encryption("sev").ram(4L << 30).driver("vmwgfx")
                .dmaAlloc(true).design("upstream-2024"));
        today.create("A", 64 * 1024, "tt");
        today.deviceWrite("A", 0, Data.ofString("frame 1"));
        today.mmap("A", "a");
        assertThat(today.cpuRead("a", 0, 7).data()).isEqualTo("frame 1".getBytes());
        assertThat(today.violations()).isEmpty();
        // api-example: end
    }

    @Test
    void shouldShowThisExampleInTheApiDocument() throws IOException {
        final List<String> self = Files.readAllLines(SELF);
        final int from = self.indexOf("        // api-example: begin") + 1;
        final int to = self.indexOf("        // api-example: end");
        final String code = String.join("\n", self.subList(from, to).stream().map(l -> l.length() >= 8
                ? l.substring(8) : l.strip()).toList());

        final String doc = Files.readString(DOC);
        final int start = doc.indexOf("```java\n", doc.indexOf("<!-- api-example -->")) + "```java\n".length();
        final String block = doc.substring(start, doc.indexOf("\n```", start));

        assertThat(from).isPositive();
        assertThat(block).as("docs/API.md's example is this test's code: update one with the other").isEqualTo(code);
    }
}
