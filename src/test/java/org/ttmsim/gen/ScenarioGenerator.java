package org.ttmsim.gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ttmsim.design.Designs;
import org.ttmsim.gen.GenScenario.DataArg;
import org.ttmsim.gen.GenScenario.Fill;
import org.ttmsim.gen.GenScenario.GenStep;
import org.ttmsim.gen.GenScenario.Header;
import org.ttmsim.gen.GenScenario.Hex;
import org.ttmsim.gen.GenScenario.Place;
import org.ttmsim.gen.GenScenario.Size;
import org.ttmsim.gen.GenScenario.Text;
import org.ttmsim.scenario.Vocabulary;

/**
 * Generates valid scenario files (docs/SCENARIOS.md) from a {@code long} seed: a random machine (encryption,
 * C-bit, sme-coherent, 64 MiB–1 GiB of RAM, 1–4 CPUs, optional SWIOTLB), device (driver, DMA mask,
 * IOMMU, VRAM including none, optional dma-alloc), design, optional injected faults, and 1–20 steps
 * over every operation the parser reads: {@code create} (size, placement with flags, caching, type,
 * priority), {@code validate} (including the empty placement, a purge), {@code evict}, {@code pin},
 * {@code unpin}, {@code swapout}, {@code destroy}, {@code mmap} (process, private, prot),
 * {@code munmap}, {@code mprotect}, {@code cpu-read}/{@code cpu-write}, {@code kmap-read}/{@code kmap-write},
 * {@code device-read}/{@code device-write}, {@code host-read} and {@code pool-shrink}, with offsets and
 * lengths inside the BO and data as text, hex or fill.
 *
 * <p>The generator tracks names the way the parser does ({@code org.ttmsim.scenario.Names}): a BO is
 * used only after a {@code create}, a destroyed name may be created again, mapping names are unique,
 * an access through a mapping stays inside the BO's size at mmap time. Within those rules it
 * deliberately reaches odd states: with probability {@link Options#oddPercent()} per step it emits a
 * "motif" — use after destroy, purge then access, pin then purge, swapout then access, evict then
 * access, munmap then access or unmap twice, a move under a live mapping — followed by one or two
 * touches of the same BO or mapping. Sizes stay at 4 KiB–1 MiB so one run takes milliseconds.
 *
 * <p><b>Replay.</b> Everything derives from the seed through {@link SplittableRandom} (two sub-seeds,
 * one for the header and one for the steps; never the clock): {@code generate(seed)} returns the same
 * text on every machine and JVM. {@link Generated#options()} prints every derived choice, and the
 * file's {@code description} names the seed. Per-scenario seeds come from a master seed by
 * {@link #scenarioSeeds(long, int)}.
 *
 * <p><b>Not covered:</b> {@code result:}, {@code expect:} (sections and read expectations) and
 * {@code costs:} are never written — the verdict under the file's own configuration is therefore not
 * meaningful, only {@code error} is; the v2 keys the parser does not read yet ({@code kernel},
 * {@code repeat}, {@code host-write}, inject objects with {@code nth}/{@code from-step}); BOs larger than
 * 1 MiB, more than four BOs at once, and memory pressure beyond what small VRAM gives.
 * {@link #mutated(long)} makes simple invalid variants (one bad step appended) for exit-code checks;
 * it is not a fuzzer of the parser.
 */
public final class ScenarioGenerator {

    /** Every operation the parser reads, in the docs' order. */
    public static final List<String> OPS = List.of("create", "validate", "evict", "pin", "unpin", "swapout",
            "destroy", "mmap", "munmap", "mprotect", "cpu-read", "cpu-write", "kmap-read", "kmap-write",
            "device-read", "device-write", "host-read", "pool-shrink");

    /** Relative weights of {@link #OPS} when a step is chosen freely. */
    private static final int[] WEIGHTS = {12, 7, 4, 3, 3, 4, 4, 7, 3, 3, 7, 7, 4, 4, 4, 4, 3, 2};

    private static final List<String> BO_NAMES = List.of("A", "B", "C", "D");
    private static final String TEXT_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:#!";
    private static final long MIB = 1L << 20;
    private static final long PAGE = 4096;

    /**
     * Every choice derived from a seed.
     *
     * @param seed        the scenario's seed
     * @param headerSeed  sub-seed of the machine, device, design and inject choices
     * @param stepSeed    sub-seed of the steps
     * @param steps       how many steps
     * @param oddPercent  chance in percent that a step starts an odd-state motif
     * @param header      the machine, device, design and inject (null fields: left to the default)
     */
    public record Options(long seed, long headerSeed, long stepSeed, int steps, int oddPercent, Header header) {
        @Override
        public String toString() {
            final StringBuilder sb = new StringBuilder();
            sb.append(String.format("seed=%s header-seed=%s step-seed=%s steps=%d odd-state-motifs=%d%%", hex(seed),
                    hex(headerSeed), hex(stepSeed), steps, oddPercent));
            for (final Map.Entry<String, Object> f : header.fields()) {
                sb.append(' ').append(f.getKey()).append('=')
                        .append(f.getValue() == null ? "(default)" : GenScenario.value(f.getValue()));
            }
            return sb.toString();
        }
    }

    /** A generated scenario with the options it came from. */
    public record Generated(Options options, GenScenario scenario) {
        public long seed() {
            return options.seed();
        }

        public String yaml() {
            return scenario.yaml();
        }

        /** A file name for the scenario: {@code gen-SEED.yaml}. */
        public String fileName() {
            return scenario.header().name() + ".yaml";
        }
    }

    private ScenarioGenerator() {
    }

    /** Arguments in the order given (never {@code Map.of}: its iteration order changes from JVM to JVM). */
    static Map<String, Object> args(final Object... keysAndValues) {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** {@code 0x…} with 16 digits, how seeds are printed everywhere. */
    public static String hex(final long v) {
        return String.format("0x%016x", v);
    }

    /** Parses a seed written as decimal or {@code 0x} hex (as printed by {@link #hex}). */
    public static long parseSeed(final String text) {
        final String t = text.strip().replace("_", "");
        return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                : Long.parseLong(t);
    }

    /** The first {@code n} scenario seeds derived from {@code master}. */
    public static long[] scenarioSeeds(final long master, final int n) {
        final SplittableRandom r = new SplittableRandom(master);
        final long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = r.nextLong();
        }
        return seeds;
    }

    /** The scenario of {@code seed}: always the same text for the same seed. */
    public static Generated generate(final long seed) {
        final SplittableRandom root = new SplittableRandom(seed);
        final long headerSeed = root.nextLong();
        final long stepSeed = root.nextLong();
        final Header header = header(seed, new SplittableRandom(headerSeed));
        final SplittableRandom r = new SplittableRandom(stepSeed);
        final int count = 1 + r.nextInt(20);
        final int oddPercent = new int[] {0, 15, 30, 45}[r.nextInt(4)];
        final List<GenStep> steps = new StepMaker(r, oddPercent).steps(count);
        return new Generated(new Options(seed, headerSeed, stepSeed, count, oddPercent, header),
                new GenScenario(header, steps));
    }

    /**
     * A variant of {@code generate(seed)} that the parser must reject: one bad step appended (an
     * undefined BO, a size that is not a page multiple, an unknown operation, an offset past the end,
     * zero pages). Returns the text.
     */
    public static String mutated(final long seed) {
        final Generated g = generate(seed);
        final SplittableRandom r = new SplittableRandom(seed ^ 0x6d75746174656421L);
        final String bad = switch (r.nextInt(5)) {
            case 0 -> "kmap-read: {bo: Z, offset: 0, length: 1}";
            case 1 -> "create: {bo: Q, size: 4097, placement: [tt]}";
            case 2 -> "cpu-wirte: {map: m1, offset: 0, data: \"x\"}";
            case 3 -> "create: {bo: Q, size: 4KiB, placement: [tt]}\n  - device-read: {bo: Q, offset: 4096, length: 1}";
            default -> "pool-shrink: {pages: 0}";
        };
        return g.yaml() + "  - " + bad + "\n";
    }

    private static Header header(final long seed, final SplittableRandom r) {
        final String encryption = Vocabulary.ENCRYPTIONS.get(r.nextInt(Vocabulary.ENCRYPTIONS.size()));
        final Integer cbit = r.nextInt(5) == 0 ? 32 + r.nextInt(20) : null;
        final Boolean smeCoherent = r.nextInt(10) < 3 ? r.nextBoolean() : null;
        final long[] rams = {64 * MIB, 128 * MIB, 256 * MIB, 512 * MIB, 1024 * MIB};
        final Long ram = r.nextInt(5) == 0 ? null : rams[r.nextInt(rams.length)];
        final long ramBytes = ram == null ? 1024 * MIB : ram;
        final Integer cpus = r.nextInt(4) == 0 ? null : 1 + r.nextInt(4);
        // The default SWIOTLB (64MiB) needs at least 128MiB of RAM; smaller machines name one.
        final long[] tlbs = {MIB, 4 * MIB, 16 * MIB, 32 * MIB, 64 * MIB};
        Long swiotlb = null;
        if (ramBytes < 128 * MIB || r.nextInt(10) < 3) {
            do {
                swiotlb = tlbs[r.nextInt(tlbs.length)];
            } while (swiotlb > ramBytes / 2);
        }
        final String[] drivers = {null, "generic", "vmwgfx", "amdgpu"};
        final String driver = drivers[r.nextInt(drivers.length)];
        final int[] masks = {32, 36, 40, 44, 48, 64, 32, 40, 64, 24, 30};
        final Integer mask = r.nextBoolean() ? null : masks[r.nextInt(masks.length)];
        final Boolean iommu = r.nextInt(10) < 3 ? r.nextBoolean() : null;
        final long[] vrams = {0, MIB, 4 * MIB, 16 * MIB, 64 * MIB, 256 * MIB, 512 * MIB};
        final Long vram = r.nextInt(10) < 4 ? null : vrams[r.nextInt(vrams.length)];
        final Boolean dmaAlloc = r.nextInt(10) < 3 ? r.nextBoolean() : null;
        final List<String> designs = Designs.ids();
        final String design = r.nextInt(10) == 0 ? null : designs.get(r.nextInt(designs.size()));
        // A kernel: left to the design's own sometimes, but never one that cannot boot the mode
        // (SEV-SNP and TDX guests need v5.19), or the file would be bad input.
        final List<org.ttmsim.release.Releases.Known> known = org.ttmsim.release.Releases.all();
        final org.ttmsim.release.KernelRelease own = org.ttmsim.design.Designs.byId(
                design == null ? org.ttmsim.scenario.Scenario.DEFAULT_DESIGN : design).ownRelease();
        String kernel = r.nextInt(3) == 0 ? null : known.get(r.nextInt(known.size())).release().id();
        final org.ttmsim.release.KernelRelease chosen = kernel == null ? own
                : org.ttmsim.release.KernelRelease.parse(kernel);
        if (encryption != null && org.ttmsim.dma.Kernel.bootProblem(
                org.ttmsim.hw.EncryptionMode.fromId(encryption), chosen) != null) {
            kernel = org.ttmsim.release.Change.CC_GUESTS.since().id();
        }
        List<String> inject = null;
        final int i = r.nextInt(8);
        if (i == 0) {
            inject = List.of();
        } else if (i <= 2) {
            final Set<String> ids = new LinkedHashSet<>();
            final int n = 1 + r.nextInt(2);
            while (ids.size() < n) {
                ids.add(Vocabulary.INJECTIONS.get(r.nextInt(Vocabulary.INJECTIONS.size())));
            }
            inject = List.copyOf(ids);
        }
        return new Header("gen-" + hex(seed).substring(2), "generated by ScenarioGenerator from seed " + hex(seed),
                encryption, cbit, smeCoherent, ram, cpus, swiotlb, driver, mask, iommu, vram, dmaAlloc, design, kernel,
                inject);
    }

    /** Makes the steps, tracking the names the parser tracks. */
    private static final class StepMaker {
        private final SplittableRandom r;
        private final int oddPercent;
        private final List<GenStep> out = new ArrayList<>();
        /** BO name → size of its latest create (destroyed ones kept: a later use is valid input). */
        private final Map<String, Long> boSize = new LinkedHashMap<>();
        private final Set<String> live = new LinkedHashSet<>();
        /** Mapping name → the BO it maps. */
        private final Map<String, String> mapBo = new LinkedHashMap<>();
        /** Mapping name → the BO's size at mmap time (the parser checks offsets against it). */
        private final Map<String, Long> mapSize = new LinkedHashMap<>();
        private final Set<String> unmapped = new LinkedHashSet<>();
        private int nextMap = 1;

        StepMaker(final SplittableRandom r, final int oddPercent) {
            this.r = r;
            this.oddPercent = oddPercent;
        }

        List<GenStep> steps(final int count) {
            while (out.size() < count) {
                if (!boSize.isEmpty() && r.nextInt(100) < oddPercent) {
                    motif();
                } else {
                    add(op(pickOp()));
                }
            }
            return List.copyOf(out.subList(0, count));
        }

        private String pickOp() {
            int total = 0;
            final int[] w = new int[OPS.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = applicable(OPS.get(i)) ? WEIGHTS[i] : 0;
                if (boSize.isEmpty() && OPS.get(i).equals("create")) {
                    w[i] *= 10;
                }
                total += w[i];
            }
            int x = r.nextInt(total);
            for (int i = 0; i < w.length; i++) {
                x -= w[i];
                if (x < 0) {
                    return OPS.get(i);
                }
            }
            throw new AssertionError();
        }

        private boolean applicable(final String op) {
            return switch (op) {
                case "create" -> live.size() < BO_NAMES.size();
                case "pool-shrink" -> true;
                case "munmap", "mprotect", "cpu-read", "cpu-write" -> !mapBo.isEmpty();
                default -> !boSize.isEmpty();
            };
        }

        /** A step of {@code op} on a random fitting BO or mapping. */
        private GenStep op(final String op) {
            return switch (op) {
                case "create" -> create();
                case "pool-shrink" -> new GenStep(op, args("pages", pages()));
                case "munmap", "mprotect", "cpu-read", "cpu-write" -> onMap(op, pickMap());
                default -> onBo(op, pickBo());
            };
        }

        /** Appends a step and updates the names as the parser would. */
        private void add(final GenStep s) {
            out.add(s);
            switch (s.op()) {
                case "create" -> {
                    final String bo = (String) s.arg("bo");
                    boSize.put(bo, ((Size) s.arg("size")).bytes());
                    live.add(bo);
                }
                case "destroy" -> live.remove((String) s.arg("bo"));
                case "mmap" -> {
                    final String as = (String) s.arg("as");
                    final String bo = (String) s.arg("bo");
                    mapBo.put(as, bo);
                    mapSize.put(as, boSize.get(bo));
                }
                case "munmap" -> unmapped.add((String) s.arg("map"));
                default -> {
                }
            }
        }

        /**
         * An odd-state motif: something that takes a BO's backing or mapping away (or pins it first),
         * then one or two touches of the same BO or mapping.
         */
        private void motif() {
            final String bo = pickBo();
            switch (r.nextInt(8)) {
                case 0 -> { // use after destroy, possibly through a mapping made before
                    if (r.nextBoolean()) {
                        add(mmap(bo));
                    }
                    add(new GenStep("destroy", args("bo", bo)));
                }
                case 1 -> add(validate(bo, List.of())); // purge
                case 2 -> { // pin, then purge, evict or swap out the pinned BO
                    add(new GenStep("pin", args("bo", bo)));
                    final int k = r.nextInt(4);
                    add(k == 0 ? validate(bo, List.of()) : k == 1 ? new GenStep("evict", args("bo", bo))
                            : k == 2 ? new GenStep("swapout", args("bo", bo)) : validate(bo, placement(false)));
                    if (r.nextBoolean()) {
                        add(new GenStep("destroy", args("bo", bo)));
                    }
                }
                case 3 -> add(new GenStep("swapout", args("bo", bo)));
                case 4 -> add(new GenStep("evict", args("bo", bo)));
                case 5 -> { // munmap, then use the mapping (or unmap it again)
                    final String m = mapOf(bo);
                    add(new GenStep("munmap", args("map", m)));
                    add(onMap(new String[] {"cpu-read", "cpu-write", "munmap", "mprotect"}[r.nextInt(4)], m));
                    return;
                }
                case 6 -> { // move under a live mapping
                    final String m = mapOf(bo);
                    add(onMap("cpu-write", m));
                    add(validate(bo, placement(false)));
                    add(onMap("cpu-read", m));
                    return;
                }
                default -> { // destroy and create again under the same name, then use an old mapping
                    final String m = mapOf(bo);
                    add(new GenStep("destroy", args("bo", bo)));
                    add(create(bo));
                    add(onMap(r.nextBoolean() ? "cpu-read" : "cpu-write", m));
                    return;
                }
            }
            final int touches = 1 + r.nextInt(2);
            for (int i = 0; i < touches; i++) {
                add(touch(bo));
            }
        }

        /** A mapping of {@code bo}, made now if it has none. */
        private String mapOf(final String bo) {
            for (final Map.Entry<String, String> e : mapBo.entrySet()) {
                if (e.getValue().equals(bo) && !unmapped.contains(e.getKey()) && r.nextInt(4) != 0) {
                    return e.getKey();
                }
            }
            final GenStep mmap = mmap(bo);
            add(mmap);
            return (String) mmap.arg("as");
        }

        /** Any use of {@code bo}: through a mapping of it, the kernel map, the device, the host, or TTM. */
        private GenStep touch(final String bo) {
            final String[] ops = {"cpu-read", "cpu-write", "kmap-read", "kmap-write", "device-read", "device-write",
                "host-read", "swapout", "evict", "pin", "unpin", "validate", "destroy", "mmap"};
            final String op = ops[r.nextInt(ops.length)];
            if (op.startsWith("cpu-")) {
                final String m = mapBo.entrySet().stream().filter(e -> e.getValue().equals(bo)).map(Map.Entry::getKey)
                        .reduce((a, b) -> b).orElse(null);
                if (m != null) {
                    return onMap(op, m);
                }
                return onBo(op.equals("cpu-read") ? "kmap-read" : "kmap-write", bo);
            }
            return onBo(op, bo);
        }

        private String pickBo() {
            final List<String> from = new ArrayList<>(!live.isEmpty() && r.nextInt(100) < 85 ? live : boSize.keySet());
            return from.get(r.nextInt(from.size()));
        }

        private String pickMap() {
            final List<String> good = mapBo.keySet().stream()
                    .filter(m -> live.contains(mapBo.get(m)) && !unmapped.contains(m)).toList();
            final List<String> from = !good.isEmpty() && r.nextInt(100) < 80 ? good : List.copyOf(mapBo.keySet());
            return from.get(r.nextInt(from.size()));
        }

        private GenStep create() {
            final List<String> free = BO_NAMES.stream().filter(n -> !live.contains(n)).toList();
            return create(free.get(r.nextInt(free.size())));
        }

        private GenStep create(final String bo) {
            final Map<String, Object> a = new LinkedHashMap<>();
            a.put("bo", bo);
            final long[] pages = {1, 2, 4, 8, 16, 64, 256};
            final long n = r.nextInt(4) == 0 ? 1 + r.nextInt(256) : pages[r.nextInt(pages.length)];
            a.put("size", new Size(n * PAGE));
            a.put("placement", placement(false));
            if (r.nextInt(10) < 4) {
                a.put("caching", Vocabulary.CACHINGS.get(r.nextInt(Vocabulary.CACHINGS.size())));
            }
            if (r.nextInt(20) < 9) {
                a.put("type", Vocabulary.BO_TYPES.get(r.nextInt(Vocabulary.BO_TYPES.size())));
            }
            if (r.nextInt(10) < 2) {
                a.put("priority", r.nextInt(4));
            }
            return new GenStep("create", a);
        }

        private GenStep mmap(final String bo) {
            final Map<String, Object> a = new LinkedHashMap<>();
            a.put("bo", bo);
            a.put("as", "m" + nextMap++);
            if (r.nextInt(4) == 0) {
                a.put("process", r.nextBoolean() ? "p1" : "p2");
            }
            if (r.nextInt(5) == 0) {
                a.put("private", r.nextBoolean());
            }
            if (r.nextInt(10) < 3) {
                a.put("prot", Vocabulary.PROTS.get(r.nextInt(2)));
            }
            return new GenStep("mmap", a);
        }

        private GenStep validate(final String bo, final List<Object> placement) {
            final Map<String, Object> a = new LinkedHashMap<>();
            a.put("bo", bo);
            a.put("placement", placement);
            return new GenStep("validate", a);
        }

        private GenStep onBo(final String op, final String bo) {
            final long size = boSize.get(bo);
            return switch (op) {
                case "validate" -> validate(bo, r.nextInt(100) < 15 ? List.of() : placement(false));
                case "mmap" -> mmap(bo);
                case "kmap-read", "device-read", "host-read" -> read(op, "bo", bo, size);
                case "kmap-write", "device-write" -> write(op, "bo", bo, size);
                default -> new GenStep(op, args("bo", bo)); // evict, pin, unpin, swapout, destroy
            };
        }

        private GenStep onMap(final String op, final String map) {
            final long size = mapSize.get(map);
            return switch (op) {
                case "cpu-read" -> read(op, "map", map, size);
                case "cpu-write" -> write(op, "map", map, size);
                case "mprotect" -> new GenStep(op, args("map", map, "prot", Vocabulary.PROTS.get(r.nextInt(2))));
                default -> new GenStep(op, args("map", map)); // munmap
            };
        }

        private GenStep read(final String op, final String key, final String target, final long size) {
            final int length = length(size);
            final Map<String, Object> a = new LinkedHashMap<>();
            a.put(key, target);
            final long offset = offset(size, length);
            if (offset != 0 || r.nextBoolean()) {
                a.put("offset", new Size(offset));
            }
            a.put("length", new Size(length));
            return new GenStep(op, a);
        }

        private GenStep write(final String op, final String key, final String target, final long size) {
            final DataArg data = data(size);
            final Map<String, Object> a = new LinkedHashMap<>();
            a.put(key, target);
            final long offset = offset(size, data.length());
            if (offset != 0 || r.nextBoolean()) {
                a.put("offset", new Size(offset));
            }
            a.put("data", data);
            return new GenStep(op, a);
        }

        /** A length of at most {@code size}: mostly short, sometimes pages. */
        private int length(final long size) {
            final int k = r.nextInt(10);
            final long len = k < 4 ? 1 + r.nextInt(16) : k < 8 ? 1 + r.nextInt(4096) : 1 + r.nextInt(64 * 1024);
            return (int) Math.min(len, size);
        }

        /** An offset such that {@code offset + length <= size}: 0, page-aligned, anywhere, or at the end. */
        private long offset(final long size, final int length) {
            final long max = size - length;
            final long o = switch (r.nextInt(10)) {
                case 0, 1, 2 -> 0;
                case 3, 4 -> PAGE * r.nextLong(size / PAGE);
                case 5, 6, 7 -> r.nextLong(size);
                default -> max;
            };
            return Math.min(o, max);
        }

        private DataArg data(final long size) {
            final int k = r.nextInt(10);
            if (k < 5) {
                final int n = (int) Math.min(1 + r.nextInt(40), size);
                final StringBuilder sb = new StringBuilder(n);
                for (int i = 0; i < n; i++) {
                    sb.append(TEXT_CHARS.charAt(r.nextInt(TEXT_CHARS.length())));
                }
                return new Text(sb.toString());
            }
            if (k < 7) {
                final int n = 1 + r.nextInt(32);
                final StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.append(String.format("%02x", r.nextInt(256)));
                }
                return new Hex(sb.toString());
            }
            return new Fill(r.nextInt(256), length(size));
        }

        /** A placement: one to three places, some with flags; empty only when allowed. */
        private List<Object> placement(final boolean allowEmpty) {
            if (allowEmpty && r.nextInt(100) < 15) {
                return List.of();
            }
            final int n = r.nextInt(10) < 6 ? 1 : 1 + r.nextInt(3);
            final List<Object> places = new ArrayList<>(n);
            final String[] types = {"system", "tt", "vram", "tt", "vram"};
            for (int i = 0; i < n; i++) {
                final String type = types[r.nextInt(types.length)];
                if (r.nextInt(10) < 2) {
                    final List<String> flags = new ArrayList<>();
                    for (final String f : Vocabulary.PLACE_FLAGS) {
                        if (r.nextInt(3) == 0) {
                            flags.add(f);
                        }
                    }
                    places.add(new Place(type, flags));
                } else {
                    places.add(type);
                }
            }
            return places;
        }

        private long pages() {
            final long[] p = {1, 16, 256, 4096};
            return r.nextBoolean() ? p[r.nextInt(p.length)] : 1 + r.nextInt(1000);
        }
    }
}
