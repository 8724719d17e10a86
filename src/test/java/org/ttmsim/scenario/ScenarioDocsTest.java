package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fresh clone documents itself: docs/SCENARIOS.md names every key, operation and word the parser
 * accepts, docs/DESIGNS.md every design, and nothing in the repository's docs, help or sources cites a file
 * that a clone does not contain (the project's notes outside the repository).
 */
class ScenarioDocsTest {
    private static final Path SCENARIOS_MD = Path.of("docs", "SCENARIOS.md");
    private static final Path DESIGNS_MD = Path.of("docs", "DESIGNS.md");
    /** Citations of files outside the repository. */
    private static final Pattern OUTSIDE = Pattern.compile(
            "SPEC §|SPEC\\.md|\\breference/|reference §|fidelity[- ]audit|thread-and-kernel|ttm-kunit\\.md"
                    + "|hardware-and-costs|field-cases\\.md|\\.\\./shared");

    @Test
    void shouldDocumentEveryKeyAndOperationTheParserAccepts() throws Exception {
        final String doc = Files.readString(SCENARIOS_MD, StandardCharsets.UTF_8);
        final List<String> words = new ArrayList<>();
        words.addAll(field(ScenarioParser.class, "TOP_KEYS"));
        words.addAll(field(ScenarioParser.class, "MACHINE_KEYS"));
        words.addAll(field(ScenarioParser.class, "DEVICE_KEYS"));
        words.addAll(field(ExpectReader.class, "KEYS"));
        words.addAll(field(ExpectReader.class, "CASE_KEYS"));
        words.addAll(field(ExpectReader.class, "COST_KEYS"));
        words.addAll(((Map<?, ?>) staticField(StepReader.class, "OPS")).keySet().stream().map(Object::toString)
                .toList());
        words.add("repeat");
        words.addAll(Names.RESERVED);
        for (final List<String> vocabulary : List.of(Vocabulary.ENCRYPTIONS, Vocabulary.DRIVERS, Vocabulary.IOMMUS,
                Vocabulary.CHIPS, Vocabulary.INJECTIONS,
                Vocabulary.INVARIANTS, Vocabulary.RESULTS, Vocabulary.CACHINGS, Vocabulary.BO_TYPES,
                Vocabulary.PROTS, Vocabulary.MEM_TYPES, Vocabulary.PLACE_FLAGS)) {
            words.addAll(vocabulary);
        }

        assertThat(words.stream().distinct().filter(w -> !Pattern.compile("(?<![\\w-])" + Pattern.quote(w)
                + "(?![\\w-])").matcher(doc).find()).toList())
                .as("words the parser accepts that docs/SCENARIOS.md never names").isEmpty();
    }

    @Test
    void shouldDescribeEveryDesignWithItsSource() throws IOException {
        final String doc = Files.readString(DESIGNS_MD, StandardCharsets.UTF_8);

        for (final String id : Vocabulary.DESIGNS) {
            assertThat(doc).as("docs/DESIGNS.md describes %s", id).contains("### " + id);
            final String section = doc.substring(doc.indexOf("### " + id));
            final String body = section.substring(0, section.indexOf("\n### ", 1) > 0
                    ? section.indexOf("\n### ", 1) : section.length());
            assertThat(body).as("the section of %s cites a mail, commit or release", id)
                    .containsPattern("https://|\\b[0-9a-f]{12}\\b|release");
        }
    }

    @Test
    void shouldCiteNothingOutsideTheRepository() throws IOException {
        final List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"));
                Stream<Path> sources = Files.walk(Path.of("src"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
            sources.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".yaml")
                    || p.toString().endsWith(".js")).filter(p -> !p.endsWith("ScenarioDocsTest.java"))
                    .forEach(files::add);
        }
        final List<String> hits = new ArrayList<>();
        for (final Path f : files) {
            // ISO-8859-1 reads any bytes (the corpus holds deliberately broken files); the patterns are ASCII.
            final List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE.matcher(lines.get(i)).find()) {
                    hits.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(hits).as("citations of files a clone does not contain").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Collection<String> field(final Class<?> c, final String name) throws Exception {
        return (Collection<String>) staticField(c, name);
    }

    private static Object staticField(final Class<?> c, final String name) throws Exception {
        final Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }
}
