package org.ttmsim.explore;

import java.util.List;
import org.ttmsim.scenario.Scenario;

/**
 * What one {@code ttmsim explore} configuration asks (README "Exploring"): the run configuration and the scope.
 *
 * @param name     a name for reports and counterexample files (the scenario's name)
 * @param file     the file as given, or {@code builtin:NAME}
 * @param base     the configuration as a scenario: machine, device, design, kernel, inject, costs; its steps
 *                 are the fixed prefix run before every explored sequence (usually none)
 * @param hasPrefix whether {@code base.steps()} is a prefix to run (false: the file had no steps)
 * @param scope    the operations and the depth
 * @param designs  the designs to explore (the file's design when the section names none)
 * @param modes    the encryption modes to explore (the file's {@code machine.encryption} when none)
 * @param kernels  the kernel releases, or a list holding null alone for each design's own release
 */
public record ExploreConfig(String name, String file, Scenario base, boolean hasPrefix, Scope scope,
        List<String> designs, List<String> modes, List<String> kernels) {
    public ExploreConfig {
        designs = List.copyOf(designs);
        modes = List.copyOf(modes);
        kernels = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(kernels));
    }

    /** The prefix steps run before each explored sequence (none unless the file has steps). */
    public List<org.ttmsim.scenario.Step> prefix() {
        return hasPrefix ? base.steps() : List.of();
    }

    /** This configuration with other axes and depth (command-line overrides); null keeps the current value. */
    public ExploreConfig with(final List<String> designs, final List<String> modes, final List<String> kernels,
            final Integer depth) {
        return new ExploreConfig(name, file, base, hasPrefix, depth == null ? scope : scope.withDepth(depth),
                designs == null ? this.designs : designs, modes == null ? this.modes : modes,
                kernels == null ? this.kernels : kernels);
    }
}
