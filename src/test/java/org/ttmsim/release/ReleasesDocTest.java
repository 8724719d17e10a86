package org.ttmsim.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/RELEASES.md documents the release table and cannot drift from it: a {@code ### NAME} section for
 * every {@link Change} constant, in the enum's order, each naming the row's release (and its hash when
 * the table has one).
 */
class ReleasesDocTest {
    private static final Path RELEASES_MD = Path.of("docs", "RELEASES.md");
    /** A section heading that names a row: {@code ### NAME} or {@code ### NAME (v5.7)}. */
    private static final Pattern ROW_HEADING = Pattern.compile("(?m)^### ([A-Z][A-Z0-9_]*)(?=\\s|$)");

    @Test
    void shouldHaveASectionPerChangeInTableOrder() throws IOException {
        final String doc = Files.readString(RELEASES_MD, StandardCharsets.UTF_8);
        final List<String> headings = new ArrayList<>();
        final Matcher m = ROW_HEADING.matcher(doc);
        while (m.find()) {
            headings.add(m.group(1));
        }

        assertThat(headings).as("the ### NAME headings of docs/RELEASES.md, against Change.values()")
                .containsExactlyElementsOf(Arrays.stream(Change.values()).map(Change::name).toList());
    }

    @Test
    void shouldNameEachRowsReleaseAndHashInItsSection() throws IOException {
        final String doc = Files.readString(RELEASES_MD, StandardCharsets.UTF_8);

        for (final Change c : Change.values()) {
            final String section = section(doc, c);
            assertThat(section).as("docs/RELEASES.md, section %s", c.name())
                    .containsPattern("(?<![\\w.])" + Pattern.quote(c.since().id()) + "(?![\\w.])");
            if (!c.commit().isEmpty()) {
                assertThat(section).as("docs/RELEASES.md, section %s names the commit", c.name())
                        .contains(c.commit());
            }
        }
    }

    @Test
    void shouldHeadEachSectionWithItsRelease() throws IOException {
        final String doc = Files.readString(RELEASES_MD, StandardCharsets.UTF_8);

        for (final Change c : Change.values()) {
            assertThat(doc).as("docs/RELEASES.md heads %s with its release", c.name())
                    .containsPattern("(?m)^### " + c.name() + " \\(" + Pattern.quote(c.since().id()) + "\\)$");
        }
    }

    /** From the row's heading to the next heading of level 2 or 3 (or the end). */
    private static String section(final String doc, final Change c) {
        final Matcher start = Pattern.compile("(?m)^### " + c.name() + "(?=\\s|$)").matcher(doc);
        assertThat(start.find()).as("docs/RELEASES.md has a section ### %s", c.name()).isTrue();
        final Matcher end = Pattern.compile("(?m)^#{2,3} ").matcher(doc);
        final int to = end.find(start.end()) ? end.start() : doc.length();
        return doc.substring(start.start(), to);
    }
}
