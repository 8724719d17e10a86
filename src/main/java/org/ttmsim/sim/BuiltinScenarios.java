package org.ttmsim.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ttmsim.hw.CostParams;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.ScenarioParser;

/**
 * The built-in scenario library: YAML files under {@code /scenarios/} on the classpath, in the order
 * of {@code /scenarios/index.txt}. Each is reported as {@code builtin:NAME.yaml}.
 */
public final class BuiltinScenarios {
    private static final String DIR = "/scenarios/";

    private BuiltinScenarios() {
    }

    /** The file names of the library, in index order. */
    public static List<String> names() {
        return indexNames(DIR);
    }

    /**
     * The file names a built-in resource directory lists in its {@code index.txt} ({@code dir} such as
     * {@code /scenarios/}), in order; blank lines and {@code #} comments skipped. Also read by the explorer's
     * built-in scopes.
     */
    public static List<String> indexNames(final String dir) {
        final List<String> names = new ArrayList<>();
        for (final String line : resource(dir, "index.txt").split("\n")) {
            final String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                names.add(t);
            }
        }
        return names;
    }

    /** Parses every built-in scenario; a broken built-in is a bug, reported with its location. */
    public static List<Scenario> all() {
        final List<Scenario> out = new ArrayList<>();
        for (final String name : names()) {
            out.add(parse(name));
        }
        return out;
    }

    /**
     * The built-in scenario with this id (its file name without {@code .yaml}, as {@code ttmsim scenarios}
     * prints it), name, file name, or {@code builtin:FILE}; null when there is none.
     */
    public static Scenario byId(final String id) {
        final String bare = id.startsWith("builtin:") ? id.substring("builtin:".length()) : id;
        for (final String name : names()) {
            if (name.equals(bare) || idOf(name).equals(bare)) {
                return parse(name);
            }
        }
        for (final Scenario s : all()) {
            if (s.name().equals(bare)) {
                return s;
            }
        }
        return null;
    }

    /** A built-in's id: its file name without {@code .yaml}. */
    public static String idOf(final String fileName) {
        return fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - ".yaml".length()) : fileName;
    }

    private static Scenario parse(final String name) {
        try {
            return parser().parse("builtin:" + name, read(name));
        } catch (final ScenarioException e) {
            throw new IllegalStateException("built-in scenario is invalid: " + e.getMessage(), e);
        }
    }

    /** A parser that knows the cost-model parameter names. */
    public static ScenarioParser parser() {
        return new ScenarioParser(CostParams.names().keySet());
    }

    private static String read(final String name) {
        return resource(DIR, name);
    }

    /** A built-in resource's text ({@code dir} such as {@code /scenarios/}); a missing one is a bug. */
    public static String resource(final String dir, final String name) {
        try (InputStream in = BuiltinScenarios.class.getResourceAsStream(dir + name)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in resource " + dir + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
