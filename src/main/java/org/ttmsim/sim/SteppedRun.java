package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.check.Violation;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.GuestTerminated;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Step;

/**
 * One run advanced a step at a time, keeping no history: what every run does for each step (attribute
 * events to the step, execute it, run the delayed-destruction workqueue, let every monitor judge). A
 * {@link Session} is a stepped run that keeps its results and offers typed operations; the explorer drives
 * this class directly, operation by operation, and forks it in between. So a sequence run by the explorer,
 * by a program through a {@link Session}, and from a scenario file ({@link ScenarioRunner}) behave
 * identically.
 *
 * <p>The object owns the whole run state and nothing else: forking it is copying its object graph (the
 * explorer's {@code StateCopier}). It keeps no history: each {@link #step} returns what the step did.
 */
public final class SteppedRun {
    private final World world;
    private final StepExecutor exec;
    /** Why the steps after a guest termination are not run, or null while the guest lives. */
    private String terminated;

    private SteppedRun(final World world) {
        this.world = world;
        this.exec = new StepExecutor(world);
    }

    /**
     * Boots the concluded context's machine, kernel and driver (concluding it first if needed); no step runs.
     *
     * @throws Context.NotBootable      when the release cannot boot the mode
     * @throws IllegalArgumentException when a setting is wrong (see {@link Context#conclude()})
     */
    public static SteppedRun boot(final Context context) {
        return new SteppedRun(new World(context.conclude()));
    }

    /**
     * Boots the machine, kernel and driver of {@code s} under the options' design, mode and kernel; no
     * step runs. Callers check {@link ScenarioRunner#configurationProblem} first.
     *
     * @throws IllegalArgumentException when the configuration cannot boot (the message says why)
     */
    public static SteppedRun boot(final Scenario s, final RunOptions options) {
        return boot(ScenarioRunner.context(s, options).keepTrace(options.keepTrace()));
    }

    /**
     * What one step did.
     *
     * @param result     the step's result; null when the model failed ({@code error} says why)
     * @param violations the invariants the monitors found broken by this step, in monitor order
     * @param error      a model error (an exception inside the model) with its stack, or null
     * @param startNs    the run's {@code simulated_ns} before the step
     * @param endNs      the run's {@code simulated_ns} after it
     */
    public record Outcome(StepResult result, List<Violation> violations, String error, long startNs, long endNs) {
        public Outcome {
            violations = List.copyOf(violations);
        }

        /** Whether the step ran and returned {@code ok}. */
        public boolean ok() {
            return result != null && Errno.name(Errno.OK).equals(result.result());
        }

        /** {@code ok}, or the errno or signal name ({@code ENOMEM}, {@code SIGBUS}, ...); {@code error} on a model error. */
        public String errno() {
            return result != null ? result.result() : "error";
        }

        /** The bytes a read returned (as many as the context keeps), or null. */
        public byte[] data() {
            return result != null ? result.data() : null;
        }

        /** The distinct invariant ids this step broke, in order. */
        public List<String> violatedIds() {
            return violations.stream().map(v -> v.invariant().id()).distinct().toList();
        }
    }

    /**
     * Runs {@code step} (whose index attributes its events and violations). After a model error the run
     * must not be stepped again.
     */
    public Outcome step(final Step step) {
        world.machine().bus().setStep(step.index());
        final long startNs = world.machine().ledger().simulatedNs();
        final String source = StepResult.sourceOf(step.pos());
        if (terminated != null) {
            return new Outcome(StepExecutor.done(step, Errno.NOT_RUN, terminated).withSource(source), List.of(), null,
                    startNs, startNs);
        }
        StepResult result;
        try {
            final long stopsBefore = world.machine().kernelStops();
            result = exec.execute(step).withSource(source);
            if (world.machine().kernelStops() != stopsBefore && "ok".equals(result.result())) {
                // A copy, zeroing or bounce inside the step was stopped: the call oopsed.
                result = StepExecutor.done(step, Errno.OOPS, "the kernel oopsed: SEV-SNP/TDX stopped one of its own"
                        + " accesses in this step (see guest-fatal)").withSource(source);
            }
        } catch (final GuestTerminated t) {
            // sev_es_terminate(): the guest is gone; nothing after this runs.
            terminated = "not run: the guest was terminated at step " + step.index();
            result = StepExecutor.done(step, Errno.TERMINATED, t.getMessage()).withSource(source);
        } catch (final RuntimeException e) {
            return new Outcome(null, List.of(), ScenarioRunner.modelError(step, e), startNs,
                    world.machine().ledger().simulatedNs());
        }
        world.bdev().runWorkqueue(); // delayed destruction of released buffers and ghosts
        final List<Violation> found = new ArrayList<>(0);
        world.judgeAfterStep(step.index(), found);
        return new Outcome(result, found, null, startNs, world.machine().ledger().simulatedNs());
    }

    /**
     * Writes out what the model keeps in compact form (the CPU cache's whole-frame ways:
     * {@link org.ttmsim.hw.CpuCache#writeOutCompactWays}), so that equal states have equal fields: the
     * explorer calls it before taking a fingerprint. Changes nothing one can observe.
     */
    public void writeOutCompactState() {
        world.machine().cpuCache().writeOutCompactWays();
    }

    /** Whether the guest was terminated: every later step is {@code NOT_RUN}. */
    public boolean terminated() {
        return terminated != null;
    }

    World world() {
        return world;
    }
}
