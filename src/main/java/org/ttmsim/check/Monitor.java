package org.ttmsim.check;

import java.util.List;
import org.ttmsim.hw.EventBus;

/**
 * An invariant monitor (TigerBeetle's checkers): it observes bus events as they happen, then judges
 * after each step. Each implementation's Javadoc says what it cannot see.
 */
public interface Monitor extends EventBus.Listener {
    /** Judges the state after step {@code step}; adds what broke to {@code out}. */
    void afterStep(int step, SystemView view, List<Violation> out);
}
