package org.ttmsim.check;

import java.util.List;

/**
 * One broken invariant: which, at which step, what was wrong, and the chain of emulated events that
 * led to it (trace lines, oldest first).
 */
public record Violation(Invariant invariant, int step, String message, List<String> evidence) {
    public Violation {
        evidence = List.copyOf(evidence);
    }
}
