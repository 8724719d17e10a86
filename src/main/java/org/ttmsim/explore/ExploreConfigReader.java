package org.ttmsim.explore;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.scenario.SourcePos;
import org.ttmsim.scenario.Step;
import org.ttmsim.scenario.Vocabulary;
import org.ttmsim.sim.BuiltinScenarios;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads an explore configuration (README "Exploring"): a scenario file whose {@code steps} may be empty, with an
 * {@code explore:} section giving the scope. Every problem is a {@link ScenarioException} naming the file,
 * line and column, as for scenario files; the scenario part is read by the scenario parser itself.
 *
 * <pre>
 * explore:
 *   depth: 4                       # longest sequence, 1..16 (default 4)
 *   designs: [pre-2019, upstream-2024]   # default: the file's design
 *   modes: [sev]                   # default: the file's machine.encryption
 *   kernels: [v6.12]               # default: each design's own release
 *   max-states: 200000             # stop (not exhaustive) after this many states (default 2000000)
 *   buffers:                       # each buffer's create arguments; one create operation per buffer
 *     A: {size: 64KiB, placement: [tt]}
 *   operations:                    # steps as in steps:, any argument may be {choose: [v1, v2, ...]}
 *     - device-write: {bo: A, offset: 0, data: {fill: 0xAA, length: 4096}}
 *     - mmap: {bo: A, as: a}
 *     - cpu-read: {map: a, offset: 0, length: 16}
 *     - validate: {bo: A, placement: {choose: [[vram], [tt], [system]]}}
 * </pre>
 *
 * Without an {@code explore:} section the built-in scope of the file's driver is used.
 */
public final class ExploreConfigReader {
    private static final List<String> KEYS = List.of("depth", "designs", "modes", "kernels", "max-states", "buffers",
            "operations");
    private static final String CHOOSE = "choose";
    /** Most concrete operations one scope may expand to. */
    private static final int MAX_OPS = 256;
    /** The stand-in step that lets the scenario parser read a file with no steps (it is never run). */
    private static final String NO_STEPS = "steps: [{pool-shrink: {pages: 1}}]";

    private final ScenarioParser parser = BuiltinScenarios.parser();

    /** Reads the configuration in {@code file}; messages name it as given. */
    public ExploreConfig read(final Path file) throws ScenarioException {
        final String name = file.toString();
        try {
            return read(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (final NoSuchFileException e) {
            throw new ScenarioException(SourcePos.wholeFile(name), "no such file", e);
        } catch (final IOException e) {
            // not UTF-8, unreadable: the scenario parser says it best
            parser.parse(file);
            throw new ScenarioException(SourcePos.wholeFile(name), "cannot read the file: " + e.getMessage(), e);
        }
    }

    /** Reads a configuration from {@code text}; messages name it {@code file}. */
    public ExploreConfig read(final String file, final String text) throws ScenarioException {
        final Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (final YAMLException e) {
            parser.parse(file, text); // reports the YAML problem with its position
            throw new ScenarioException(new SourcePos(file, 1, 1), "cannot read the YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof MappingNode map)) {
            parser.parse(file, text);
            throw new ScenarioException(new SourcePos(file, 1, 1), "expected a mapping of scenario keys");
        }
        NodeTuple explore = null;
        NodeTuple steps = null;
        for (final NodeTuple t : map.getValue()) {
            final String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            if (key.equals("explore")) {
                explore = t;
            } else if (key.equals("steps")) {
                steps = t;
            }
        }
        final boolean noSteps = steps == null || steps.getValueNode() instanceof SequenceNode seq
                && seq.getValue().isEmpty() || isNull(steps.getValueNode());
        String scenarioText = explore == null ? text : blank(text, explore);
        if (noSteps) {
            scenarioText = (steps == null ? scenarioText : blank(scenarioText, steps)) + "\n" + NO_STEPS + "\n";
        }
        final Scenario base = parser.parse(file, scenarioText);
        final Located ctx = new Located(file, text);
        if (explore == null) {
            final ExploreConfig builtin = BuiltinScopes.forDriver(base.device().driver());
            return new ExploreConfig(base.name(), file, base, !noSteps, builtin.scope(), List.of(base.design()),
                    List.of(base.machine().encryption()), nullList());
        }
        return section(ctx, base, !noSteps, explore.getValueNode());
    }

    private ExploreConfig section(final Located ctx, final Scenario base, final boolean hasPrefix, final Node node)
            throws ScenarioException {
        if (!(node instanceof MappingNode m)) {
            throw ctx.fail(node, "expected the explore section as a mapping with the keys " + String.join(", ", KEYS));
        }
        final Map<String, Node> keys = new LinkedHashMap<>();
        for (final NodeTuple t : m.getValue()) {
            final String k = ctx.scalar(t.getKeyNode(), "a key");
            if (!KEYS.contains(k)) {
                throw ctx.fail(t.getKeyNode(), "unknown key '" + k + "' in explore; expected one of "
                        + String.join(", ", KEYS));
            }
            keys.put(k, t.getValueNode());
        }
        final int depth = keys.containsKey("depth") ? ctx.integer(keys.get("depth"), 1, Scope.MAX_DEPTH, "depth") : 4;
        final long maxStates = keys.containsKey("max-states")
                ? ctx.integer(keys.get("max-states"), 1, Integer.MAX_VALUE, "max-states") : Scope.DEFAULT_MAX_STATES;
        final List<String> designs = keys.containsKey("designs")
                ? ctx.words(keys.get("designs"), Vocabulary.DESIGNS, "design ids") : List.of(base.design());
        final List<String> modes = keys.containsKey("modes")
                ? ctx.words(keys.get("modes"), Vocabulary.ENCRYPTIONS, "encryption modes")
                : List.of(base.machine().encryption());
        final List<String> kernels = keys.containsKey("kernels") ? kernels(ctx, keys.get("kernels")) : nullList();
        final List<Template> templates = new ArrayList<>();
        if (keys.containsKey("buffers")) {
            buffers(ctx, keys.get("buffers"), templates);
        }
        if (!keys.containsKey("operations")) {
            throw ctx.fail(node, "expected operations: a list of steps to explore, such as [{mmap: {bo: A, as: a}}]");
        }
        operations(ctx, keys.get("operations"), templates);
        final Scope scope = new ScopeBuilder(ctx, parser, base, hasPrefix, depth, maxStates).build(templates);
        return new ExploreConfig(base.name(), ctx.file, base, hasPrefix, scope, designs, modes, kernels);
    }

    private static List<String> nullList() {
        final List<String> l = new ArrayList<>();
        l.add(null);
        return l;
    }

    private static List<String> kernels(final Located ctx, final Node node) throws ScenarioException {
        final List<String> out = new ArrayList<>();
        for (final Node n : ctx.sequence(node, "a list of kernel releases such as [v5.4, v6.12]")) {
            final String k = ctx.scalar(n, "a kernel release such as v6.12");
            try {
                out.add(org.ttmsim.release.KernelRelease.parse(k).id());
            } catch (final IllegalArgumentException e) {
                throw ctx.fail(n, e.getMessage());
            }
        }
        return out;
    }

    private static void buffers(final Located ctx, final Node node, final List<Template> out)
            throws ScenarioException {
        if (!(node instanceof MappingNode m)) {
            throw ctx.fail(node, "expected buffers as a mapping of name to create arguments, such as "
                    + "{A: {size: 64KiB, placement: [tt]}}");
        }
        for (final NodeTuple t : m.getValue()) {
            final String name = ctx.scalar(t.getKeyNode(), "a buffer name");
            if (!(t.getValueNode() instanceof MappingNode args)) {
                throw ctx.fail(t.getValueNode(), "expected the create arguments of " + name
                        + " as a mapping, such as {size: 64KiB, placement: [tt]}");
            }
            final List<Arg> list = new ArrayList<>();
            list.add(new Arg("bo", List.of(new Choice(StepYaml.word(name), t.getKeyNode()))));
            args(ctx, args, list);
            out.add(new Template("create", list, t.getKeyNode()));
        }
    }

    private static void operations(final Located ctx, final Node node, final List<Template> out)
            throws ScenarioException {
        for (final Node item : ctx.sequence(node, "a list of steps such as [{mmap: {bo: A, as: a}}]")) {
            if (!(item instanceof MappingNode m) || m.getValue().size() != 1) {
                throw ctx.fail(item, "expected one operation, such as {cpu-read: {map: a, offset: 0, length: 16}}");
            }
            final NodeTuple t = m.getValue().get(0);
            final String op = ctx.scalar(t.getKeyNode(), "an operation");
            final List<Arg> list = new ArrayList<>();
            if (t.getValueNode() instanceof MappingNode args) {
                args(ctx, args, list);
            } else if (!isNull(t.getValueNode())) {
                throw ctx.fail(t.getValueNode(), "expected the arguments of " + op + " as a mapping");
            }
            out.add(new Template(op, list, item));
        }
    }

    private static void args(final Located ctx, final MappingNode args, final List<Arg> out) throws ScenarioException {
        for (final NodeTuple a : args.getValue()) {
            final String key = ctx.scalar(a.getKeyNode(), "an argument name");
            final Node v = a.getValueNode();
            final List<Choice> choices = new ArrayList<>();
            if (v instanceof MappingNode vm && vm.getValue().size() == 1
                    && vm.getValue().get(0).getKeyNode() instanceof ScalarNode k && k.getValue().equals(CHOOSE)) {
                final Node alternatives = vm.getValue().get(0).getValueNode();
                for (final Node alt : ctx.sequence(alternatives, "a non-empty list of values to choose from")) {
                    choices.add(new Choice(ctx.flow(alt), alt));
                }
                if (choices.isEmpty()) {
                    throw ctx.fail(alternatives, "expected at least one value to choose from");
                }
            } else {
                choices.add(new Choice(ctx.flow(v), v));
            }
            out.add(new Arg(key, choices));
        }
    }

    private static boolean isNull(final Node n) {
        return n instanceof ScalarNode s && (s.getValue().isEmpty() || s.getValue().equals("null")
                || s.getValue().equals("~")) && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
    }

    /** The text with the key and value of {@code t} replaced by spaces (lines and columns elsewhere unchanged). */
    private static String blank(final String text, final NodeTuple t) {
        final int from = charIndex(text, t.getKeyNode().getStartMark());
        final int to = charIndex(text, t.getValueNode().getEndMark());
        final StringBuilder sb = new StringBuilder(text);
        for (int i = from; i < to && i < sb.length(); i++) {
            if (sb.charAt(i) != '\n' && sb.charAt(i) != '\r') {
                sb.setCharAt(i, ' ');
            }
        }
        return sb.toString();
    }

    static int charIndex(final String text, final Mark mark) {
        return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    }

    /** One argument of an operation template with its choices. */
    record Arg(String key, List<Choice> choices) {
    }

    /** One value an argument may take: its YAML text in flow style, and where it was written. */
    record Choice(String yaml, Node node) {
    }

    /** One operation as written: its key, arguments and where. */
    record Template(String op, List<Arg> args, Node node) {
    }

    /** Positions and typed reads of the configuration's nodes, each failing with file:line:col. */
    static final class Located {
        final String file;
        final String text;

        Located(final String file, final String text) {
            this.file = file;
            this.text = text;
        }

        SourcePos pos(final Node n) {
            return new SourcePos(file, n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1);
        }

        ScenarioException fail(final Node n, final String message) {
            return new ScenarioException(pos(n), message);
        }

        String scalar(final Node n, final String what) throws ScenarioException {
            if (!(n instanceof ScalarNode s)) {
                throw fail(n, "expected " + what);
            }
            return s.getValue();
        }

        int integer(final Node n, final long min, final long max, final String what) throws ScenarioException {
            final String v = scalar(n, what + " as a whole number");
            try {
                final long x = Long.parseLong(v.replace("_", ""));
                if (x < min || x > max) {
                    throw fail(n, "expected " + what + " from " + min + " to " + max + ", got " + v);
                }
                return (int) x;
            } catch (final NumberFormatException e) {
                throw fail(n, "expected " + what + " as a whole number, got '" + v + "'");
            }
        }

        List<Node> sequence(final Node n, final String what) throws ScenarioException {
            if (!(n instanceof SequenceNode s)) {
                throw fail(n, "expected " + what);
            }
            return s.getValue();
        }

        List<String> words(final Node n, final List<String> allowed, final String what) throws ScenarioException {
            final List<String> out = new ArrayList<>();
            for (final Node item : sequence(n, "a list of " + what)) {
                final String w = scalar(item, "one of " + String.join(", ", allowed));
                if (!allowed.contains(w)) {
                    throw fail(item, "unknown " + what.replaceAll("s$", "").replace("ids", "id") + " '" + w
                            + "'; expected one of " + String.join(", ", allowed));
                }
                if (!out.contains(w)) {
                    out.add(w);
                }
            }
            if (out.isEmpty()) {
                throw fail(n, "expected at least one of " + String.join(", ", allowed));
            }
            return out;
        }

        /** The value's text as it will sit in a flow mapping: its source if on one line, else re-emitted. */
        String flow(final Node n) {
            final int from = charIndex(text, n.getStartMark());
            final int to = charIndex(text, n.getEndMark());
            final String slice = text.substring(from, Math.min(to, text.length())).strip();
            if (!slice.contains("\n") && !slice.isEmpty()) {
                return slice.replaceAll("\\s+#.*$", "");
            }
            final org.yaml.snakeyaml.DumperOptions o = new org.yaml.snakeyaml.DumperOptions();
            o.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW);
            o.setWidth(Integer.MAX_VALUE);
            final java.io.StringWriter w = new java.io.StringWriter();
            new Yaml(o).serialize(n, w);
            return w.toString().strip();
        }
    }

    /** Expands templates into concrete operations and reads each through the scenario parser. */
    private static final class ScopeBuilder {
        private final Located ctx;
        private final ScenarioParser parser;
        private final Scenario base;
        private final boolean hasPrefix;
        private final int depth;
        private final long maxStates;

        ScopeBuilder(final Located ctx, final ScenarioParser parser, final Scenario base, final boolean hasPrefix,
                final int depth, final long maxStates) {
            this.ctx = ctx;
            this.parser = parser;
            this.base = base;
            this.hasPrefix = hasPrefix;
            this.depth = depth;
            this.maxStates = maxStates;
        }

        Scope build(final List<Template> templates) throws ScenarioException {
            final List<Concrete> concrete = new ArrayList<>();
            for (final Template t : templates) {
                expand(t, 0, new ArrayList<>(), concrete);
            }
            // Names: buffers and mappings the prefix and the operations define, in order of first definition.
            final List<String> names = new ArrayList<>();
            for (final Step s : hasPrefix ? base.steps() : List.<Step>of()) {
                define(s, names);
            }
            final List<Step> parsed = new ArrayList<>();
            for (final Concrete c : concrete) {
                final Step s = parseAlone(c, concrete);
                parsed.add(s);
                define(s, names);
            }
            final List<Scope.Op> ops = new ArrayList<>();
            final Scope names0 = new Scope(List.of(), names, depth, maxStates);
            for (int i = 0; i < parsed.size(); i++) {
                final Step s = parsed.get(i);
                ops.add(new Scope.Op(i, s, StepYaml.step(s), ctx.pos(concrete.get(i).where), uses(s, names0),
                        definesBit(s, names0)));
            }
            return new Scope(ops, names, depth, maxStates);
        }

        private void expand(final Template t, final int arg, final List<Choice> picked, final List<Concrete> out)
                throws ScenarioException {
            if (arg == t.args().size()) {
                final List<String> parts = new ArrayList<>();
                Node where = t.node();
                for (int i = 0; i < picked.size(); i++) {
                    parts.add(t.args().get(i).key() + ": " + picked.get(i).yaml());
                    if (t.args().get(i).choices().size() > 1) {
                        where = picked.get(i).node();
                    }
                }
                if (out.size() >= MAX_OPS) {
                    throw ctx.fail(t.node(), "the scope expands to more than " + MAX_OPS + " operations; choose fewer");
                }
                out.add(new Concrete(t.op() + ": {" + String.join(", ", parts) + "}", where));
                return;
            }
            for (final Choice c : t.args().get(arg).choices()) {
                picked.add(c);
                expand(t, arg + 1, picked, out);
                picked.remove(picked.size() - 1);
            }
        }

        /**
         * The operation read by the scenario parser in a scenario of its own: the prefix, the create of the
         * buffer it names and the mmap of the mapping it names (from the scope), then the operation.
         */
        private Step parseAlone(final Concrete c, final List<Concrete> all) throws ScenarioException {
            final StringBuilder sb = new StringBuilder();
            sb.append("name: explore-operation\n").append(StepYaml.configuration(base, base.design(),
                    base.machine().encryption(), base.kernel()));
            sb.append("steps:\n");
            final List<Step> prefix = hasPrefix ? base.steps() : List.of();
            for (final Step s : prefix) {
                sb.append("  - ").append(StepYaml.step(s)).append('\n');
            }
            final String alloc = argument(c.yaml, "alloc");
            if (alloc != null && !prefixDefines(prefix, alloc)) {
                final Concrete pageAlloc = find(all, "page-alloc", "as", alloc);
                if (pageAlloc == null) {
                    throw ctx.fail(c.where, "the allocation '" + alloc + "' is made by no page-alloc of the scope (add "
                            + "{page-alloc: {as: " + alloc + ", pages: 1}} to operations)");
                }
                sb.append("  - ").append(pageAlloc.yaml).append('\n');
            }
            final String map = argument(c.yaml, "map");
            String bo = argument(c.yaml, "bo");
            if (map != null && !prefixDefines(prefix, map)) {
                final Concrete mmap = find(all, "mmap", "as", map);
                if (mmap == null) {
                    throw ctx.fail(c.where, "the mapping '" + map + "' is made by no mmap of the scope (add "
                            + "{mmap: {bo: A, as: " + map + "}} to operations)");
                }
                sb.append("  - ").append(mmap.yaml).append('\n');
                bo = argument(mmap.yaml, "bo");
            }
            if (bo != null && !c.yaml.startsWith("create:") && !prefixDefines(prefix, bo)) {
                final Concrete create = find(all, "create", "bo", bo);
                if (create == null) {
                    throw ctx.fail(c.where, "the buffer '" + bo + "' is created by nothing in the scope (add it to "
                            + "explore.buffers)");
                }
                sb.insert(sb.indexOf("steps:\n") + "steps:\n".length() + prefixLength(prefix),
                        "  - " + create.yaml + "\n");
            }
            sb.append("  - ").append(c.yaml).append('\n');
            final Scenario s;
            try {
                s = parser.parse(ctx.file, sb.toString());
            } catch (final ScenarioException e) {
                // The problem without its path in the stand-in scenario (steps[3].): the position says where.
                final String problem = e.problem().replaceFirst("^steps\\[\\d+\\]\\.", "");
                throw ctx.fail(c.where, "in " + c.yaml + ": " + fileLines(problem, sb.toString(), prefix, all));
            }
            return Scope.withIndex(s.steps().get(s.steps().size() - 1), 1);
        }

        /**
         * {@code problem} with each "line N" of the stand-in scenario (a step the problem refers to, such as
         * the create that already made a buffer) replaced by that step's line in the scope's own file.
         */
        private String fileLines(final String problem, final String standIn, final List<Step> prefix,
                final List<Concrete> all) {
            final String[] lines = standIn.split("\n", -1);
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+)").matcher(problem);
            final StringBuilder out = new StringBuilder();
            while (m.find()) {
                final int n = Integer.parseInt(m.group(1));
                final String text = n >= 1 && n <= lines.length ? lines[n - 1] : "";
                m.appendReplacement(out, "line " + fileLine(text, prefix, all, n));
            }
            m.appendTail(out);
            return out.toString();
        }

        /** The scope file's line of the stand-in's step line {@code text}; {@code fallback} if it is none. */
        private int fileLine(final String text, final List<Step> prefix, final List<Concrete> all, final int fallback) {
            for (final Step s : prefix) {
                if (text.equals("  - " + StepYaml.step(s))) {
                    return s.meta().pos().line();
                }
            }
            for (final Concrete c : all) {
                if (text.equals("  - " + c.yaml)) {
                    return ctx.pos(c.where).line();
                }
            }
            return fallback;
        }

        private static int prefixLength(final List<Step> prefix) {
            int n = 0;
            for (final Step s : prefix) {
                n += ("  - " + StepYaml.step(s) + "\n").length();
            }
            return n;
        }

        private static boolean prefixDefines(final List<Step> prefix, final String name) {
            for (final Step s : prefix) {
                if (s instanceof Step.Create c && c.bo().equals(name) || s instanceof Step.Mmap m && m.as().equals(name)
                        || s instanceof Step.PageAlloc p && p.alloc().equals(name)) {
                    return true;
                }
            }
            return false;
        }

        private static Concrete find(final List<Concrete> all, final String op, final String key, final String value) {
            for (final Concrete c : all) {
                if (c.yaml.startsWith(op + ":") && value.equals(argument(c.yaml, key))) {
                    return c;
                }
            }
            return null;
        }

        /** A plain argument's value in a concrete operation's flow text (names are plain words). */
        private static String argument(final String yaml, final String key) {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("[{,]\\s*" + key
                    + ":\\s*\"?([^,}\"]+)\"?").matcher(yaml);
            return m.find() ? m.group(1).strip() : null;
        }

        private static void define(final Step s, final List<String> names) {
            final List<String> mentioned = new ArrayList<>();
            if (s instanceof Step.OnBo b) {
                mentioned.add(b.bo());
            }
            if (s instanceof Step.OnMap m) {
                mentioned.add(m.map());
            }
            if (s instanceof Step.Mmap m) {
                mentioned.add(m.as());
            }
            if (s instanceof Step.OnPages p) {
                mentioned.add(p.alloc());
            }
            if (s instanceof Step.PageAlloc p) {
                mentioned.add(p.alloc());
            }
            for (final String n : mentioned) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }

        private static long uses(final Step s, final Scope scope) {
            if (s instanceof Step.Create) {
                return 0;
            }
            long bits = 0;
            if (s instanceof Step.OnBo b) {
                bits |= scope.bit(b.bo());
            }
            if (s instanceof Step.OnMap m) {
                bits |= scope.bit(m.map());
            }
            if (s instanceof Step.OnPages p && !(s instanceof Step.PageAlloc)) {
                bits |= scope.bit(p.alloc());
            }
            return bits;
        }

        private static long definesBit(final Step s, final Scope scope) {
            if (s instanceof Step.Create c) {
                return scope.bit(c.bo());
            }
            if (s instanceof Step.PageAlloc p) {
                return scope.bit(p.alloc());
            }
            return s instanceof Step.Mmap m ? scope.bit(m.as()) : 0;
        }
    }

    /** One concrete operation before parsing: its flow text and where it was written. */
    private record Concrete(String yaml, Node where) {
    }
}
