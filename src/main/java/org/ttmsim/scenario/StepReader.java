package org.ttmsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code steps:} list into {@link Step} records, checking each operation's arguments, the
 * names of BOs and mappings against what earlier steps defined, and offsets against sizes.
 */
final class StepReader {

    /** Largest BO, offset and memory size (64 TiB). */
    static final long MAX_SIZE = 64 * Sizes.TIB;

    private static final String RESULT = "result";
    private static final String REPEAT = "repeat";
    private static final String REPEAT_EXAMPLE = "{times: 200, steps: [{validate: {bo: A, placement: [vram]}}]}";
    /** Most times one {@code repeat:} may run its block (docs/SCENARIOS.md). */
    static final int MAX_REPEAT_TIMES = 100_000;
    /** Most repeats nested inside one another. */
    static final int MAX_REPEAT_DEPTH = 8;
    /** Most pages one page-alloc takes: one block of MAX_PAGE_ORDER 10 (4 MiB). */
    static final int MAX_ALLOC_PAGES = 1024;
    /** Most steps a scenario may have once every repeat is expanded: each becomes a result entry. */
    static final int MAX_STEPS = 1_000_000;
    private static final String DATA_FORM =
            "data: a string such as \"frame 1\", {hex: \"00ff\"} or {fill: 0xAA, length: 4096}";

    /** Reads one operation's arguments into its step. */
    @FunctionalInterface
    private interface Parse {
        Step read(Args a) throws ScenarioException;
    }

    /** An operation: its argument keys (required first), an example for messages, its reader. */
    private record Op(List<String> args, String example, Parse parse) {
    }

    private static final Map<String, Op> OPS = ops();

    private final Names names = new Names();
    /** Data already read, by node: a repeated block shares its bytes rather than reading them again. */
    private final Map<org.yaml.snakeyaml.nodes.Node, Data> dataByNode = new java.util.IdentityHashMap<>();

    /** The BOs and mappings the steps defined, for checks that come after the steps. */
    Names names() {
        return names;
    }

    /** The steps of {@code list}, which must be a non-empty list, with every {@code repeat:} expanded. */
    List<Step> read(final Located list) throws ScenarioException {
        final List<Step> steps = new ArrayList<>();
        readList(list, steps, 0);
        return steps;
    }

    /** Appends the steps of {@code list} to {@code out}; {@code depth} counts the enclosing repeats. */
    private void readList(final Located list, final List<Step> out, final int depth) throws ScenarioException {
        final String form = "a list of steps such as [{create: {bo: A, size: 64KiB, placement: [tt]}}]";
        final List<Located> items = list.asList(form);
        if (items.isEmpty()) {
            throw list.expected(form + " with at least one step");
        }
        for (final Located item : items) {
            final YamlMap step = item.asMap("a step: a mapping with one operation key such as "
                    + "{create: {bo: A, size: 64KiB, placement: [tt]}}");
            final String opKey = operationKey(step);
            if (opKey.equals(REPEAT)) {
                repeat(step, out, depth);
            } else {
                if (out.size() >= MAX_STEPS) {
                    throw item.fail("expected at most " + MAX_STEPS + " steps once every repeat is expanded; this "
                            + "step would be step " + (out.size() + 1) + "; use fewer or smaller repeats");
                }
                out.add(readStep(item, step, opKey, out.size() + 1));
            }
        }
    }

    /**
     * {@code repeat: {times: N, steps: [...]}}: the block's steps read {@code times} times in a row, each
     * time against the names the previous time left, so that a block may create and destroy, or map
     * and unmap, the same names. A problem found in a later iteration says which.
     */
    private void repeat(final YamlMap step, final List<Step> out, final int depth) throws ScenarioException {
        if (step.has(RESULT)) {
            throw step.keyNode(RESULT).fail("result: does not go on a repeat; put it on the steps inside the block");
        }
        if (depth >= MAX_REPEAT_DEPTH) {
            throw step.keyNode(REPEAT).fail("expected repeats nested at most " + MAX_REPEAT_DEPTH + " deep");
        }
        final YamlMap r = step.get(REPEAT).asMap("the arguments of repeat, a mapping such as "
                + REPEAT_EXAMPLE).allowOnly(List.of("times", "steps"));
        final Located timesNode = r.require("times", "how many times to run the block, 1.." + MAX_REPEAT_TIMES);
        final int times = (int) Values.integer(timesNode, 1, MAX_REPEAT_TIMES);
        final Located body = r.require("steps", "the block's steps, such as [{validate: {bo: A, placement: [vram]}}]");
        for (int i = 1; i <= times; i++) {
            try {
                readList(body, out, depth + 1);
            } catch (final ScenarioException e) {
                if (i == 1 || e.problem().contains("(in iteration ")) {
                    throw e;
                }
                throw new ScenarioException(e.pos(), e.problem() + " (in iteration " + i + " of the repeat at line "
                        + step.self().pos().line() + ")", e.getCause());
            }
        }
    }

    private Step readStep(final Located item, final YamlMap step, final String opKey, final int index)
            throws ScenarioException {
        final String result = step.has(RESULT) ? Values.oneOf(step.get(RESULT), Vocabulary.RESULTS) : null;
        final Op op = OPS.get(opKey);
        final YamlMap args = step.get(opKey).asMap("the arguments of " + opKey + ", a mapping such as "
                + op.example()).allowOnly(op.args());
        try {
            return op.parse().read(new Args(new Step.Meta(index, result, item.pos()), args));
        } catch (final RuntimeException e) {
            throw new ScenarioException(item.pos(), item.path() + ": internal error while reading this step ("
                    + e + "); please report it", e);
        }
    }

    /** The one operation key of a step; {@code result} may stand beside it. */
    private static String operationKey(final YamlMap step) throws ScenarioException {
        String found = null;
        for (final String key : step.keys()) {
            if (key.equals(RESULT)) {
                continue;
            }
            if (!OPS.containsKey(key) && !key.equals(REPEAT)) {
                final List<String> valid = new ArrayList<>(OPS.keySet());
                valid.add(REPEAT);
                throw step.keyNode(key).fail("unknown operation '" + key + "'" + Suggest.didYouMean(key, valid)
                        + " (expected one of " + String.join(", ", valid) + ", and optionally result)");
            }
            if (found != null) {
                throw step.keyNode(key).fail("a step has exactly one operation, found '" + found + "' and '" + key
                        + "'; split them into two steps");
            }
            found = key;
        }
        if (found == null) {
            throw step.self().fail("expected exactly one operation key (" + String.join(", ", OPS.keySet())
                    + ", " + REPEAT + "), found none");
        }
        return found;
    }

    private static Map<String, Op> ops() {
        final Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("create", new Op(List.of("bo", "size", "placement", "caching", "type", "priority"),
                "{bo: A, size: 64KiB, placement: [tt]}", Args::create));
        ops.put("validate", new Op(List.of("bo", "placement"), "{bo: A, placement: [vram]}",
                a -> new Step.Validate(a.meta, a.bo().name(), Values.placement(a.req("placement",
                        "a list of places such as [vram, tt]; [] guts the BO"), true))));
        ops.put("evict", boOnly(a -> new Step.Evict(a.meta, a.bo().name())));
        ops.put("pin", boOnly(a -> new Step.Pin(a.meta, a.bo().name())));
        ops.put("unpin", boOnly(a -> new Step.Unpin(a.meta, a.bo().name())));
        ops.put("swapout", boOnly(a -> new Step.Swapout(a.meta, a.bo().name())));
        ops.put("destroy", boOnly(Args::destroy));
        ops.put("mmap", new Op(List.of("bo", "as", "process", "private", "prot"), "{bo: A, as: a}", Args::mmap));
        ops.put("munmap", new Op(List.of("map"), "{map: a}", a -> {
            final String map = a.mapping().name();
            a.names().munmap(map);
            return new Step.Munmap(a.meta, map);
        }));
        ops.put("mprotect", new Op(List.of("map", "prot"), "{map: a, prot: ro}",
                a -> new Step.Mprotect(a.meta, a.mapping().name(), Values.oneOf(a.req("prot", "rw or ro"),
                        Vocabulary.PROTS))));
        ops.put("cpu-read", new Op(List.of("map", "offset", "length", "expect"), "{map: a, offset: 0, length: 7}",
                Args::cpuRead));
        ops.put("cpu-write", new Op(List.of("map", "offset", "data"), "{map: a, offset: 0, data: \"frame 1\"}",
                Args::cpuWrite));
        ops.put("kmap-read", boRead(Step.KmapRead::new));
        ops.put("kmap-write", boWrite(Step.KmapWrite::new));
        ops.put("vmap-read", boRead(Step.VmapRead::new));
        ops.put("vmap-write", boWrite(Step.VmapWrite::new));
        ops.put("device-read", boRead(Step.DeviceRead::new));
        ops.put("device-write", boWrite(Step.DeviceWrite::new));
        ops.put("host-read", boRead(Step.HostRead::new));
        ops.put("host-write", boWrite(Step.HostWrite::new));
        ops.put("page-alloc", new Op(List.of("as", "pages"), "{as: P, pages: 4}", Args::pageAlloc));
        ops.put("page-write", new Op(List.of("alloc", "offset", "data"), "{alloc: P, offset: 0, data: \"secret\"}",
                a -> {
                    final Names.Bo p = a.alloc();
                    final Access w = a.write(p.size(), allocTarget(p));
                    return new Step.PageWrite(a.meta, p.name(), w.offset(), w.data());
                }));
        ops.put("page-read", new Op(List.of("alloc", "offset", "length", "expect"), "{alloc: P, offset: 0, length: 6}",
                a -> {
                    final Names.Bo p = a.alloc();
                    final Access r = a.read(p.size(), allocTarget(p));
                    return new Step.PageRead(a.meta, p.name(), r.offset(), r.length(), r.data());
                }));
        ops.put("page-free", new Op(List.of("alloc"), "{alloc: P}", a -> {
            final Names.Bo p = a.alloc();
            a.names().pageFree(p.name());
            return new Step.PageFree(a.meta, p.name());
        }));
        ops.put("pool-shrink", new Op(List.of("pages"), "{pages: 16}", a -> new Step.PoolShrink(a.meta,
                Values.integer(a.req("pages", "how many pages to return, such as 16"), 1, Long.MAX_VALUE))));
        return ops;
    }

    private static Op boOnly(final Parse parse) {
        return new Op(List.of("bo"), "{bo: A}", parse);
    }

    /** Constructor of a BO-based read step. */
    @FunctionalInterface
    private interface BoReadStep {
        Step make(Step.Meta meta, String bo, long offset, long length, Data expect);
    }

    /** Constructor of a BO-based write step. */
    @FunctionalInterface
    private interface BoWriteStep {
        Step make(Step.Meta meta, String bo, long offset, Data data);
    }

    private static Op boRead(final BoReadStep make) {
        return new Op(List.of("bo", "offset", "length", "expect"), "{bo: A, offset: 0, length: 7}", a -> {
            final Names.Bo bo = a.bo();
            final Access r = a.read(bo.size(), target(bo));
            return make.make(a.meta, bo.name(), r.offset(), r.length(), r.data());
        });
    }

    private static Op boWrite(final BoWriteStep make) {
        return new Op(List.of("bo", "offset", "data"), "{bo: A, offset: 0, data: \"frame 1\"}", a -> {
            final Names.Bo bo = a.bo();
            final Access w = a.write(bo.size(), target(bo));
            return make.make(a.meta, bo.name(), w.offset(), w.data());
        });
    }

    private static String target(final Names.Bo bo) {
        return "BO '" + bo.name() + "' (" + bo.size() + " bytes = " + Sizes.format(bo.size()) + ")";
    }

    private static String allocTarget(final Names.Bo alloc) {
        return "allocation '" + alloc.name() + "' (" + alloc.size() + " bytes = " + Sizes.format(alloc.size()) + ")";
    }

    private static String target(final Names.Mapping map) {
        return "mapping '" + map.name() + "' of " + target(map.bo());
    }

    /** Offset, length and data (written, or expected by a read) of one access. */
    private record Access(long offset, long length, Data data) {
    }

    /** One step's arguments, with the readers that the operations share. */
    private final class Args {
        final Step.Meta meta;
        final YamlMap map;

        Args(final Step.Meta meta, final YamlMap map) {
            this.meta = meta;
            this.map = map;
        }

        Names names() {
            return names;
        }

        Located req(final String key, final String expected) throws ScenarioException {
            return map.require(key, expected);
        }

        Names.Bo bo() throws ScenarioException {
            final Located v = req("bo", "the name of a BO created by an earlier step, such as A");
            return names.bo(v, Values.name(v));
        }

        Names.Bo alloc() throws ScenarioException {
            final Located v = req("alloc", "the name an earlier page-alloc gave with as:, such as P");
            return names.alloc(v, Values.name(v));
        }

        /** {@code page-alloc}: a power-of-two page count, at most one MAX_PAGE_ORDER block (1024 pages). */
        Step pageAlloc() throws ScenarioException {
            final Located asNode = req("as", "a name for the allocation, such as P");
            final String as = Values.name(asNode);
            final Located pagesNode = map.get("pages");
            final int pages = pagesNode == null ? Step.PageAlloc.DEFAULT_PAGES
                    : (int) Values.integer(pagesNode, 1, MAX_ALLOC_PAGES);
            if (Integer.bitCount(pages) != 1) {
                throw pagesNode.fail("expected a power of two (alloc_pages() takes an order), such as 1, 4 or 256, found "
                        + pages);
            }
            names.pageAlloc(asNode, as, (long) pages * Sizes.PAGE, meta.index());
            return new Step.PageAlloc(meta, as, pages);
        }

        Names.Mapping mapping() throws ScenarioException {
            final Located v = req("map", "the name an earlier mmap gave with as:, such as a");
            return names.map(v, Values.name(v));
        }

        String word(final String key, final List<String> words, final String dflt) throws ScenarioException {
            final Located v = map.get(key);
            return v == null ? dflt : Values.oneOf(v, words);
        }

        Step create() throws ScenarioException {
            final Located boNode = req("bo", "the new BO's name, such as A");
            final String bo = Values.name(boNode);
            final long size = Values.size(req("size", "the BO's size, a multiple of 4096 such as 64KiB"), "a size",
                    Sizes.PAGE, MAX_SIZE, true, "64KiB");
            final List<PlaceSpec> placement = Values.placement(req("placement", "a list of places such as [tt]"),
                    false);
            final String caching = word("caching", Vocabulary.CACHINGS, Step.Create.DEFAULT_CACHING);
            final String type = word("type", Vocabulary.BO_TYPES, Step.Create.DEFAULT_TYPE);
            final Located priority = map.get("priority");
            final int prio = priority == null ? Step.Create.DEFAULT_PRIORITY : (int) Values.integer(priority, 0, 3);
            names.create(boNode, bo, size, meta.index());
            return new Step.Create(meta, bo, size, placement, caching, type, prio);
        }

        Step destroy() throws ScenarioException {
            final Names.Bo bo = bo();
            names.destroy(bo.name());
            return new Step.Destroy(meta, bo.name());
        }

        Step mmap() throws ScenarioException {
            final Names.Bo bo = bo();
            final Located asNode = req("as", "a name for the new mapping, such as a");
            final String as = Values.name(asNode);
            final Located process = map.get("process");
            final Located isPrivate = map.get("private");
            final String prot = word("prot", Vocabulary.PROTS, Step.Mmap.DEFAULT_PROT);
            final Step.Mmap step = new Step.Mmap(meta, bo.name(), as,
                    process == null ? Step.Mmap.DEFAULT_PROCESS : Values.name(process),
                    isPrivate == null ? Step.Mmap.DEFAULT_PRIVATE : Values.bool(isPrivate), prot);
            names.mmap(asNode, as, bo, meta.index());
            return step;
        }

        Step cpuRead() throws ScenarioException {
            final Names.Mapping m = mapping();
            final Access r = read(m.bo().size(), target(m));
            return new Step.CpuRead(meta, m.name(), r.offset(), r.length(), r.data());
        }

        Step cpuWrite() throws ScenarioException {
            final Names.Mapping m = mapping();
            final Access w = write(m.bo().size(), target(m));
            return new Step.CpuWrite(meta, m.name(), w.offset(), w.data());
        }

        /** {@code offset}, {@code length} and {@code expect}; length may be left to expect's. */
        Access read(final long size, final String target) throws ScenarioException {
            final Located offsetNode = map.get("offset");
            final long offset = offset(offsetNode);
            final Located lengthNode = map.get("length");
            final Located expectNode = map.get("expect");
            final Data expect = expectNode == null ? null : data(expectNode);
            if (lengthNode == null && expect == null) {
                throw map.self().fail("missing required key 'length' (how many bytes to read, such as 7 or 4KiB; "
                        + "without it, expect: gives the length)");
            }
            // A read's only bound is its buffer (checked below): the kernel has no other, and the model streams it.
            final long length = lengthNode == null ? expect.length()
                    : Values.size(lengthNode, "a length", 1, MAX_SIZE, false, "7 or 4KiB");
            if (expect != null && expect.length() != length) {
                throw expectNode.fail("expected data as long as the read, " + length + " bytes, found "
                        + expect.length() + " bytes: " + expect);
            }
            checkRange(offsetNode, offset, lengthNode != null ? lengthNode : expectNode, length, size, target);
            return new Access(offset, length, expect);
        }

        /** {@code offset} and {@code data}. */
        Access write(final long size, final String target) throws ScenarioException {
            final Located offsetNode = map.get("offset");
            final long offset = offset(offsetNode);
            final Located dataNode = req("data", "the bytes to write: a string, {hex: \"00ff\"} or "
                    + "{fill: 0xAA, length: 4096}");
            final Data data = data(dataNode);
            checkRange(offsetNode, offset, dataNode, data.length(), size, target);
            return new Access(offset, data.length(), data);
        }

        private long offset(final Located v) throws ScenarioException {
            return v == null ? 0 : Values.size(v, "an offset", 0, MAX_SIZE, false, "0 or 4KiB");
        }

        private void checkRange(final Located offsetNode, final long offset, final Located endNode, final long length,
                                final long size, final String target) throws ScenarioException {
            if (offset >= size) {
                throw offsetNode.fail("expected an offset within " + target + ", found " + offset);
            }
            if (offset + length > size) {
                throw endNode.fail("expected offset + length within " + target + ", found " + offset + " + " + length
                        + " = " + (offset + length));
            }
        }

        /** A string, {@code {hex: …}} or {@code {fill: …, length: …}}. */
        Data data(final Located v) throws ScenarioException {
            final Data seen = dataByNode.get(v.node());
            if (seen != null) {
                return seen;
            }
            final Data data = v.isScalar() ? textData(v) : mappedData(v);
            dataByNode.put(v.node(), data);
            return data;
        }

        private Data textData(final Located v) throws ScenarioException {
            if (!v.isString()) {
                final String hint = v.isPlain() && !v.isNull() ? "; quote it (\"" + v.text() + "\") to mean the text" : "";
                throw v.fail("expected " + DATA_FORM + ", found " + v.describeTyped() + hint);
            }
            if (v.text().isEmpty()) {
                throw v.expected(DATA_FORM + " with at least one byte");
            }
            return Data.ofString(v.text());
        }

        private Data mappedData(final Located v) throws ScenarioException {
            final YamlMap m = v.asMap(DATA_FORM).allowOnly(List.of("hex", "fill", "length"));
            if (m.has("hex")) {
                for (final String other : List.of("fill", "length")) {
                    if (m.has(other)) {
                        throw m.keyNode(other).fail(other + " does not go with hex (hex data is as long as its "
                                + "digits); write either {hex: \"00ff\"} or {fill: 0xAA, length: 4096}");
                    }
                }
                return hex(m.get("hex"));
            }
            if (!m.has("fill")) {
                throw v.fail("expected " + DATA_FORM + ", found a mapping without hex or fill");
            }
            final int fill = (int) Values.integer(m.get("fill"), 0, 255);
            final Located length = m.require("length", "how many bytes to fill, such as 4096 or 4KiB");
            // Free to describe (two numbers): its only bound is the buffer it is written to or compared with.
            return Data.fill(fill, Values.size(length, "a length", 1, MAX_SIZE, false, "4096 or 4KiB"));
        }

        private Data hex(final Located v) throws ScenarioException {
            final String form = "hex digits in pairs, such as \"00ff\" or \"de ad be ef\"";
            if (!v.isScalar() || v.isNull()) {
                throw v.expected(form);
            }
            final String digits = v.text().replace(" ", "");
            if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                throw v.expected(form);
            }
            if (digits.length() % 2 != 0) {
                throw v.fail("expected " + form + " (an even number of digits), found " + digits.length()
                        + " digits: " + v.describe());
            }
            return Data.ofHex(digits);
        }
    }
}
