package org.ttmsim.gen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A generated scenario before it becomes YAML: a {@link Header} (machine, device, design, inject) and
 * a list of {@link GenStep}s whose arguments are plain values. {@link ScenarioGenerator} builds one,
 * {@link Shrinker} rewrites it, and {@link #yaml()} prints it as a scenario file in flow style, one step
 * per line, so that a shrunk failure reads like a hand-written scenario.
 *
 * <p>Argument values are: {@link String} (a plain word or name, never quoted), {@link Size} (bytes,
 * printed with a KiB/MiB suffix when exact), {@link Integer}/{@link Long} (plain integers),
 * {@link Boolean}, {@link Place} (a place with flags), {@link DataArg} (data: text, hex or fill) and
 * {@link List}s of those. A {@code null} header field means "left out" (the parser's default).
 *
 * <p>Not covered: {@code costs:}, {@code expect:}, {@code result:}, reads with {@code expect:}, and the
 * v2 keys the parser does not read yet ({@code kernel}, {@code repeat}, {@code host-write}, inject
 * objects).
 */
final class GenScenario {

    /** A size in bytes, printed as {@code 64KiB}, {@code 1MiB} or plain bytes. */
    record Size(long bytes) {
        @Override
        public String toString() {
            final long[] units = {1L << 30, 1L << 20, 1L << 10};
            final String[] names = {"GiB", "MiB", "KiB"};
            for (int i = 0; i < units.length; i++) {
                if (bytes != 0 && bytes % units[i] == 0) {
                    return bytes / units[i] + names[i];
                }
            }
            return Long.toString(bytes);
        }
    }

    /** A place written as a mapping: {@code {type: vram, flags: [contiguous]}}. */
    record Place(String type, List<String> flags) {
        Place {
            flags = List.copyOf(flags);
        }

        @Override
        public String toString() {
            return "{type: " + type + ", flags: [" + String.join(", ", flags) + "]}";
        }
    }

    /** Data of a write: a quoted string, {@code {hex: …}} or {@code {fill: …, length: …}}. */
    sealed interface DataArg {
        /** How many bytes the data spells. */
        int length();
    }

    /** Printable ASCII text, written double-quoted. */
    record Text(String text) implements DataArg {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public String toString() {
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }

    /** Bytes as hex digits. */
    record Hex(String digits) implements DataArg {
        @Override
        public int length() {
            return digits.length() / 2;
        }

        @Override
        public String toString() {
            return "{hex: \"" + digits + "\"}";
        }
    }

    /** {@code length} copies of one byte. */
    record Fill(int value, int length) implements DataArg {
        @Override
        public String toString() {
            return String.format("{fill: 0x%02x, length: %d}", value, length);
        }
    }

    /**
     * Everything above {@code steps:}. Null fields are left out of the file.
     */
    record Header(String name, String description, String encryption, Integer cbit, Boolean smeCoherent, Long ram,
                  Integer cpus, Long swiotlb, String driver, Integer dmaMaskBits, Boolean iommu, Long vram,
                  Boolean dmaAlloc, String design, String kernel, List<String> inject) {
        Header {
            Objects.requireNonNull(name, "name");
            inject = inject == null ? null : List.copyOf(inject);
        }

        /** The header fields in file order, as (key, value) for printing and shrinking. */
        List<Map.Entry<String, Object>> fields() {
            final List<Map.Entry<String, Object>> out = new ArrayList<>();
            out.add(entry("encryption", encryption));
            out.add(entry("cbit", cbit));
            out.add(entry("sme-coherent", smeCoherent));
            out.add(entry("ram", ram == null ? null : new Size(ram)));
            out.add(entry("cpus", cpus));
            out.add(entry("swiotlb", swiotlb == null ? null : new Size(swiotlb)));
            out.add(entry("driver", driver));
            out.add(entry("dma-mask-bits", dmaMaskBits));
            out.add(entry("iommu", iommu));
            out.add(entry("vram", vram == null ? null : new Size(vram)));
            out.add(entry("dma-alloc", dmaAlloc));
            out.add(entry("design", design));
            out.add(entry("kernel", kernel));
            out.add(entry("inject", inject));
            return out;
        }

        /** This header with {@code key} left out (its default). */
        Header without(final String key) {
            return with(key, null);
        }

        /** This header with field {@code key} set to {@code value} (null leaves it out). */
        Header with(final String key, final Object value) {
            return switch (key) {
                case "name" -> new Header((String) value, description, encryption, cbit, smeCoherent, ram, cpus,
                        swiotlb, driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "description" -> new Header(name, (String) value, encryption, cbit, smeCoherent, ram, cpus,
                        swiotlb, driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "encryption" -> new Header(name, description, (String) value, cbit, smeCoherent, ram, cpus,
                        swiotlb, driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "cbit" -> new Header(name, description, encryption, (Integer) value, smeCoherent, ram, cpus,
                        swiotlb, driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "sme-coherent" -> new Header(name, description, encryption, cbit, (Boolean) value, ram, cpus,
                        swiotlb, driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "ram" -> new Header(name, description, encryption, cbit, smeCoherent, bytes(value), cpus,
                        swiotlb, driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "cpus" -> new Header(name, description, encryption, cbit, smeCoherent, ram, (Integer) value,
                        swiotlb, driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "swiotlb" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus,
                        bytes(value), driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "driver" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus, swiotlb,
                        (String) value, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, inject);
                case "dma-mask-bits" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus,
                        swiotlb, driver, (Integer) value, iommu, vram, dmaAlloc, design, kernel, inject);
                case "iommu" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus, swiotlb,
                        driver, dmaMaskBits, (Boolean) value, vram, dmaAlloc, design, kernel, inject);
                case "vram" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus, swiotlb,
                        driver, dmaMaskBits, iommu, bytes(value), dmaAlloc, design, kernel, inject);
                case "dma-alloc" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus, swiotlb,
                        driver, dmaMaskBits, iommu, vram, (Boolean) value, design, kernel, inject);
                case "design" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus, swiotlb,
                        driver, dmaMaskBits, iommu, vram, dmaAlloc, (String) value, kernel, inject);
                case "kernel" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus, swiotlb,
                        driver, dmaMaskBits, iommu, vram, dmaAlloc, design, (String) value, inject);
                case "inject" -> new Header(name, description, encryption, cbit, smeCoherent, ram, cpus, swiotlb,
                        driver, dmaMaskBits, iommu, vram, dmaAlloc, design, kernel, castList(value));
                default -> throw new IllegalArgumentException("no header field " + key);
            };
        }

        private static Long bytes(final Object v) {
            return v == null ? null : v instanceof Size s ? s.bytes() : (Long) v;
        }

        @SuppressWarnings("unchecked")
        private static List<String> castList(final Object v) {
            return (List<String>) v;
        }

        private static Map.Entry<String, Object> entry(final String k, final Object v) {
            return new java.util.AbstractMap.SimpleImmutableEntry<>(k, v);
        }
    }

    /** One step: an operation key and its arguments in the order they are written. */
    record GenStep(String op, Map<String, Object> args) {
        GenStep {
            Objects.requireNonNull(op, "op");
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }

        /** The value of argument {@code key}, or null. */
        Object arg(final String key) {
            return args.get(key);
        }

        /** This step with {@code key} set to {@code value}, in place (null removes it). */
        GenStep with(final String key, final Object value) {
            final Map<String, Object> m = new LinkedHashMap<>(args);
            if (value == null) {
                m.remove(key);
            } else {
                m.put(key, value);
            }
            return new GenStep(op, m);
        }

        /** This step with every name argument ({@code bo}, {@code as}, {@code map}) mapped. */
        GenStep renamed(final Function<String, String> bos, final Function<String, String> maps) {
            final Map<String, Object> m = new LinkedHashMap<>(args);
            m.computeIfPresent("bo", (k, v) -> bos.apply((String) v));
            m.computeIfPresent("as", (k, v) -> maps.apply((String) v));
            m.computeIfPresent("map", (k, v) -> maps.apply((String) v));
            return new GenStep(op, m);
        }

        /** {@code op: {k: v, ...}}. */
        String yaml() {
            final StringBuilder sb = new StringBuilder(op).append(": {");
            boolean first = true;
            for (final Map.Entry<String, Object> e : args.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append(": ").append(value(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
    }

    private final Header header;
    private final List<GenStep> steps;

    GenScenario(final Header header, final List<GenStep> steps) {
        this.header = Objects.requireNonNull(header, "header");
        this.steps = List.copyOf(steps);
    }

    Header header() {
        return header;
    }

    List<GenStep> steps() {
        return steps;
    }

    GenScenario withHeader(final Header h) {
        return new GenScenario(h, steps);
    }

    GenScenario withSteps(final List<GenStep> s) {
        return new GenScenario(header, s);
    }

    /** The scenario as scenario YAML. */
    String yaml() {
        final StringBuilder sb = new StringBuilder();
        sb.append("name: ").append(header.name()).append('\n');
        if (header.description() != null) {
            sb.append("description: ").append(new Text(header.description())).append('\n');
        }
        final List<String> machine = new ArrayList<>();
        final List<String> device = new ArrayList<>();
        String design = null;
        String kernel = null;
        String inject = null;
        for (final Map.Entry<String, Object> f : header.fields()) {
            if (f.getValue() == null) {
                continue;
            }
            final String kv = f.getKey() + ": " + value(f.getValue());
            switch (f.getKey()) {
                case "encryption", "cbit", "sme-coherent", "ram", "cpus", "swiotlb" -> machine.add(kv);
                case "driver", "dma-mask-bits", "iommu", "vram", "dma-alloc" -> device.add(kv);
                case "design" -> design = kv;
                case "kernel" -> kernel = kv;
                default -> inject = kv;
            }
        }
        if (!machine.isEmpty()) {
            sb.append("machine: {").append(String.join(", ", machine)).append("}\n");
        }
        if (!device.isEmpty()) {
            sb.append("device: {").append(String.join(", ", device)).append("}\n");
        }
        if (design != null) {
            sb.append(design).append('\n');
        }
        if (kernel != null) {
            sb.append(kernel).append('\n');
        }
        if (inject != null) {
            sb.append(inject).append('\n');
        }
        sb.append("steps:\n");
        for (final GenStep s : steps) {
            sb.append("  - ").append(s.yaml()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return yaml();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof GenScenario g && g.yaml().equals(yaml());
    }

    @Override
    public int hashCode() {
        return yaml().hashCode();
    }

    /** A value in YAML flow style. */
    static String value(final Object v) {
        if (v instanceof List<?> list) {
            final List<String> items = new ArrayList<>();
            list.forEach(x -> items.add(value(x)));
            return "[" + String.join(", ", items) + "]";
        }
        return String.valueOf(v);
    }
}
