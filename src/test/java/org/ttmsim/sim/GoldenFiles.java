package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Golden files under {@code src/test/resources/}: compared line by line; rewritten instead when the
 * build runs with {@code -Dttmsim.golden.update=true} (then the diff shows in git, and the commit
 * message says why each line moved).
 */
final class GoldenFiles {
    static final String UPDATE_PROPERTY = "ttmsim.golden.update";
    private static final int SHOWN = 40;

    private GoldenFiles() {
    }

    /** Fails listing every line that differs (removed with '-', added with '+'), unless updating. */
    static void assertMatches(final String resource, final String actual) {
        final Path file = Path.of("src/test/resources").resolve(resource);
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                fail("golden file %s is missing; create it with -D%s=true", file, UPDATE_PROPERTY);
            }
            final String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                fail("%s differs from this run (- golden, + now); if the change is intended, rerun with -D%s=true"
                        + " and say in the commit why each cell moved:%n%s", file, UPDATE_PROPERTY,
                        diff(expected, actual));
            }
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The lines only in one side, in order, at most {@link #SHOWN} of them. */
    static String diff(final String expected, final String actual) {
        final List<String> e = expected.lines().toList();
        final List<String> a = actual.lines().toList();
        final Set<String> inE = new LinkedHashSet<>(e);
        final Set<String> inA = new LinkedHashSet<>(a);
        final List<String> out = new ArrayList<>();
        e.stream().filter(l -> !inA.contains(l)).forEach(l -> out.add("- " + l));
        a.stream().filter(l -> !inE.contains(l)).forEach(l -> out.add("+ " + l));
        if (out.isEmpty()) {
            out.add("(same lines in another order)");
        }
        final int n = out.size();
        return String.join("\n", out.subList(0, Math.min(n, SHOWN)))
                + (n > SHOWN ? "\n... and " + (n - SHOWN) + " more" : "");
    }
}
