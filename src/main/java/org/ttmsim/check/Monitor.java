package org.ttmsim.check;

import java.util.List;
import org.ttmsim.hw.EventBus;

/**
 * An invariant monitor (TigerBeetle's checkers): it observes bus events as they happen and judges a
 * violation when it happens (a translation when it is made, a read when it returns bytes, a write-back
 * when it lands) where the events allow, and the state after each step where they do not; violations
 * found during a step are reported with that step, each once. Each implementation's Javadoc says what it
 * judges when, and what it cannot see.
 */
public abstract class Monitor extends EventBus.Listener {
    /** Judges the state after step {@code step}; adds what broke to {@code out}. */
    public abstract void afterStep(int step, SystemView view, List<Violation> out);
}
