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
            final String d = s.description() == null ? "" : s.description().strip().split("\n")[0];
            out.printf("%-44s %s%n", s.name(), d);
        }
        return ExitCodes.OK;
    }
}
