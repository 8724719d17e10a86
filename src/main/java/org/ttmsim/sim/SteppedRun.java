package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.check.Violation;
import org.ttmsim.design.Design;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.GuestTerminated;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Step;

/**
 * One run advanced a step at a time: what {@link ScenarioRunner} does for each step (attribute events to
 * the step, execute it, run the delayed-destruction workqueue, let every monitor judge), exposed so that
 * the explorer can drive a run operation by operation and fork it in between. {@link ScenarioRunner}
 * itself runs its steps through this class, so a sequence run here and the same sequence run from a
 * scenario file behave identically.
 *
 * <p>The object owns the whole run state and nothing else: forking it is copying its object graph (the
 * explorer's {@code StateCopier}). It keeps no history: each {@link #step} returns what the step did.
 */
public final class SteppedRun {
    private final World world;
    private final StepExecutor exec;
    /** Why the steps after a guest termination are not run, or null while the guest lives. */
    private String terminated;

    SteppedRun(final World world) {
        this.world = world;
        this.exec = new StepExecutor(world);
    }

    /**
     * Boots the machine, kernel and driver of {@code s} under the options' design, mode and kernel; no
     * step runs. Callers check {@link ScenarioRunner#configurationProblem} first.
     *
     * @throws IllegalArgumentException when the configuration cannot boot (the message says why)
     */
    public static SteppedRun boot(final Scenario s, final RunOptions options) {
        final String design = options.design() != null ? options.design() : s.design();
        final String mode = options.mode() != null ? options.mode() : s.machine().encryption();
        final Design d = Designs.byId(design);
        final KernelRelease release = ScenarioRunner.release(s, options, d);
        final String unbootable = org.ttmsim.dma.Kernel.bootProblem(EncryptionMode.fromId(mode), release);
        if (unbootable != null) {
            throw new IllegalArgumentException(unbootable);
        }
        return new SteppedRun(new World(s, ScenarioRunner.machineConfig(s, EncryptionMode.fromId(mode)), d, release,
                options.keepTrace()));
    }

    /**
     * What one step did.
     *
     * @param result     the step's result; null when the model failed ({@code error} says why)
     * @param violations the invariants the monitors found broken after this step, in monitor order
     * @param error      a model error (exception in the model) as {@link ScenarioRunner} reports it, or null
     */
    public record Outcome(StepResult result, List<Violation> violations, String error) {
    }

    /**
     * Runs {@code step} (whose index attributes its events and violations). After a model error the run
     * must not be stepped again.
     */
    public Outcome step(final Step step) {
        world.machine().bus().setStep(step.index());
        final String source = StepResult.sourceOf(step.pos());
        if (terminated != null) {
            return new Outcome(StepExecutor.done(step, Errno.NOT_RUN, terminated).withSource(source), List.of(), null);
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
            return new Outcome(null, List.of(), ScenarioRunner.modelError(step, e));
        }
        world.bdev().runWorkqueue(); // delayed destruction of released buffers and ghosts
        final List<Violation> found = new ArrayList<>(0);
        world.judgeAfterStep(step.index(), found);
        return new Outcome(result, found, null);
    }

    /** Whether the guest was terminated: every later step is {@code NOT_RUN}. */
    public boolean terminated() {
        return terminated != null;
    }

    World world() {
        return world;
    }
}
