package org.ttmsim.explore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ttmsim.scenario.Data;
import org.ttmsim.driver.DeviceSpec;
import org.ttmsim.scenario.MachineSpec;
import org.ttmsim.scenario.PlaceSpec;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Step;

/**
 * Writes steps and a scenario's configuration back as docs/SCENARIOS.md YAML, in flow style, so that the scenario
 * parser reads back the same records: the explorer's operations and its counterexample files.
 * Arguments equal to their defaults are left out.
 */
final class StepYaml {
    private StepYaml() {
    }

    /** The step as one flow mapping, e.g. {@code validate: {bo: A, placement: [vram]}} (no {@code result:}). */
    static String step(final Step step) {
        final List<String> args = new ArrayList<>();
        if (step instanceof Step.Create s) {
            args.add("bo: " + word(s.bo()));
            args.add("size: " + size(s.size()));
            args.add("placement: " + placement(s.placement()));
            optional(args, "caching", s.caching(), Step.Create.DEFAULT_CACHING);
            optional(args, "type", s.type(), Step.Create.DEFAULT_TYPE);
            if (s.priority() != Step.Create.DEFAULT_PRIORITY) {
                args.add("priority: " + s.priority());
            }
        } else if (step instanceof Step.Validate s) {
            args.add("bo: " + word(s.bo()));
            args.add("placement: " + placement(s.placement()));
        } else if (step instanceof Step.Mmap s) {
            args.add("bo: " + word(s.bo()));
            args.add("as: " + word(s.as()));
            optional(args, "process", s.process(), Step.Mmap.DEFAULT_PROCESS);
            if (s.isPrivate() != Step.Mmap.DEFAULT_PRIVATE) {
                args.add("private: " + s.isPrivate());
            }
            optional(args, "prot", s.prot(), Step.Mmap.DEFAULT_PROT);
        } else if (step instanceof Step.Mprotect s) {
            args.add("map: " + word(s.map()));
            args.add("prot: " + s.prot());
        } else if (step instanceof Step.Munmap s) {
            args.add("map: " + word(s.map()));
        } else if (step instanceof Step.PoolShrink s) {
            args.add("pages: " + s.pages());
        } else if (step instanceof Step.PageAlloc s) {
            args.add("as: " + word(s.alloc()));
            args.add("pages: " + s.pages());
        } else if (step instanceof Step.PageFree s) {
            args.add("alloc: " + word(s.alloc()));
        } else if (step instanceof Step.Read r) {
            args.add(target(step));
            args.add("offset: " + r.offset());
            args.add("length: " + r.length());
            if (r.expect() != null) {
                args.add("expect: " + data(r.expect()));
            }
        } else if (step instanceof Step.Write w) {
            args.add(target(step));
            args.add("offset: " + w.offset());
            args.add("data: " + data(w.data()));
        } else {
            args.add("bo: " + word(((Step.OnBo) step).bo()));
        }
        return step.op() + ": {" + String.join(", ", args) + "}";
    }

    private static String target(final Step step) {
        if (step instanceof Step.OnPages p) {
            return "alloc: " + word(p.alloc());
        }
        return step instanceof Step.OnMap m ? "map: " + word(m.map()) : "bo: " + word(((Step.OnBo) step).bo());
    }

    private static void optional(final List<String> args, final String key, final String value, final String def) {
        if (!def.equals(value)) {
            args.add(key + ": " + word(value));
        }
    }

    /** A name or word: plain when YAML reads it back as the same string, double-quoted otherwise. */
    static String word(final String w) {
        return w.matches("[A-Za-z_][A-Za-z0-9_.#-]*") && !List.of("true", "false", "null", "yes", "no", "on", "off",
                "y", "n").contains(w.toLowerCase(java.util.Locale.ROOT)) ? w : quoted(w);
    }

    /** A YAML double-quoted string (JSON escapes are YAML escapes). */
    static String quoted(final String s) {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Bytes as the shortest faithful form: printable text, a fill, or hex. */
    static String data(final Data d) {
        if (d.isFill() && d.length() >= 8) {
            return String.format("{fill: 0x%02X, length: %d}", d.byteAt(0), d.length());
        }
        final byte[] b = d.bytes();
        if (b.length >= 8 && allSame(b)) {
            return String.format("{fill: 0x%02X, length: %d}", b[0] & 0xff, b.length);
        }
        if (printable(b)) {
            return quoted(new String(b, StandardCharsets.US_ASCII));
        }
        return "{hex: \"" + d.hex() + "\"}";
    }

    private static boolean allSame(final byte[] b) {
        for (final byte x : b) {
            if (x != b[0]) {
                return false;
            }
        }
        return true;
    }

    private static boolean printable(final byte[] b) {
        if (b.length == 0) {
            return false;
        }
        for (final byte x : b) {
            if (x < 0x20 || x > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A size with the largest exact unit (64KiB), or bytes. */
    static String size(final long bytes) {
        final String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            final long unit = 1L << (10 * (4 - i));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    static String placement(final List<PlaceSpec> places) {
        final List<String> out = new ArrayList<>();
        for (final PlaceSpec p : places) {
            out.add(p.flags().isEmpty() ? p.memType()
                    : "{type: " + p.memType() + ", flags: [" + String.join(", ", p.flags()) + "]}");
        }
        return "[" + String.join(", ", out) + "]";
    }

    /**
     * The configuration part of a scenario file (everything but name, description, steps and expect) for
     * one design, mode and kernel (null: the design's own release, no {@code kernel:} line): machine, device, design, kernel, inject, costs. Every value is written,
     * defaults included, so the file does not depend on defaults that may change.
     */
    static String configuration(final Scenario s, final String design, final String mode, final String kernel) {
        final MachineSpec m = s.machine();
        final DeviceSpec d = s.device();
        final StringBuilder sb = new StringBuilder();
        sb.append("machine: {encryption: ").append(mode).append(", cbit: ").append(m.cbit())
                .append(", sme-coherent: ").append(m.smeCoherent()).append(", ram: ").append(size(m.ramBytes()))
                .append(", cpus: ").append(m.cpus());
        if (m.swiotlbBytes() != null) {
            sb.append(", swiotlb: ").append(size(m.swiotlbBytes()));
        }
        if (m.lowMemoryBytes() != null) {
            sb.append(", low-memory: ").append(size(m.lowMemoryBytes()));
        }
        sb.append("}\n");
        sb.append("device: {driver: ").append(d.driver()).append(", dma-mask-bits: ").append(d.dmaMaskBits())
                .append(", iommu: ").append(d.iommu()).append(", vram: ").append(size(d.vramBytes()));
        if (d.dmaAlloc() != null) {
            sb.append(", dma-alloc: ").append(d.dmaAlloc());
        }
        if (!d.dmaApi()) {
            sb.append(", dma-api: false");
        }
        if (d.maxSegmentBytes() != null) {
            sb.append(", max-segment: ").append(size(d.maxSegmentBytes()));
        }
        if (!d.chip().equals(DeviceSpec.DEFAULT_CHIP)) {
            sb.append(", chip: ").append(d.chip());
        }
        sb.append("}\n");
        sb.append("design: ").append(design).append('\n');
        if (kernel != null) {
            sb.append("kernel: ").append(kernel).append('\n');
        }
        sb.append("inject: [").append(String.join(", ", s.inject().stream()
                .map(org.ttmsim.scenario.InjectSpec::toYaml).toList())).append("]\n");
        if (!s.costs().isEmpty()) {
            final List<String> costs = new ArrayList<>();
            for (final Map.Entry<String, Long> e : s.costs().entrySet()) {
                costs.add(e.getKey() + ": " + e.getValue());
            }
            sb.append("costs: {").append(String.join(", ", costs)).append("}\n");
        }
        return sb.toString();
    }
}
