package org.ttmsim.scenario;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the bytes of a scenario file into SnakeYAML's node tree (every node with its start mark),
 * after checking what YAML itself does not: size, UTF-8, printable text, nesting depth and aliases.
 *
 * <p>Limits are explicit so that a hostile or broken file is bad input with a location, never an
 * exhausted heap or stack, and so that parsing stays fast: {@value #MAX_BYTES} bytes,
 * {@value #MAX_LINE_CHARS} characters on a line (checked before YAML sees the text: SnakeYAML's reader
 * takes time quadratic in the length of one line, 70 s for a 7 MB line), {@value #MAX_SCALAR_CHARS}
 * characters in one scalar, {@value #MAX_DEPTH} levels of nesting (a scenario needs six),
 * {@value #MAX_COLLECTION_ALIASES} aliases to collections, no recursive alias. Large data is written
 * as {@code {fill: 0xAA, length: 16MiB}}, whose size costs nothing to describe.
 */
final class YamlSource {

    /** Largest scenario file, in bytes (2 MiB: a multi-line quoted scalar that long parses in under a second). */
    static final int MAX_BYTES = 2 << 20;
    /** Longest line, in characters (128 Ki: a line of 64 KiB of hex data). */
    static final int MAX_LINE_CHARS = 128 << 10;
    /** Longest scalar (a string, number or hex data), in characters (512 Ki: 256 KiB of hex data). */
    static final int MAX_SCALAR_CHARS = 512 << 10;
    /** Deepest nesting of mappings and lists; the top-level mapping is level 1. */
    static final int MAX_DEPTH = 64;
    /** Most aliases (*name) that refer to a mapping or list, which the tree would otherwise copy. */
    static final int MAX_COLLECTION_ALIASES = 64;

    private static final char BOM = '\uFEFF';

    private YamlSource() {
    }

    /**
     * The root node of the single document in {@code bytes}, or null when the file holds no document
     * (empty, blank or only comments).
     *
     * @param bytes the file's bytes, possibly only the first {@code MAX_BYTES + 1} of them
     * @param size  the file's whole size in bytes
     */
    static Node compose(final String file, final byte[] bytes, final long size) throws ScenarioException {
        if (size > MAX_BYTES) {
            throw new ScenarioException(posOfByte(file, bytes, MAX_BYTES), "expected a file of at most "
                    + MAX_BYTES + " bytes (2 MiB), found " + size + " bytes; large data is written as"
                    + " {fill: 0xAA, length: 16MiB} and long sequences as repeat: blocks");
        }
        final String text = stripBom(decode(file, bytes));
        if (text.isBlank()) {
            return null; // tabs on blank lines would otherwise be a YAML error about indentation
        }
        checkLines(file, text);
        checkPrintable(file, text);
        checkStructure(file, text);
        try {
            return yaml().compose(new StringReader(text));
        } catch (final MarkedYAMLException e) {
            throw invalid(file, e);
        } catch (final YAMLException e) {
            throw new ScenarioException(new SourcePos(file, 1, 1), "invalid YAML: " + e.getMessage(), e);
        }
    }

    private static Yaml yaml() {
        final LoaderOptions options = new LoaderOptions();
        // Our own checks (checkStructure) come first and report with a location; these are backstops.
        options.setNestingDepthLimit(4 * MAX_DEPTH);
        options.setMaxAliasesForCollections(4 * MAX_COLLECTION_ALIASES);
        options.setCodePointLimit(MAX_BYTES + 1);
        options.setAllowRecursiveKeys(false);
        return new Yaml(options);
    }

    private static String decode(final String file, final byte[] bytes) throws ScenarioException {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        final CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            final int offset = in.position();
            throw new ScenarioException(posOfByte(file, bytes, offset), String.format(
                    "not UTF-8 text: byte 0x%02x at offset %d cannot start or continue a UTF-8 character; "
                            + "a scenario file must be UTF-8 YAML", bytes[offset] & 0xff, offset));
        }
        return out.flip().toString();
    }

    private static String stripBom(final String text) {
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }

    /** Rejects a line longer than {@link #MAX_LINE_CHARS}, before the YAML reader spends quadratic time on it. */
    private static void checkLines(final String file, final String text) throws ScenarioException {
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (end - start > MAX_LINE_CHARS) {
                throw new ScenarioException(TextPos.of(file, text, start + MAX_LINE_CHARS), String.format(
                        "line longer than %d characters (it has %d); break it over several lines, or write large"
                                + " data as {fill: 0xAA, length: 16MiB}", MAX_LINE_CHARS, end - start));
            }
            start = end + 1;
        }
    }

    /** Rejects control characters and other code points YAML does not allow in a stream. */
    private static void checkPrintable(final String file, final String text) throws ScenarioException {
        for (int i = 0; i < text.length(); ) {
            final int cp = text.codePointAt(i);
            if (!isYamlPrintable(cp)) {
                throw new ScenarioException(TextPos.of(file, text, i), String.format(
                        "binary data: U+%04X is not a printable character; a scenario file must be UTF-8 YAML "
                                + "text (tab, line breaks and printable characters only)", cp));
            }
            i += Character.charCount(cp);
        }
    }

    /** YAML 1.1 c-printable. */
    private static boolean isYamlPrintable(final int cp) {
        return cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0x7e) || cp == 0x85
                || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    }

    /** One pass over the parse events: depth, undefined, recursive and too many collection aliases. */
    private static void checkStructure(final String file, final String text) throws ScenarioException {
        final Deque<String> open = new ArrayDeque<>(); // anchor (or "") of each open collection
        final Set<String> collectionAnchors = new HashSet<>();
        final Map<String, Boolean> anchors = new HashMap<>(); // anchor -> is a collection
        int collectionAliases = 0;
        try {
            for (final Event event : yaml().parse(new StringReader(text))) {
                if (event instanceof CollectionStartEvent start) {
                    if (open.size() == MAX_DEPTH) {
                        throw new ScenarioException(pos(file, start.getStartMark()), "nesting deeper than "
                                + MAX_DEPTH + " levels of mappings and lists (a scenario needs at most 6)");
                    }
                    final String anchor = start.getAnchor();
                    open.push(anchor == null ? "" : anchor);
                    if (anchor != null) {
                        collectionAnchors.add(anchor);
                        anchors.put(anchor, true);
                    }
                } else if (event instanceof CollectionEndEvent) {
                    collectionAnchors.remove(open.pop());
                } else if (event instanceof AliasEvent alias) {
                    collectionAliases += checkAlias(file, alias, anchors, collectionAnchors);
                    if (collectionAliases > MAX_COLLECTION_ALIASES) {
                        throw new ScenarioException(pos(file, alias.getStartMark()), "more than "
                                + MAX_COLLECTION_ALIASES + " aliases to mappings or lists; write the values out");
                    }
                } else if (event instanceof NodeEvent node && node.getAnchor() != null) {
                    anchors.put(node.getAnchor(), false);
                }
                if (event instanceof org.yaml.snakeyaml.events.ScalarEvent scalar
                        && scalar.getValue().length() > MAX_SCALAR_CHARS) {
                    throw new ScenarioException(pos(file, scalar.getStartMark()), String.format(
                            "a value longer than %d characters (it has %d); write large data as"
                                    + " {fill: 0xAA, length: 16MiB}", MAX_SCALAR_CHARS, scalar.getValue().length()));
                }
            }
        } catch (final MarkedYAMLException e) {
            throw invalid(file, e);
        } catch (final YAMLException e) {
            throw new ScenarioException(new SourcePos(file, 1, 1), "invalid YAML: " + e.getMessage(), e);
        }
    }

    /** 1 when the alias refers to a collection, 0 for a scalar; throws when undefined or recursive. */
    private static int checkAlias(final String file, final AliasEvent alias, final Map<String, Boolean> anchors,
                                  final Set<String> openAnchors) throws ScenarioException {
        final String name = alias.getAnchor();
        if (!anchors.containsKey(name)) {
            throw new ScenarioException(pos(file, alias.getStartMark()),
                    "alias '*" + name + "' refers to no anchor '&" + name + "' defined before it");
        }
        if (openAnchors.contains(name)) {
            throw new ScenarioException(pos(file, alias.getStartMark()),
                    "alias '*" + name + "' is inside the value it refers to; a scenario cannot be recursive");
        }
        return anchors.get(name) ? 1 : 0;
    }

    private static ScenarioException invalid(final String file, final MarkedYAMLException e) {
        final Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        final SourcePos at = mark == null ? new SourcePos(file, 1, 1) : pos(file, mark);
        final StringBuilder message = new StringBuilder("invalid YAML: ");
        if (e.getContext() != null) {
            message.append(e.getContext());
            if (e.getContextMark() != null) {
                message.append(" (line ").append(e.getContextMark().getLine() + 1).append(", column ")
                        .append(e.getContextMark().getColumn() + 1).append(')');
            }
            message.append(", ");
        }
        return new ScenarioException(at, message.append(e.getProblem()).toString(), e);
    }

    /** SnakeYAML's 0-based mark as a 1-based position. */
    static SourcePos pos(final String file, final Mark mark) {
        return new SourcePos(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** The position of byte {@code offset}, decoding the bytes before it leniently. */
    private static SourcePos posOfByte(final String file, final byte[] bytes, final int offset) {
        final CharsetDecoder lenient = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        final CharBuffer out = CharBuffer.allocate(offset);
        lenient.decode(ByteBuffer.wrap(bytes, 0, offset), out, true);
        final String before = stripBom(out.flip().toString());
        return TextPos.of(file, before, before.length());
    }
}
