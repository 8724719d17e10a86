package org.ttmsim.scenario;

import java.util.Objects;

/**
 * One item of {@code inject:} (docs/SCENARIOS.md, "inject"): a fault id, optionally limited to the N-th occurrence of its
 * site or to a range of steps.
 *
 * @param id       the fault id, e.g. {@code conversion-fails}
 * @param nth      1-based occurrence at which it fires, or 0 for every occurrence
 * @param fromStep first step (1-based, inclusive) in which it fires, or 0 for no lower bound
 * @param toStep   last step (inclusive) in which it fires, or 0 for no upper bound
 */
public record InjectSpec(String id, long nth, int fromStep, int toStep) {

    public InjectSpec {
        Objects.requireNonNull(id, "id");
    }

    /** The fault at every occurrence (a plain id in the file). */
    public static InjectSpec always(final String id) {
        return new InjectSpec(id, 0, 0, 0);
    }

    /** Whether this item is a plain id, firing at every occurrence in every step. */
    public boolean isAlways() {
        return nth == 0 && fromStep == 0 && toStep == 0;
    }

    /** The item as YAML flow text: {@code id}, {@code {id: ID, nth: N}} or {@code {id: ID, from-step: A, to-step: B}}. */
    public String toYaml() {
        if (isAlways()) {
            return id;
        }
        final StringBuilder sb = new StringBuilder("{id: ").append(id);
        if (nth > 0) {
            sb.append(", nth: ").append(nth);
        }
        if (fromStep > 0) {
            sb.append(", from-step: ").append(fromStep);
        }
        if (toStep > 0) {
            sb.append(", to-step: ").append(toStep);
        }
        return sb.append('}').toString();
    }
}
