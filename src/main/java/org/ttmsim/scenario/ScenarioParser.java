package org.ttmsim.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.ttmsim.driver.DeviceSpec;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a scenario file (docs/SCENARIOS.md) into a validated {@link Scenario}, or fails with a
 * {@link ScenarioException} whose message is {@code FILE:LINE:COL: message}; no other exception
 * escapes.
 *
 * <p>All bad input is found here, before anything runs: unknown keys (with the nearest valid key),
 * wrong types, missing keys, words outside their closed set, out-of-range numbers and sizes, names
 * used before they are defined or defined twice, offsets beyond a BO's end, and YAML-level problems
 * (empty file, invalid UTF-8, binary data, duplicate keys, excessive size or depth). The first
 * problem in reading order is reported. Paths in messages count list items from 1, like step indexes.
 */
public final class ScenarioParser {

    private static final List<String> TOP_KEYS = List.of("name", "description", "machine", "device", "design",
            "kernel", "inject", "costs", "steps", "expect");
    private static final List<String> MACHINE_KEYS = List.of("encryption", "cbit", "sme-coherent", "ram", "cpus",
            "swiotlb", "low-memory");
    private static final List<String> DEVICE_KEYS = List.of("driver", "dma-mask-bits", "iommu", "vram", "dma-alloc",
            "dma-api", "max-segment", "chip");
    private static final List<String> EXPECT_KEYS = List.of("violations", "state");

    private final Set<String> knownCostNames;

    /**
     * @param knownCostNames the cost-model parameter names a {@code costs:} section may override
     */
    public ScenarioParser(final Set<String> knownCostNames) {
        this.knownCostNames = new TreeSet<>(Objects.requireNonNull(knownCostNames, "knownCostNames"));
    }

    /** Reads the scenario in {@code file}; messages name the file as given. */
    public Scenario parse(final Path file) throws ScenarioException {
        final String name = file.toString();
        final byte[] bytes;
        final long size;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(YamlSource.MAX_BYTES + 1);
            size = bytes.length > YamlSource.MAX_BYTES ? Files.size(file) : bytes.length;
        } catch (final NoSuchFileException e) {
            throw new ScenarioException(SourcePos.wholeFile(name), "no such file", e);
        } catch (final AccessDeniedException e) {
            throw new ScenarioException(SourcePos.wholeFile(name), "permission denied", e);
        } catch (final IOException e) {
            throw new ScenarioException(SourcePos.wholeFile(name), "cannot read the file: " + e.getMessage(), e);
        }
        return parse(name, bytes, size);
    }

    /** Reads a scenario from {@code text}; messages name it {@code displayName}. */
    public Scenario parse(final String displayName, final String text) throws ScenarioException {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parse(displayName, bytes, bytes.length);
    }

    private Scenario parse(final String file, final byte[] bytes, final long size) throws ScenarioException {
        try {
            final Node root = YamlSource.compose(file, bytes, size);
            if (root == null || new Located(root, "", file).isNull()) {
                throw new ScenarioException(new SourcePos(file, 1, 1),
                        "empty file: expected a mapping with at least the keys name and steps");
            }
            return scenario(file, new Located(root, "", file));
        } catch (final RuntimeException e) {
            throw new ScenarioException(new SourcePos(file, 1, 1),
                    "internal error while reading the scenario (" + e + "); please report it", e);
        }
    }

    private Scenario scenario(final String file, final Located rootNode) throws ScenarioException {
        final YamlMap root = rootNode.asMap("a mapping of scenario keys (" + String.join(", ", TOP_KEYS)
                + ") at the top level").allowOnly(TOP_KEYS);
        final String name = Values.text(root.require("name", "the scenario's name, such as sev-device-writes"),
                "the scenario's name as text");
        final String description = description(root.get("description"));
        final MachineSpec machine = machine(root.get("machine"));
        final DeviceSpec device = device(root.get("device"));
        checkAddressSpace(root, machine, device);
        final String design = word(root, "design", Vocabulary.DESIGNS, Scenario.DEFAULT_DESIGN);
        final String kernel = root.has("kernel") ? Values.release(root.get("kernel")) : null;
        checkBootable(root, machine, design, kernel);
        final List<Located> injectNodes = new java.util.ArrayList<>();
        final List<InjectSpec> inject = root.has("inject") ? inject(root.get("inject"), injectNodes) : List.of();
        final Map<String, Long> costs = costs(root.get("costs"));
        final StepReader stepReader = new StepReader();
        final List<Step> steps = stepReader.read(root.require("steps", "a list of steps"));
        checkInjectSteps(inject, injectNodes, steps.size());
        final Expect expect = ExpectReader.read(root.get("expect"), stepReader.names(), steps.size());
        return new Scenario(name, description, file, machine, device, design, kernel, inject, costs, steps, expect);
    }

    private static final String INJECT_FORM = "a list of fault ids or objects such as [skip-zap-on-move], "
            + "[{id: conversion-fails, nth: 1}] or [{id: skip-tlb-flush, from-step: 3, to-step: 5}]";

    /**
     * {@code inject:} (docs/SCENARIOS.md, "inject"): ids, {@code {id, nth}} or {@code {id, from-step, to-step}}. The same
     * item may not be listed twice, and a plain id may not stand beside a limited item of the same id
     * (the plain one already fires every time). Step bounds are checked against the steps afterwards.
     */
    private static List<InjectSpec> inject(final Located node, final List<Located> nodes) throws ScenarioException {
        final List<InjectSpec> out = new java.util.ArrayList<>();
        for (final Located item : node.asList(INJECT_FORM)) {
            final InjectSpec spec = item.isScalar() ? InjectSpec.always(Values.oneOf(item, Vocabulary.INJECTIONS))
                    : injectObject(item);
            for (final InjectSpec earlier : out) {
                if (earlier.equals(spec)) {
                    throw item.fail("'" + spec.toYaml() + "' is listed twice; list each once");
                }
                if (earlier.id().equals(spec.id()) && (earlier.isAlways() || spec.isAlways())) {
                    throw item.fail("'" + spec.id() + "' is listed both for every occurrence and for some; the plain"
                            + " id already fires every time, so keep one of them");
                }
            }
            out.add(spec);
            nodes.add(item);
        }
        return out;
    }

    private static InjectSpec injectObject(final Located item) throws ScenarioException {
        final YamlMap m = item.asMap(INJECT_FORM).allowOnly(List.of("id", "nth", "from-step", "to-step"));
        final String id = Values.oneOf(m.require("id", "a fault id such as conversion-fails"), Vocabulary.INJECTIONS);
        final long nth = m.has("nth") ? Values.integer(m.get("nth"), 1, Integer.MAX_VALUE) : 0;
        final int from = m.has("from-step") ? (int) Values.integer(m.get("from-step"), 1, StepReader.MAX_STEPS) : 0;
        final int to = m.has("to-step") ? (int) Values.integer(m.get("to-step"), 1, StepReader.MAX_STEPS) : 0;
        if (nth > 0 && (from > 0 || to > 0)) {
            throw m.keyNode(from > 0 ? "from-step" : "to-step").fail("nth does not go with from-step/to-step; write "
                    + "{id: " + id + ", nth: N} for one occurrence or {id: " + id + ", from-step: A, to-step: B} for "
                    + "a range of steps");
        }
        if (nth == 0 && from == 0 && to == 0) {
            throw item.fail("expected nth, or from-step and/or to-step, beside id (or write the plain id '" + id
                    + "' to fire at every occurrence)");
        }
        if (from > 0 && to > 0 && to < from) {
            throw m.get("to-step").fail("expected a to-step of at least from-step (" + from + "), found " + to);
        }
        return new InjectSpec(id, nth, from, to);
    }

    /** A step range must name steps that exist. */
    private static void checkInjectSteps(final List<InjectSpec> inject, final List<Located> nodes, final int steps)
            throws ScenarioException {
        for (int i = 0; i < inject.size(); i++) {
            final InjectSpec spec = inject.get(i);
            final int bound = Math.max(spec.fromStep(), spec.toStep());
            if (bound > steps) {
                final YamlMap m = nodes.get(i).asMap(INJECT_FORM);
                final Located at = spec.fromStep() > steps ? m.get("from-step") : m.get("to-step");
                throw at.fail("expected a step of this scenario (1.." + steps + " once repeats are expanded), found "
                        + bound);
            }
        }
    }

    /** Free text; absent, empty or null all mean "". */
    private static String description(final Located node) throws ScenarioException {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isScalar()) {
            throw node.expected("free text describing the scenario");
        }
        return node.text();
    }

    private static MachineSpec machine(final Located node) throws ScenarioException {
        if (node == null) {
            return MachineSpec.defaults();
        }
        final YamlMap m = node.asMap("a mapping of machine settings such as {encryption: sev, ram: 4GiB}")
                .allowOnly(MACHINE_KEYS);
        final String encryption = word(m, "encryption", Vocabulary.ENCRYPTIONS, MachineSpec.DEFAULT_ENCRYPTION);
        final int cbit = (int) integer(m, "cbit", 32, 51, MachineSpec.DEFAULT_CBIT);
        final boolean smeCoherent = bool(m, "sme-coherent", MachineSpec.DEFAULT_SME_COHERENT);
        final long ram = size(m, "ram", 16 * Sizes.MIB, StepReader.MAX_SIZE, "4GiB", MachineSpec.DEFAULT_RAM_BYTES);
        final int cpus = (int) integer(m, "cpus", 1, MachineSpec.MAX_CPUS, MachineSpec.DEFAULT_CPUS);
        // Any size: whether the boot finds room for it below 4 GiB is the kernel's business (dma.SwiotlbBoot).
        final Long swiotlb = m.has("swiotlb")
                ? size(m, "swiotlb", Sizes.PAGE, StepReader.MAX_SIZE, "64MiB", 0) : null;
        checkCbitAboveRam(m, encryption, cbit, ram);
        Long lowMemory = null;
        if (m.has("low-memory")) {
            final long most = Math.min(ram, 4 * Sizes.GIB) - org.ttmsim.hw.MachineConfig.KERNEL_IMAGE_BYTES;
            lowMemory = Values.size(m.get("low-memory"), "a size", 0, StepReader.MAX_SIZE, false, "1000MiB");
            if (lowMemory > most) {
                throw m.get("low-memory").expected("a low-memory block of at most " + Sizes.format(most)
                        + " (RAM below 4 GiB, less the 4 MiB kernel image)");
            }
        }
        return new MachineSpec(encryption, cbit, smeCoherent, ram, cpus, swiotlb, lowMemory);
    }

    /** With encryption on, every RAM address must lie below the C-bit (or TDX shared bit). */
    private static void checkCbitAboveRam(final YamlMap m, final String encryption, final int cbit, final long ram)
            throws ScenarioException {
        if (encryption.equals("none") || ram <= 1L << cbit) {
            return;
        }
        // Only a cbit below the default can get here: the default 47 lies above the largest RAM (64 TiB).
        final int needed = 64 - Long.numberOfLeadingZeros(ram - 1);
        throw m.get("cbit").expected("a C-bit above the top of RAM (ram " + Sizes.format(ram) + " needs cbit "
                + needed + " or more)");
    }

    /**
     * With encryption on, RAM (rounded up to 1GiB, where device memory starts) and VRAM must lie below
     * the C-bit, as hw.MachineConfig requires. Checked here for the file's own mode; a run that
     * overrides the mode onto a machine that cannot exist ends with verdict error, naming why.
     */
    private static void checkAddressSpace(final YamlMap root, final MachineSpec machine, final DeviceSpec device)
            throws ScenarioException {
        final long gib = 1L << 30;
        final long top = ((machine.ramBytes() + gib - 1) & ~(gib - 1)) + device.vramBytes();
        if (machine.encryption().equals("none") || top <= 1L << machine.cbit()) {
            return;
        }
        final int needed = 64 - Long.numberOfLeadingZeros(top - 1);
        final YamlMap m = root.get("machine").asMap("a mapping of machine settings");
        final Located at = m.has("cbit") ? m.get("cbit") : m.get("ram");
        throw at.expected("a C-bit above RAM and VRAM (RAM rounded up to 1GiB plus " + Sizes.format(device.vramBytes())
                + " of VRAM reach " + Sizes.format(top) + ": cbit " + needed + " or more)");
    }

    /**
     * The file's own mode must exist on its own kernel (the {@code kernel:}, else the design's release):
     * SEV-SNP and TDX guests boot from v5.19. Reported at {@code kernel:}, else at {@code design:}, else
     * at {@code machine.encryption}.
     */
    private static void checkBootable(final YamlMap root, final MachineSpec machine, final String design,
            final String kernel) throws ScenarioException {
        final org.ttmsim.release.KernelRelease release = kernel != null
                ? org.ttmsim.release.KernelRelease.parse(kernel)
                : org.ttmsim.design.Designs.byId(design).ownRelease();
        final String problem = org.ttmsim.dma.Kernel.bootProblem(
                org.ttmsim.hw.EncryptionMode.fromId(machine.encryption()), release);
        if (problem == null) {
            return;
        }
        final Located at = root.has("kernel") ? root.get("kernel") : root.has("design") ? root.get("design")
                : root.get("machine").asMap("a mapping of machine settings").get("encryption");
        throw at.fail(problem + (kernel == null ? " (design " + design + " runs on its own release; name a later"
                + " one with kernel:)" : ""));
    }

    private static DeviceSpec device(final Located node) throws ScenarioException {
        if (node == null) {
            return DeviceSpec.defaults();
        }
        final YamlMap m = node.asMap("a mapping of device settings such as {driver: vmwgfx, vram: 256MiB}")
                .allowOnly(DEVICE_KEYS);
        final String driver = word(m, "driver", Vocabulary.DRIVERS, DeviceSpec.DEFAULT_DRIVER);
        final String iommu = m.has("iommu") ? iommu(m.get("iommu")) : DeviceSpec.DEFAULT_IOMMU_MODE;
        Long maxSegment = null;
        if (m.has("max-segment")) {
            final Located v = m.get("max-segment");
            maxSegment = Values.size(v, "a segment size", Sizes.PAGE, 4 * Sizes.GIB, false, "64KiB or 256KiB");
            if (Long.bitCount(maxSegment) != 1) {
                throw v.fail("expected a power of two (dma_set_max_seg_size() takes one), such as 64KiB or 256KiB,"
                        + " found " + maxSegment + " bytes");
            }
        }
        final String chip = word(m, "chip", Vocabulary.CHIPS, DeviceSpec.DEFAULT_CHIP);
        if (!chip.equals(DeviceSpec.DEFAULT_CHIP) && !driver.equals("amdgpu")) {
            throw m.get("chip").fail("chip " + chip + " is an AMD APU: it goes with driver amdgpu, not " + driver);
        }
        return new DeviceSpec(driver,
                (int) integer(m, "dma-mask-bits", 24, 64, DeviceSpec.DEFAULT_DMA_MASK_BITS),
                iommu,
                size(m, "vram", 0, StepReader.MAX_SIZE, "256MiB, or 0 for no VRAM", DeviceSpec.DEFAULT_VRAM_BYTES),
                m.has("dma-alloc") ? Values.bool(m.get("dma-alloc")) : null,
                bool(m, "dma-api", DeviceSpec.DEFAULT_DMA_API),
                maxSegment,
                chip);
    }

    /** {@code none}, {@code translated} or {@code passthrough}; {@code true}/{@code false} as in v1. */
    private static String iommu(final Located v) throws ScenarioException {
        if (v.isBool()) {
            return Values.bool(v) ? "translated" : "none";
        }
        if (v.isScalar() && !v.isNull() && Vocabulary.IOMMUS.contains(v.text())) {
            return v.text();
        }
        throw v.fail("expected one of " + String.join(", ", Vocabulary.IOMMUS) + " (or true for translated, false for"
                + " none), found " + v.describe() + (v.isScalar() ? Suggest.didYouMean(v.text(), Vocabulary.IOMMUS) : ""));
    }

    private Map<String, Long> costs(final Located node) throws ScenarioException {
        final Map<String, Long> costs = new LinkedHashMap<>();
        if (node == null) {
            return costs;
        }
        final YamlMap m = node.asMap("a mapping of cost-parameter overrides such as {tlb-shootdown-per-cpu-ns: 2000},"
                + " or {}");
        for (final String key : m.keys()) {
            if (!knownCostNames.contains(key)) {
                throw m.keyNode(key).fail("unknown cost parameter '" + key + "'"
                        + Suggest.didYouMean(key, knownCostNames) + " (expected one of "
                        + (knownCostNames.isEmpty() ? "none: this build has no cost parameters"
                        : String.join(", ", knownCostNames)) + ")");
            }
            costs.put(key, Values.integer(m.get(key), 0, org.ttmsim.hw.CostParams.max(key)));
        }
        return costs;
    }

    private static String word(final YamlMap m, final String key, final List<String> words, final String dflt)
            throws ScenarioException {
        return m.has(key) ? Values.oneOf(m.get(key), words) : dflt;
    }

    private static long integer(final YamlMap m, final String key, final long min, final long max, final long dflt)
            throws ScenarioException {
        return m.has(key) ? Values.integer(m.get(key), min, max) : dflt;
    }

    private static boolean bool(final YamlMap m, final String key, final boolean dflt) throws ScenarioException {
        return m.has(key) ? Values.bool(m.get(key)) : dflt;
    }

    private static long size(final YamlMap m, final String key, final long min, final long max, final String example,
                             final long dflt) throws ScenarioException {
        return m.has(key) ? Values.size(m.get(key), "a size", min, max, true, example) : dflt;
    }
}
