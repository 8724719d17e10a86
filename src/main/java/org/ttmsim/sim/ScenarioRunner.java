package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ttmsim.check.Violation;
import org.ttmsim.hw.Errno;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Step;

/**
 * Runs one scenario under one design, mode and kernel through the public library: the scenario's sections
 * become a {@link Context} (with the options' overrides), a {@link Session} boots it and runs every step,
 * and the runner judges the expectations ({@link Expectations}) and assembles the result (docs/SCENARIOS.md, "Results").
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
        final Context ctx = context(s, options).keepTrace(options.keepTrace() || timeline != null);
        final String design = ctx.designId();
        final String mode = ctx.encryptionId();
        final String kernel = ctx.releaseId();
        final Session session;
        try {
            session = Session.open(ctx);
        } catch (final Context.NotBootable e) {
            return new RunResult(s.name(), s.file(), design, mode, kernel, NOT_APPLICABLE, e.getMessage(), List.of(),
                    List.of(), List.of(), Map.of(), new org.ttmsim.hw.CostLedger().snapshot(), List.of(), List.of());
        } catch (final IllegalArgumentException e) {
            return errorResult(s, design, mode, kernel, e.getMessage());
        }
        String error = null;
        for (final Step step : s.steps()) {
            final SteppedRun.Outcome o = session.step(step);
            final String source = StepResult.sourceOf(step.pos());
            if (o.error() != null) {
                error = o.error();
                span(timeline, step, source, "error", o);
                break;
            }
            if (!Errno.name(Errno.NOT_RUN).equals(o.result().result())) {
                span(timeline, step, source, o.result().result(), o);
            }
        }
        if (timeline != null) {
            timeline.events = session.trace();
            timeline.endNs = session.simulatedNs();
        }
        final Map<String, Object> state = session.state();
        final List<String> trace = options.keepTrace() ? session.traceLines(options.traceLimit()) : List.of();
        final List<StepResult> steps = session.results();
        final List<Violation> violations = session.violations();
        final Map<String, Long> costs = session.costs();
        if (error != null) {
            return new RunResult(s.name(), s.file(), design, mode, kernel, "error", error, List.of(), violations, steps,
                    state, costs, trace, session.frames());
        }
        final Expectations.Judgement j = Expectations.judge(s, design, mode, kernel, steps, violations, state, costs);
        return new RunResult(s.name(), s.file(), design, mode, kernel, j.verdict(), null, j.failures(), violations,
                j.steps(), state, costs, trace, session.frames(), j.note());
    }

    /** The context of a run: the scenario's sections with the options' design, mode and kernel over them. */
    static Context context(final Scenario s, final RunOptions options) {
        final Context ctx = Context.of(s).readBytesKept(options.readBytesKept());
        if (options.design() != null) {
            ctx.design(options.design());
        }
        if (options.mode() != null) {
            ctx.encryption(options.mode());
        }
        if (options.kernel() != null) {
            ctx.kernel(options.kernel());
        }
        return ctx;
    }

    private static void span(final Timeline timeline, final Step step, final String source, final String result,
            final SteppedRun.Outcome o) {
        if (timeline != null) {
            timeline.steps.add(new RunRecording.StepSpan(step.index(), step.op(), source, result, o.startNs(),
                    o.endNs()));
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
        // Up to the stepped run's own frame: what drove it (the runner from the CLI or a matrix thread, the
        // explorer, a test, a user's program through a Session) is not the model, and would make the same
        // error read differently from run, matrix and explore.
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
        try {
            context(s, options).conclude();
            return null;
        } catch (final Context.NotBootable e) {
            return s.file() + ": " + e.getMessage() + " (pick a release that can boot it: `ttmsim kernels` lists"
                    + " them)";
        } catch (final IllegalArgumentException e) {
            return s.file() + ": under mode " + (options.mode() != null ? options.mode() : s.machine().encryption())
                    + ": " + e.getMessage();
        }
    }

    /** Why the scenario's machine cannot exist in {@code mode} (RAM above an SME C-bit), or null. */
    public static String machineProblem(final Scenario s, final String mode) {
        try {
            Context.of(s).encryption(mode).conclude();
            return null;
        } catch (final Context.NotBootable e) {
            return null; // a mode its kernel cannot boot is a matrix cell marked n/a, not a machine problem
        } catch (final IllegalArgumentException e) {
            return s.file() + ": under mode " + mode + ": " + e.getMessage();
        }
    }

    private static RunResult errorResult(final Scenario s, final String design, final String mode,
            final String kernel, final String why) {
        return new RunResult(s.name(), s.file(), design, mode, kernel, "error", why, List.of(), List.of(), List.of(),
                Map.of(), new org.ttmsim.hw.CostLedger().snapshot(), List.of(), List.of());
    }
}
