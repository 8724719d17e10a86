package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ttmsim.check.Violation;
import org.ttmsim.design.Design;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.CostParams;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.scenario.MachineSpec;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Step;
import org.ttmsim.release.KernelRelease;

/**
 * Runs one scenario under one design and mode: concludes the machine, boots the kernel and the
 * driver's TTM device, runs every step (setting the step on the event bus, so every event is
 * attributed), lets the monitors judge after each step, and assembles the result (docs/SCENARIOS.md, "Results").
 */
public final class ScenarioRunner {
    /**
     * The verdict of a run whose mode the release cannot boot (a TDX guest on v5.4): nothing ran; the
     * {@code error} says why. The matrix shows it as {@code -}; {@code run} refuses it as bad input.
     */
    public static final String NOT_APPLICABLE = "n/a";

    private ScenarioRunner() {
    }

    public static RunResult run(final Scenario s, final RunOptions options) {
        return run(s, options, null);
    }

    /**
     * Runs as {@link #run(Scenario, RunOptions)} does, with the same result, and keeps the run's timeline:
     * every event and each step's simulated start and end ({@code run --chrome-trace}). The event log is
     * kept whatever {@code options.keepTrace()} says; the result's trace lines follow it as usual.
     */
    public static RunRecording record(final Scenario s, final RunOptions options) {
        final Timeline timeline = new Timeline();
        final RunResult result = run(s, options, timeline);
        return new RunRecording(result, timeline.events, timeline.steps, timeline.endNs);
    }

    /** What {@link #record} collects while the run goes. */
    private static final class Timeline {
        private final List<RunRecording.StepSpan> steps = new ArrayList<>();
        private List<org.ttmsim.hw.Event> events = List.of();
        private long endNs;
    }

    private static RunResult run(final Scenario s, final RunOptions options, final Timeline timeline) {
        final String design = options.design() != null ? options.design() : s.design();
        final String mode = options.mode() != null ? options.mode() : s.machine().encryption();
        final Design d = Designs.byId(design);
        final KernelRelease release = release(s, options, d);
        final String kernel = release.id();
        final MachineConfig config;
        try {
            final String unbootable = org.ttmsim.dma.Kernel.bootProblem(EncryptionMode.fromId(mode), release);
            if (unbootable != null) {
                return new RunResult(s.name(), s.file(), design, mode, kernel, NOT_APPLICABLE, unbootable, List.of(),
                        List.of(), List.of(), Map.of(), new org.ttmsim.hw.CostLedger().snapshot(), List.of(),
                        List.of());
            }
            config = machineConfig(s, EncryptionMode.fromId(mode));
        } catch (final IllegalArgumentException e) {
            return errorResult(s, design, mode, kernel, e.getMessage());
        }
        final World world = new World(s, config, d, release, options.keepTrace() || timeline != null);
        final org.ttmsim.hw.CostLedger ledger = world.machine().ledger();
        final List<StepResult> steps = new ArrayList<>();
        final List<Violation> violations = new ArrayList<>();
        final SteppedRun stepped = new SteppedRun(world);
        String error = null;
        for (final Step step : s.steps()) {
            final String source = StepResult.sourceOf(step.pos());
            final boolean runs = !stepped.terminated();
            final long startNs = ledger.simulatedNs();
            final SteppedRun.Outcome o = stepped.step(step);
            if (o.error() != null) {
                error = o.error();
                span(timeline, step, source, "error", startNs, ledger);
                break;
            }
            steps.add(o.result());
            violations.addAll(o.violations());
            if (runs) {
                span(timeline, step, source, o.result().result(), startNs, ledger);
            }
        }
        if (timeline != null) {
            timeline.events = world.machine().bus().log();
            timeline.endNs = ledger.simulatedNs();
        }
        final Map<String, Object> state = world.finalState();
        final List<String> trace = options.keepTrace() ? trace(world, options.traceLimit()) : List.of();
        if (error != null) {
            return new RunResult(s.name(), s.file(), design, mode, kernel, "error", error, List.of(), violations, steps,
                    state, world.machine().ledger().snapshot(), trace, world.frames());
        }
        final Map<String, Long> costs = world.machine().ledger().snapshot();
        final Expectations.Judgement j = Expectations.judge(s, design, mode, kernel, steps, violations, state, costs);
        return new RunResult(s.name(), s.file(), design, mode, kernel, j.verdict(), null, j.failures(), violations,
                j.steps(), state, costs, trace, world.frames(), j.note());
    }

    private static void span(final Timeline timeline, final Step step, final String source, final String result,
            final long startNs, final org.ttmsim.hw.CostLedger ledger) {
        if (timeline != null) {
            timeline.steps.add(new RunRecording.StepSpan(step.index(), step.op(), source, result, startNs,
                    ledger.simulatedNs()));
        }
    }

    /** Frames of a model error's stack kept in the result: enough to find the bug, few enough to read. */
    private static final int ERROR_FRAMES = 40;

    /**
     * A model error as text a user can report: the step, the exception and its stack (first line, then
     * {@code \tat ...} frames, as {@code printStackTrace} writes them). Deterministic: the launcher runs the
     * JVM with {@code -XX:-OmitStackTraceInFastThrow}, so a JIT-compiled throw keeps its message and stack.
     */
    static String modelError(final Step step, final Throwable e) {
        final StringBuilder sb = new StringBuilder();
        sb.append("step ").append(step.index()).append(" (").append(step.op()).append("): model error: ").append(e);
        final StackTraceElement[] frames = e.getStackTrace();
        // Up to the runner's own frame: what called the runner (CLI, matrix thread, the explorer, a test) is
        // not the model, and would make the same error read differently from run, matrix and explore.
        int shown = 0;
        while (shown < frames.length && shown < ERROR_FRAMES) {
            sb.append("\n\tat ").append(frames[shown]);
            if (frames[shown].getClassName().equals(SteppedRun.class.getName())
                    && frames[shown].getMethodName().equals("step")) {
                break;
            }
            shown++;
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append("\nCaused by: ").append(c);
        }
        return sb.toString();
    }

    /**
     * Why the scenario's machine cannot exist under this design and mode (e.g. RAM above the C-bit of an
     * SME machine), or null when it can. The commands check this before running: such a run is bad input
     * (exit 2), not an error of the model.
     */
    public static String configurationProblem(final Scenario s, final RunOptions options) {
        final String mode = options.mode() != null ? options.mode() : s.machine().encryption();
        final String design = options.design() != null ? options.design() : s.design();
        final String unbootable = org.ttmsim.dma.Kernel.bootProblem(EncryptionMode.fromId(mode),
                release(s, options, Designs.byId(design)));
        if (unbootable != null) {
            return s.file() + ": " + unbootable + " (pick a release with --kernel; `ttmsim kernels` lists them)";
        }
        return machineProblem(s, mode);
    }

    /** Why the scenario's machine cannot exist in {@code mode} (RAM above an SME C-bit), or null. */
    public static String machineProblem(final Scenario s, final String mode) {
        try {
            machineConfig(s, EncryptionMode.fromId(mode));
            return null;
        } catch (final IllegalArgumentException e) {
            return s.file() + ": under mode " + mode + ": " + e.getMessage();
        }
    }

    /** The concluded configuration, then every event in order. */
    private static List<String> trace(final World world, final int limit) {
        final MachineConfig c = world.machine().config();
        final List<String> lines = new ArrayList<>();
        lines.add(String.format("[config] machine: encryption %s, cbit %d, sme-coherent %s, ram %d, low-memory %d, cpus %d,"
                + " swiotlb %d, vram %d at 0x%x, cache %d lines, inject %s", c.mode().id(), c.cbit(), c.smeCoherent(),
                c.ramBytes(), c.lowMemoryBytes(), c.cpus(), world.kernel().swiotlb().bytes(), c.vramBytes(), c.vramBase(),
                c.cacheLines(),
                c.injections().stream().map(org.ttmsim.hw.InjectionRule::label).toList()));
        lines.add("[config] boot: " + world.kernel().swiotlbBoot().outcome());
        lines.add("[config] probe: " + world.driver().probe());
        lines.add(String.format("[config] device: driver %s, dma-mask-bits %d, iommu %s, DMA %s, force_dma_unencrypted %s;"
                + " design %s; kernel %s", world.driver().id(), world.driver().dmaDevice().coherentMaskBits(),
                world.driver().dmaDevice().iommu(), world.driver().dmaMode(),
                world.kernel().dma().forceDmaUnencrypted(world.driver().dmaDevice()), world.design().id(),
                world.kernel().release().id()));
        final List<org.ttmsim.hw.Event> log = world.machine().bus().log();
        final int kept = limit > 0 ? Math.min(limit, log.size()) : log.size();
        for (int i = 0; i < kept; i++) {
            lines.add(log.get(i).traceLine());
        }
        if (kept < log.size()) {
            lines.add(String.format("[trace] %d more events not kept here; `ttmsim run FILE --design %s --mode %s"
                    + " --trace` prints them all", log.size() - kept, world.design().id(), c.mode().id()));
        }
        return lines;
    }

    /** The scenario's machine, concluded (SWIOTLB default per mode, VRAM from the device). */
    static MachineConfig machineConfig(final Scenario s, final EncryptionMode mode) {
        final MachineSpec m = s.machine();
        final List<org.ttmsim.hw.InjectionRule> inject = s.inject().stream().map(i -> new org.ttmsim.hw.InjectionRule(
                Injection.fromId(i.id()), i.nth(), i.fromStep(), i.toStep())).toList();
        return MachineConfig.conclude(mode, m.cbit(), m.smeCoherent(), m.ramBytes(), m.cpus(),
                m.swiotlbBytes() == null ? -1 : m.swiotlbBytes(), s.device().vramBytes(), inject,
                CostParams.defaults().with(s.costs()), org.ttmsim.hw.CpuCache.DEFAULT_LINES)
                .withLowMemory(m.lowMemoryBytes() != null ? m.lowMemoryBytes()
                        : MachineConfig.defaultLowMemory(m.ramBytes()));
    }

    private static RunResult errorResult(final Scenario s, final String design, final String mode,
            final String kernel, final String why) {
        return new RunResult(s.name(), s.file(), design, mode, kernel, "error", why, List.of(), List.of(), List.of(),
                Map.of(), new org.ttmsim.hw.CostLedger().snapshot(), List.of(), List.of());
    }

    /**
     * The release a run uses (docs/SCENARIOS.md, "design and kernel"): the override, else the file's {@code kernel:}, else the design's
     * own release.
     */
    static KernelRelease release(final Scenario s, final RunOptions options, final Design design) {
        if (options.kernel() != null) {
            return KernelRelease.parse(options.kernel());
        }
        return s.kernel() != null ? KernelRelease.parse(s.kernel()) : design.ownRelease();
    }
}
