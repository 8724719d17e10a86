package org.ttmsim.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ttmsim.release.Change;
import org.ttmsim.release.Releases;
import org.ttmsim.report.ResultJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ttmsim kernels [--json]}: the releases the model knows and what changed in each (docs/SCENARIOS.md, "design and kernel"). */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        header = "List the kernel releases and the behaviour changes each brought, with commits.",
        description = {"List the kernel releases the model knows and, per release, each behaviour that changed in it",
            "with the commit that brought it ",
            "",
            "A run uses the release named by --kernel, else the file's kernel:, else its design's own release",
            "(`ttmsim designs`), and behaves as every change at or before it. Confidence: H the code was read on",
            "both sides and a source names the release; M the release is inferred from merge windows; L inferred.",
            "Example:  ttmsim run my.yaml --design mmap-time --kernel v5.6"})
final class KernelsCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the table as one JSON object.")
    private boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            try {
                out.println(ResultJson.mapper().writeValueAsString(tableNode()));
            } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return ExitCodes.OK;
        }
        out.printf("%d releases, %s (%s) to %s (%s); %d behaviours that changed:%n%n", Releases.all().size(),
                Releases.oldest().id(), Releases.all().get(0).date(), Releases.newest().id(),
                Releases.all().get(Releases.all().size() - 1).date(), Change.values().length);
        for (final Releases.Known k : Releases.all()) {
            final List<Change> changes = Releases.changesIn(k.release());
            if (changes.isEmpty()) {
                continue;
            }
            out.printf("%s (%s)%n", k.release().id(), k.date());
            for (final Change c : changes) {
                out.printf("  %-40s %s %s [%s]%n", c.id(), c.commit().isEmpty() ? "(hash not identified)" : c.commit(),
                        c.title(), c.confidence());
                out.printf("      %s%n      before: %s%n      after:  %s%n", c.where(), c.before(), c.after());
                if (!c.note().isEmpty()) {
                    out.printf("      note:   %s%n", c.note());
                }
            }
            out.println();
        }
        out.println("Releases without a row behave as the newest row before them.");
        return ExitCodes.OK;
    }

    /** {@code {"releases": [{"release", "date", "changes": [...]}], "changes": [...]}}. */
    static ObjectNode tableNode() {
        final ObjectNode root = ResultJson.mapper().createObjectNode();
        final ArrayNode releases = root.putArray("releases");
        for (final Releases.Known k : Releases.all()) {
            final ObjectNode r = releases.addObject();
            r.put("release", k.release().id());
            r.put("date", k.date());
            final ArrayNode ids = r.putArray("changes");
            Releases.changesIn(k.release()).forEach(c -> ids.add(c.id()));
        }
        final ArrayNode changes = root.putArray("changes");
        for (final Change c : Change.values()) {
            final ObjectNode n = changes.addObject();
            n.put("id", c.id());
            n.put("since", c.since().id());
            n.put("commit", c.commit());
            n.put("title", c.title());
            n.put("where", c.where());
            n.put("before", c.before());
            n.put("after", c.after());
            n.put("confidence", c.confidence());
            n.put("note", c.note());
        }
        return root;
    }
}
