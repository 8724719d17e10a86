package org.ttmsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node with its path in the scenario ({@code steps[3].create.size}, list indexes 1-based) and
 * its position; the one place that words "expected …, found …" messages.
 */
final class Located {

    private static final int SHOWN_CHARS = 60;

    private final Node node;
    private final String path;
    private final SourcePos pos;

    Located(final Node node, final String path, final String file) {
        this.node = node;
        this.path = path;
        this.pos = YamlSource.pos(file, node.getStartMark());
    }

    String path() {
        return path;
    }

    /** The YAML node itself: the same object each time a repeated block is read. */
    Node node() {
        return node;
    }

    SourcePos pos() {
        return pos;
    }

    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    /** A scalar written without quotes ({@code 47}, not {@code "47"}). */
    boolean isPlain() {
        return node instanceof ScalarNode s && s.isPlain();
    }

    /** A plain {@code ~}, {@code null} or nothing at all. */
    boolean isNull() {
        return isPlain() && Tag.NULL.equals(node.getTag());
    }

    /** An unquoted boolean: {@code true}, {@code false} and YAML 1.1's other spellings. */
    boolean isBool() {
        return isPlain() && Tag.BOOL.equals(node.getTag());
    }

    /** True when YAML reads this scalar as a string (not a number, boolean or null). */
    boolean isString() {
        return isScalar() && Tag.STR.equals(node.getTag());
    }

    /** The scalar's text; call only when {@link #isScalar()}. */
    String text() {
        return ((ScalarNode) node).getValue();
    }

    /** How a message shows this value: {@code "1000"}, {@code the string "47"}, {@code a mapping}… */
    String describe() {
        if (node instanceof MappingNode mapping) {
            return mapping.getValue().isEmpty() ? "an empty mapping" : "a mapping";
        }
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue().isEmpty() ? "an empty list" : "a list";
        }
        if (isNull()) {
            return text().isEmpty() ? "nothing" : "null";
        }
        return quote(text());
    }

    /** Like {@link #describe()}, but names what YAML made of an unquoted scalar: "the number 42". */
    String describeTyped() {
        if (!isPlain() || isNull()) {
            return describe();
        }
        if (Tag.INT.equals(node.getTag()) || Tag.FLOAT.equals(node.getTag())) {
            return "the number " + text();
        }
        return Tag.BOOL.equals(node.getTag()) ? "the boolean " + text() : describe();
    }

    /** Like {@link #describe()}, but says "the string" for a quoted scalar where a number was due. */
    String describeAsNonString() {
        return isScalar() && !isPlain() ? "the string " + describe() : describe();
    }

    /** {@code PATH: message} at this value. */
    ScenarioException fail(final String message) {
        return new ScenarioException(pos, path.isEmpty() ? message : path + ": " + message);
    }

    /** {@code PATH: expected EXPECTED, found DESCRIPTION} at this value. */
    ScenarioException expected(final String expected) {
        return fail("expected " + expected + ", found " + describe());
    }

    /** The mapping, with duplicate and non-scalar keys rejected. */
    YamlMap asMap(final String expected) throws ScenarioException {
        if (!(node instanceof MappingNode mapping)) {
            throw expected(expected);
        }
        final Map<String, Located[]> entries = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue()) {
            final Located key = new Located(tuple.getKeyNode(), path, pos.file());
            if (!key.isScalar() || key.isNull()) {
                throw key.expected("a key (a word such as 'name')");
            }
            final Located[] first = entries.get(key.text());
            if (first != null) {
                throw key.fail("duplicate key '" + key.text() + "' (first at line " + first[0].pos.line()
                        + ", column " + first[0].pos.col() + "); each key may appear once in a mapping");
            }
            entries.put(key.text(), new Located[] {key, child(tuple.getValueNode(), key.text())});
        }
        return new YamlMap(this, entries);
    }

    /** The list's items, paths {@code PATH[1]}, {@code PATH[2]}… */
    List<Located> asList(final String expected) throws ScenarioException {
        if (!(node instanceof SequenceNode sequence)) {
            throw expected(expected);
        }
        final List<Located> items = new ArrayList<>(sequence.getValue().size());
        for (final Node item : sequence.getValue()) {
            items.add(new Located(item, path + "[" + (items.size() + 1) + "]", pos.file()));
        }
        return items;
    }

    private Located child(final Node value, final String key) {
        return new Located(value, path.isEmpty() ? key : path + "." + key, pos.file());
    }

    /** {@code "text"} with quotes and control characters escaped, cut after {@value #SHOWN_CHARS} chars. */
    static String quote(final String text) {
        final String shown = text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "…" : text;
        final StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}
