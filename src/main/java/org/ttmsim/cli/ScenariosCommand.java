package org.ttmsim.cli;

import java.util.concurrent.Callable;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.BuiltinScenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ttmsim scenarios}: the built-in library. */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        header = "List the built-in scenarios: id and one line.",
        description = {"Run one by its id:  ttmsim run 01-sev-device-writes-user-reads --trace"})
final class ScenariosCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        final var out = spec.commandLine().getOut();
        final java.util.List<String> names = BuiltinScenarios.names();
        final java.util.List<Scenario> all = BuiltinScenarios.all();
        for (int i = 0; i < all.size(); i++) {
            out.printf("%-40s %s%n", BuiltinScenarios.idOf(names.get(i)), firstSentence(all.get(i).description()));
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
