package org.ttmsim.sim;

import java.util.List;
import org.ttmsim.hw.Event;

/**
 * One run as a timeline, for trace export ({@code run --chrome-trace}): its result, every event the bus
 * published in order (each stamped with its simulated time, {@link Event#simulatedNs}) and the simulated
 * time each step started and ended.
 *
 * @param result the run's result, as {@link ScenarioRunner#run} returns it
 * @param events every event of the run in bus order (simulated time never decreases along it); empty when
 *               the run never started (verdict n/a, or a machine that could not be built)
 * @param steps  one span per step that ran, in order; a step not run (the guest was terminated) has none
 * @param endNs  the run's {@code simulated_ns} at the end
 */
public record RunRecording(RunResult result, List<Event> events, List<StepSpan> steps, long endNs) {
    public RunRecording {
        events = List.copyOf(events);
        steps = List.copyOf(steps);
    }

    /**
     * The simulated time one step took: from before it ran to after the monitors judged it (judging costs
     * nothing, so the end is the step's own).
     *
     * @param index   1-based step index
     * @param op      the operation, e.g. {@code cpu-read}
     * @param source  {@code FILE:LINE} of the step, as the result's steps name it
     * @param result  the step's result ({@code ok}, an errno, {@code error} when the model failed in it)
     * @param startNs {@code simulated_ns} before the step
     * @param endNs   {@code simulated_ns} after it
     */
    public record StepSpan(int index, String op, String source, String result, long startNs, long endNs) {
    }
}
