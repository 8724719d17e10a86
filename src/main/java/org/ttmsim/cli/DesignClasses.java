package org.ttmsim.cli;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.design.Designs;
import picocli.CommandLine.Option;

/**
 * {@code --design-class FQCN[,FQCN...]}: users' own designs by class name (docs/API.md), loaded into the design
 * registry before the command reads its files, so that scenario files, {@code --design(s)} and the
 * matrix's rows may name them. Designs listed in {@code META-INF/services/org.ttmsim.design.Design} on the
 * class path need no option: the registry finds them.
 */
final class DesignClasses {
    @Option(names = "--design-class", split = ",", paramLabel = "FQCN",
            description = "Load a design of your own: a public class implementing org.ttmsim.design.Design with a"
                    + " public no-argument constructor, on the class path (the launcher adds TTMSIM_CLASSPATH). It"
                    + " runs under its own id like a built-in one. Repeatable, or comma-separated.")
    private List<String> classes = new ArrayList<>();

    /** Loads every class named; returns an error message (exit 2), or null when all loaded. */
    String load() {
        for (final String c : classes) {
            try {
                Designs.load(c);
            } catch (final IllegalArgumentException e) {
                return "--design-class " + c + ": " + e.getMessage();
            }
        }
        return null;
    }
}
