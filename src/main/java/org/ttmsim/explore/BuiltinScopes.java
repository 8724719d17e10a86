package org.ttmsim.explore;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.sim.BuiltinScenarios;

/**
 * The built-in explore scopes, one per driver, shipped in {@code src/main/resources/explore/} and listed in
 * its {@code index.txt}: what {@code ttmsim explore} runs without a file, and the scope a file without an
 * {@code explore:} section gets for its driver.
 */
public final class BuiltinScopes {
    private static final String DIR = "/explore/";

    private BuiltinScopes() {
    }

    /** The file names, in index order. */
    public static List<String> names() {
        return BuiltinScenarios.indexNames(DIR);
    }

    /** Every built-in scope, named {@code builtin:FILE}. */
    public static List<ExploreConfig> all() {
        final List<ExploreConfig> out = new ArrayList<>();
        for (final String n : names()) {
            out.add(byName(n));
        }
        return out;
    }

    /** The built-in scope in {@code FILE} ({@code vmwgfx.yaml}, {@code vmwgfx} or {@code builtin:vmwgfx}), or null. */
    public static ExploreConfig byName(final String name) {
        String bare = name.startsWith("builtin:") ? name.substring("builtin:".length()) : name;
        bare = bare.endsWith(".yaml") ? bare : bare + ".yaml";
        if (!names().contains(bare)) {
            return null;
        }
        try {
            return new ExploreConfigReader().read("builtin:" + bare.replace(".yaml", ""), read(bare));
        } catch (final ScenarioException e) {
            throw new IllegalStateException("a built-in explore scope is broken: " + e.getMessage(), e);
        }
    }

    /** The text of the built-in scope {@code name} (as {@link #byName} takes it), or null when there is none. */
    public static String text(final String name) {
        String bare = name.startsWith("builtin:") ? name.substring("builtin:".length()) : name;
        bare = bare.endsWith(".yaml") ? bare : bare + ".yaml";
        return names().contains(bare) ? read(bare) : null;
    }

    /** The built-in scope of a driver ({@code generic}, {@code vmwgfx}, {@code amdgpu}). */
    static ExploreConfig forDriver(final String driver) {
        final ExploreConfig c = byName(driver);
        if (c == null) {
            throw new IllegalArgumentException("no built-in explore scope for driver " + driver);
        }
        return c;
    }

    private static String read(final String name) {
        return BuiltinScenarios.resource(DIR, name);
    }
}
