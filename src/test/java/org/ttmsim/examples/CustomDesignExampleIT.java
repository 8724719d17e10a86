package org.ttmsim.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/custom-design} as a user ships it: its design compiled against this build's classes and
 * packed in a jar with its {@code META-INF/services} entry, then put on the class path of a fresh JVM running
 * the CLI (what {@code TTMSIM_CLASSPATH=custom-design.jar ./ttmsim ...} does). The design is found through
 * {@code ServiceLoader}, listed by {@code ttmsim designs} with the class that provides it, and runs in
 * {@code run} like a built-in one. (The example's own JUnit test, run by Maven against the installed artifact,
 * is {@code .ci/run}'s.)
 */
class CustomDesignExampleIT {
    private static final Path EXAMPLE = Path.of("examples", "custom-design");
    private static final String ID = "dma-pool-decrypted";

    @TempDir
    static Path dir;
    private static Path jar;

    @BeforeAll
    static void packTheExample() throws IOException {
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "--release", "17"));
        try (Stream<Path> sources = Files.walk(EXAMPLE.resolve("src/main/java"))) {
            sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(new String[0]))).as("javac of the example").isZero();
        jar = dir.resolve("custom-design.jar");
        final Path services = EXAMPLE.resolve("src/main/resources");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Stream.concat(Files.walk(classes), Files.walk(services))) {
            for (final Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                final Path root = f.startsWith(classes) ? classes : services;
                out.putNextEntry(new JarEntry(root.relativize(f).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
    }

    /** {@code ttmsim ARGS} in a fresh JVM with the example's jar on the class path; stdout. */
    private static String ttmsim(final String... args) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path") + File.pathSeparator + jar,
                "org.ttmsim.cli.Main"));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.flush();
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("exit status of ttmsim %s: %s", String.join(" ", args), out).isIn(0, 1);
        return out;
    }

    @Test
    void shouldListTheExamplesDesignWhenItsJarIsOnTheClassPath() throws Exception {
        final String out = ttmsim("designs");

        assertThat(out).contains(ID + " ").contains("provided by: org.example.ttmdesign.DecryptDmaPool (class path)");
        assertThat(out.indexOf(ID)).as("after the built-in ones").isGreaterThan(out.indexOf("stock "));
    }

    /**
     * The example's design runs in {@code run} under its own id: on an SME host its decrypted mapping of
     * encrypted coherent pages reads ciphertext (the example's test explains why), in a SEV guest it is right.
     */
    @Test
    void shouldRunTheExamplesDesignLikeABuiltInOne() throws Exception {
        final ObjectMapper json = new ObjectMapper();
        final List<String> found = new ArrayList<>();
        for (final String mode : List.of("sme", "sev")) {
            final JsonNode r = json.readTree(ttmsim("run", "--json", "--design", ID, "--mode", mode,
                    "01-sev-device-writes-user-reads"));
            assertThat(r.get("design").asText()).isEqualTo(ID);
            final List<String> ids = new ArrayList<>();
            r.get("violations").forEach(v -> ids.add(v.get("invariant").asText()));
            found.add(mode + ": " + ids.stream().distinct().sorted().toList());
        }
        assertThat(found).containsExactly("sme: [attribute-alias, cpu-garbage]", "sev: []");
    }
}
