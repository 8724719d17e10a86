package org.ttmsim.cli;

import java.util.concurrent.Callable;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.BuiltinScenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ttmsim scenarios}: the built-in library. */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "List the built-in scenarios (reference/thread-and-kernel.md §6): id and one line.")
final class ScenariosCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        final var out = spec.commandLine().getOut();
        for (final Scenario s : BuiltinScenarios.all()) {
            out.printf("%-36s %s%n", s.name(), firstSentence(s.description()));
        }
        return ExitCodes.OK;
    }

    /** The description's first sentence, on one line. */
    static String firstSentence(final String description) {
        if (description == null) {
            return "";
        }
        final String flat = description.strip().replaceAll("\\s+", " ");
        final int end = flat.indexOf(". ");
        return end < 0 ? flat : flat.substring(0, end + 1);
    }
}
