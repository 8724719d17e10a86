package org.ttmsim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.sim.RunRecording;
import org.ttmsim.sim.RunResult;

/**
 * Runs as a Chrome trace ({@code ttmsim run FILE --chrome-trace OUT.json}, README "--chrome-trace"): the JSON object format
 * of the Trace Event Format, {@code {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}},
 * which Perfetto (ui.perfetto.dev) and chrome://tracing open.
 *
 * <p>Time is simulated, never wall-clock: an event's {@code ts} is the run's {@code simulated_ns} when the
 * event was published ({@link Event#simulatedNs}), in microseconds with three decimals (the format's unit), so
 * {@code ts 218.415} is 218415 simulated ns. The components charge an action before publishing it, so an event
 * sits at the end of its own cost. Emulated actions are instant events ({@code "ph": "i"}, thread scope); each
 * scenario step is a complete event ({@code "ph": "X"}) whose {@code dur} is the simulated time it took, with
 * the step's {@code op}, {@code source} ({@code FILE:LINE}) and {@code result} as args.
 *
 * <p>Tracks: each run is a block of five processes, {@code pid = 10 * run + agent} ({@code run} 0-based, so a
 * single run has pids 1 to 5), named by {@code process_name} metadata; a thread is named
 * ({@code thread_name}) only when events are on it:
 *
 * <table>
 * <caption>processes and their threads</caption>
 * <tr><th>pid</th><th>process</th><th>threads (tid: name)</th><th>events</th></tr>
 * <tr><td>1</td><td>CPU</td><td>one per address space that accessed memory, in order of first access
 *     ({@code p1}, {@code kernel} for the kernel's linear map and vmaps), then {@code cache write-back}</td>
 *     <td>cpu-read, cpu-write, cache-writeback, guest-fatal of a CPU access</td></tr>
 * <tr><td>2</td><td>device</td><td>1: DMA engine</td><td>dma-read, dma-write, guest-fatal of a device access</td></tr>
 * <tr><td>3</td><td>kernel</td><td>one per component, with fixed tids in this order: mm, tlb, cache, cpa, dma,
 *     swiotlb, ttm, kernel (WARN), inject, hw (guest-fatal not caused by a CPU or device access)</td><td>everything else: faults, PTEs, flushes, conversions, DMA API, bounces,
 *     TTM</td></tr>
 * <tr><td>4</td><td>hypervisor</td><td>1: hypercalls, 2: host view</td><td>hypercall, host-read, host-write</td></tr>
 * <tr><td>5</td><td>scenario steps</td><td>1: steps</td><td>one slice per step</td></tr>
 * </table>
 *
 * <p>An instant event's {@code name} is the event kind ({@code pte-insert}), {@code cat} its component
 * ({@code mm}), and {@code args} hold {@code step}, {@code seq} (position on the run's bus), {@code pfn}
 * ({@code "0x4400"}, when the event names a frame), {@code key} (when an access used one) and {@code detail}
 * (the sentence {@code --trace} prints). Several runs (several files) share one file, one pid block each,
 * each starting at simulated time 0; {@code otherData.runs} says which block is which run.
 *
 * <p>Deterministic: the events are written in bus order (so {@code ts} never decreases along a track), thread
 * ids follow first appearance, and no map is hash-ordered; the same runs give the same bytes.
 */
public final class ChromeTrace {
    /** Processes per run; run {@code r}'s agent {@code a} is pid {@code PIDS_PER_RUN * r + a}. */
    public static final int PIDS_PER_RUN = 10;
    public static final int CPU = 1;
    public static final int DEVICE = 2;
    public static final int KERNEL = 3;
    public static final int HYPERVISOR = 4;
    public static final int STEPS = 5;
    private static final String[] AGENT_NAMES = {null, "CPU", "device", "kernel", "hypervisor", "scenario steps"};
    /** Top to bottom in a viewer: the steps, then the CPU, the kernel below it, the device, the hypervisor. */
    private static final int[] SORT = {0, 1, 3, 2, 4, 0};
    /** The kernel's threads, one per event component, in this order. */
    private static final List<String> KERNEL_THREADS = List.of("mm", "tlb", "cache", "cpa", "dma", "swiotlb", "ttm",
            "kernel", "inject", "hw");
    private static final String CACHE_WRITEBACK_THREAD = "cache write-back";
    /** A CPU access stopped by hardware: {@code p1 write at 0x7f00...} ({@code mm.CpuAccess}). */
    private static final Pattern CPU_FATAL = Pattern.compile("^(\\S+) (?:read|write) at 0x");

    private ChromeTrace() {
    }

    /** The whole trace as text. */
    public static String render(final List<RunRecording> runs) {
        final StringWriter w = new StringWriter();
        try {
            write(runs, w);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Writes the trace, one trace event a line: first every run's metadata (process and thread names, sort
     * order), then each run's step slices and its events in bus order.
     */
    public static void write(final List<RunRecording> runs, final Writer out) throws IOException {
        final List<Tracks> tracks = new ArrayList<>(runs.size());
        for (int r = 0; r < runs.size(); r++) {
            tracks.add(Tracks.of(runs.get(r), r * PIDS_PER_RUN));
        }
        out.write("{\"traceEvents\":[");
        final Separator sep = new Separator(out);
        for (int r = 0; r < runs.size(); r++) {
            metadata(sep, runs.get(r).result(), tracks.get(r), r, runs.size());
        }
        for (int r = 0; r < runs.size(); r++) {
            final RunRecording run = runs.get(r);
            final Tracks t = tracks.get(r);
            for (final RunRecording.StepSpan s : run.steps()) {
                final ObjectNode o = event("step " + s.index() + " " + s.op(), "step", "X", s.startNs(),
                        t.base + STEPS, 1);
                o.put("dur", micros(s.endNs() - s.startNs()));
                final ObjectNode args = o.putObject("args");
                args.put("step", s.index());
                args.put("op", s.op());
                args.put("source", s.source());
                args.put("result", s.result());
                sep.write(o);
            }
            for (final Event e : run.events()) {
                final int[] track = t.trackOf(e);
                final ObjectNode o = event(e.kind().label(), e.kind().component(), "i", e.simulatedNs(), track[0],
                        track[1]);
                o.put("s", "t");
                final ObjectNode args = o.putObject("args");
                args.put("step", e.step());
                args.put("seq", e.seq());
                if (e.pfn() >= 0) {
                    args.put("pfn", "0x" + Long.toHexString(e.pfn()));
                }
                if (e.key() != null) {
                    args.put("key", e.key().label());
                }
                args.put("detail", e.detail());
                sep.write(o);
            }
        }
        out.write("\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":");
        out.write(json(otherData(runs)));
        out.write("}\n");
    }

    private static ObjectNode otherData(final List<RunRecording> runs) {
        final ObjectNode o = ResultJson.mapper().createObjectNode();
        o.put("generator", "ttmsim run --chrome-trace");
        o.put("clock", "simulated: ts is the run's simulated_ns / 1000 (us), not wall-clock time");
        final var list = o.putArray("runs");
        for (int r = 0; r < runs.size(); r++) {
            final RunResult res = runs.get(r).result();
            final ObjectNode n = list.addObject();
            n.put("pid_first", r * PIDS_PER_RUN + 1);
            n.put("pid_last", r * PIDS_PER_RUN + STEPS);
            n.put("scenario", res.scenario());
            n.put("file", res.file());
            n.put("design", res.design());
            n.put("mode", res.mode());
            n.put("kernel", res.kernel());
            n.put("verdict", res.verdict());
            n.put("simulated_ns", runs.get(r).endNs());
            n.put("events", runs.get(r).events().size());
        }
        return o;
    }

    private static void metadata(final Separator sep, final RunResult res, final Tracks t, final int run,
            final int runs) throws IOException {
        final String suffix = runs == 1 ? "" : " [run " + (run + 1) + ": " + res.scenario() + ", " + res.design()
                + ", " + res.mode() + ", " + res.kernel() + "]";
        for (int agent = CPU; agent <= STEPS; agent++) {
            final int pid = t.base + agent;
            sep.write(meta("process_name", pid, 0, "name", AGENT_NAMES[agent] + suffix));
            final ObjectNode sort = meta("process_sort_index", pid, 0, null, null);
            sort.putObject("args").put("sort_index", t.base + SORT[agent]);
            sep.write(sort);
            final Map<String, Integer> threads = t.threads.get(agent);
            for (final Map.Entry<String, Integer> th : threads.entrySet()) {
                if (!t.used(pid, th.getValue())) {
                    continue; // named only where something happened: no empty tracks
                }
                sep.write(meta("thread_name", pid, th.getValue(), "name", th.getKey()));
                final ObjectNode ts = meta("thread_sort_index", pid, th.getValue(), null, null);
                ts.putObject("args").put("sort_index", th.getValue());
                sep.write(ts);
            }
        }
    }

    private static ObjectNode meta(final String name, final int pid, final int tid, final String key,
            final String value) {
        final ObjectNode o = ResultJson.mapper().createObjectNode();
        o.put("name", name);
        o.put("ph", "M");
        o.put("ts", 0);
        o.put("pid", pid);
        o.put("tid", tid);
        if (key != null) {
            o.putObject("args").put(key, value);
        }
        return o;
    }

    private static ObjectNode event(final String name, final String cat, final String ph, final long ns,
            final int pid, final int tid) {
        final ObjectNode o = ResultJson.mapper().createObjectNode();
        o.put("name", name);
        o.put("cat", cat);
        o.put("ph", ph);
        o.put("ts", micros(ns));
        o.put("pid", pid);
        o.put("tid", tid);
        return o;
    }

    /** Nanoseconds as microseconds with exactly three decimals ({@code 218415} → {@code 218.415}). */
    static BigDecimal micros(final long ns) {
        return BigDecimal.valueOf(ns, 3);
    }

    private static String json(final ObjectNode o) {
        try {
            return ResultJson.mapper().writeValueAsString(o);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes trace events separated by commas, one a line. */
    private static final class Separator {
        private final Writer out;
        private boolean first = true;

        Separator(final Writer out) {
            this.out = out;
        }

        void write(final ObjectNode o) throws IOException {
            out.write(first ? "\n" : ",\n");
            first = false;
            out.write(json(o));
        }
    }

    /** One run's pid block and the threads each agent needs, assigned before anything is written. */
    private static final class Tracks {
        private final int base;
        /** Per agent (index = agent), thread name → tid, in tid order. */
        private final List<Map<String, Integer>> threads = new ArrayList<>();
        /** The (pid, tid) pairs that carry events, as {@code pid << 32 | tid}. */
        private final java.util.Set<Long> used = new java.util.HashSet<>();

        private Tracks(final int base) {
            this.base = base;
            for (int a = 0; a <= STEPS; a++) {
                threads.add(new LinkedHashMap<>());
            }
        }

        static Tracks of(final RunRecording run, final int base) {
            final Tracks t = new Tracks(base);
            t.threads.get(DEVICE).put("DMA engine", 1);
            t.threads.get(HYPERVISOR).put("hypercalls", 1);
            t.threads.get(HYPERVISOR).put("host view", 2);
            t.threads.get(STEPS).put("steps", 1);
            for (int i = 0; i < KERNEL_THREADS.size(); i++) {
                t.threads.get(KERNEL).put(KERNEL_THREADS.get(i), i + 1);
            }
            // CPU threads in order of first appearance; the cache's write-backs after the address spaces.
            boolean writeBacks = false;
            for (final Event e : run.events()) {
                final String space = cpuSpace(e);
                if (space != null) {
                    t.threads.get(CPU).putIfAbsent(space, t.threads.get(CPU).size() + 1);
                }
                writeBacks |= e.kind() == EventKind.CACHE_WRITEBACK;
            }
            if (writeBacks) {
                t.threads.get(CPU).put(CACHE_WRITEBACK_THREAD, t.threads.get(CPU).size() + 1);
            }
            for (final Event e : run.events()) {
                final int[] track = t.trackOf(e);
                t.used.add(((long) track[0] << 32) | track[1]);
            }
            if (!run.steps().isEmpty()) {
                t.used.add(((long) (base + STEPS) << 32) | 1);
            }
            return t;
        }

        /** Whether any event is on thread {@code tid} of process {@code pid}. */
        boolean used(final int pid, final int tid) {
            return used.contains(((long) pid << 32) | tid);
        }

        /** {pid, tid} of an event. */
        int[] trackOf(final Event e) {
            final String space = cpuSpace(e);
            if (space != null) {
                return new int[] {base + CPU, threads.get(CPU).get(space)};
            }
            return switch (e.kind()) {
                case CACHE_WRITEBACK -> new int[] {base + CPU, threads.get(CPU).get(CACHE_WRITEBACK_THREAD)};
                case DMA_READ, DMA_WRITE -> new int[] {base + DEVICE, 1};
                case HYPERCALL -> new int[] {base + HYPERVISOR, 1};
                case HOST_READ, HOST_WRITE -> new int[] {base + HYPERVISOR, 2};
                case GUEST_FATAL -> e.detail().startsWith("device ") ? new int[] {base + DEVICE, 1}
                        : new int[] {base + KERNEL, threads.get(KERNEL).get("hw")};
                default -> new int[] {base + KERNEL,
                    threads.get(KERNEL).getOrDefault(e.kind().component(), threads.get(KERNEL).get("kernel"))};
            };
        }

        /**
         * The address space of a CPU access ({@code p1}, {@code kernel}): the first word of a cpu-read or
         * cpu-write's detail, or of a CPU access that hardware stopped; null for any other event.
         */
        static String cpuSpace(final Event e) {
            if (e.kind() == EventKind.CPU_READ || e.kind() == EventKind.CPU_WRITE) {
                final String d = e.detail();
                final int space = d.indexOf(' ');
                return space > 0 ? d.substring(0, space) : d;
            }
            if (e.kind() == EventKind.GUEST_FATAL) {
                final Matcher m = CPU_FATAL.matcher(e.detail());
                return m.find() ? m.group(1) : null;
            }
            return null;
        }
    }
}
