package org.ttmsim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ttmsim.check.Violation;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.StepResult;

/**
 * The result object of docs/SCENARIOS.md "Results", key for key and in its order; added keys ({@code error}, {@code failures},
 * {@code note}, violations' {@code evidence}, steps' {@code expected} and {@code detail}) come after the
 * original ones.
 */
public final class ResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** One line of JSON Lines. */
    public static String line(final RunResult r) {
        return line(r, false);
    }

    /** One line of JSON Lines, with the run's event trace as {@code "trace"} when {@code trace}. */
    public static String line(final RunResult r, final boolean trace) {
        final ObjectNode o = toNode(r);
        if (trace) {
            o.set("trace", MAPPER.valueToTree(r.trace()));
        }
        try {
            return MAPPER.writeValueAsString(o);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode toNode(final RunResult r) {
        final ObjectNode o = MAPPER.createObjectNode();
        o.put("scenario", r.scenario());
        o.put("file", r.file());
        o.put("design", r.design());
        o.put("mode", r.mode());
        o.put("kernel", r.kernel());
        o.put("verdict", r.verdict());
        o.set("violations", violations(r.violations()));
        o.set("steps", steps(r.steps()));
        o.set("state", MAPPER.valueToTree(r.state()));
        o.set("costs", MAPPER.valueToTree(r.costs()));
        if (r.error() != null) {
            o.put("error", r.error());
        }
        if (!r.failures().isEmpty()) {
            o.set("failures", MAPPER.valueToTree(r.failures()));
        }
        if (r.note() != null) {
            o.put("note", r.note());
        }
        return o;
    }

    private static ArrayNode violations(final List<Violation> vs) {
        final ArrayNode a = MAPPER.createArrayNode();
        for (final Violation v : vs) {
            final ObjectNode n = a.addObject();
            n.put("invariant", v.invariant().id());
            n.put("step", v.step());
            n.put("message", v.message());
            n.set("evidence", MAPPER.valueToTree(v.evidence()));
        }
        return a;
    }

    private static ArrayNode steps(final List<StepResult> steps) {
        final ArrayNode a = MAPPER.createArrayNode();
        for (final StepResult s : steps) {
            final ObjectNode n = a.addObject();
            n.put("index", s.index());
            n.put("op", s.op());
            n.put("result", s.result());
            if (s.source() != null) {
                n.put("source", s.source());
            }
            if (s.data() != null) {
                final ObjectNode d = n.putObject("data").put("hex", HexFormat.of().formatHex(s.data()));
                if (s.truncated()) {
                    d.put("length", s.dataLength()).put("truncated", true);
                }
            }
            if (s.held() != null) {
                n.put("held", s.held());
            }
            if (s.expected() != null) {
                n.put("expected", s.expected());
            }
            if (s.detail() != null && !s.detail().isEmpty()) {
                n.put("detail", s.detail());
            }
        }
        return a;
    }

    /** Used by reports that need plain maps. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(final RunResult r) {
        return MAPPER.convertValue(toNode(r), Map.class);
    }
}
