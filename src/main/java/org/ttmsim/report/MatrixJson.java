package org.ttmsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;

/**
 * The machine-readable matrix: the designs, kernels (empty: each design on its own release), modes and
 * scenarios, the verdict summary ({@link MatrixSummary#toNode}), then one cell per run in report order
 * (scenario, mode, design, kernel), each holding its cell text, the {@code note} of the {@code expect.cases}
 * entry that covered it (when one did) and the result object (docs/SCENARIOS.md, "Results").
 */
public final class MatrixJson {
    private MatrixJson() {
    }

    public static ObjectNode toNode(final List<RunResult> results, final Matrix.Axes axes) {
        final ObjectNode root = ResultJson.mapper().createObjectNode();
        root.set("designs", ResultJson.mapper().valueToTree(axes.designs()));
        root.set("kernels", ResultJson.mapper().valueToTree(axes.kernels()));
        root.set("modes", ResultJson.mapper().valueToTree(axes.modes()));
        final ArrayNode scenarios = root.putArray("scenarios");
        final int per = axes.cellsPerScenario();
        for (int i = 0; i < results.size(); i += per) {
            scenarios.add(results.get(i).scenario());
        }
        root.set("summary", MatrixSummary.of(results, axes).toNode());
        final MatrixTotals t = MatrixTotals.of(results);
        final ObjectNode totals = root.putObject("totals"); // what the exit status counts (docs/SCENARIOS.md)
        totals.put("runs", t.runs());
        totals.put("pass", t.pass());
        totals.put("fail", t.fail());
        totals.put("errors", t.errors());
        totals.put("not_applicable", t.notApplicable());
        totals.put("exit_status", t.exitStatus());
        final ArrayNode cells = root.putArray("cells");
        for (final RunResult r : results) {
            final ObjectNode c = cells.addObject();
            c.put("scenario", r.scenario());
            c.put("design", r.design());
            c.put("mode", r.mode());
            c.put("kernel", r.kernel());
            c.put("cell", MatrixTable.cellText(r));
            if (r.note() != null) {
                c.put("note", r.note());
            }
            c.set("result", ResultJson.toNode(r));
        }
        return root;
    }

    public static String render(final List<RunResult> results, final Matrix.Axes axes) {
        try {
            return ResultJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(toNode(results, axes)) + "\n";
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
