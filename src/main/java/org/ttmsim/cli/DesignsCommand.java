package org.ttmsim.cli;

import java.util.concurrent.Callable;
import org.ttmsim.design.Design;
import org.ttmsim.design.Designs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ttmsim designs}: the designs of docs/DESIGNS.md. */
@Command(name = "designs", mixinStandardHelpOptions = true,
        description = {"List the designs of the fault and kernel-map paths: id, what it does, where it comes from, and",
            "the kernel release it was written for (a run uses it unless kernel: or --kernel names another)."})
final class DesignsCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        final var out = spec.commandLine().getOut();
        for (final Design d : Designs.all()) {
            out.printf("%-18s %s%n%-18s   from: %s%n%-18s   own kernel: %s%n", d.id(), d.summary(), "", d.origin(), "",
                    d.ownRelease().id());
        }
        return ExitCodes.OK;
    }
}
