package org.ttmsim.cli;

import java.util.concurrent.Callable;
import org.ttmsim.design.Design;
import org.ttmsim.design.Designs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ttmsim designs}: the ten designs of docs/DESIGNS.md, {@code stock}, then users' own. */
@Command(name = "designs", mixinStandardHelpOptions = true,
        header = "List the designs: id, what each changes, its source and its own kernel release.",
        description = {"List the designs of the fault and kernel-map paths: id, what it does, where it comes from, and",
            "the kernel release it was written for (a run uses it unless kernel: or --kernel names another).",
            "Designs of your own follow the built-in ones, with the class that provides them: those listed in",
            "META-INF/services/org.ttmsim.design.Design of a jar on the class path",
            "(TTMSIM_CLASSPATH=my.jar ttmsim designs), and those named with --design-class."})
final class DesignsCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private DesignClasses designClasses = new DesignClasses();

    @Override
    public Integer call() {
        final var out = spec.commandLine().getOut();
        final String empty = Overrides.checkNoEmptyItems(spec);
        final String bad = empty != null ? empty : designClasses.load();
        if (bad != null) {
            spec.commandLine().getErr().println("error: " + bad);
            return ExitCodes.BAD_INPUT;
        }
        for (final Design d : Designs.all()) {
            out.printf("%-18s %s%n%-18s   from: %s%n%-18s   own kernel: %s%n", d.id(), d.summary(), "", d.origin(), "",
                    d.ownRelease().id());
            if (!Designs.builtIn(d)) {
                out.printf("%-18s   provided by: %s%n", "", Designs.source(d));
            }
        }
        return ExitCodes.OK;
    }
}
