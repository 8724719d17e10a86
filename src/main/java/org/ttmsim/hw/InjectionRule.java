package org.ttmsim.hw;

import java.util.Objects;

/**
 * When one injected fault (docs/SCENARIOS.md, "inject") fires: at every occurrence of its site, only at the N-th, or only during a
 * range of steps. An occurrence is one time the kernel reaches the safeguard the fault switches off
 * (one {@code ttm_bo_handle_move_mem()}, one {@code __set_memory_enc_pgtable()} conversion, one
 * {@code flush_tlb_range()}, one {@code ttm_pool_free()} that would pool), counted from the start of
 * the run whether or not it fired.
 *
 * @param injection the fault
 * @param nth       1-based occurrence at which it fires, or 0 for every occurrence
 * @param fromStep  first step (1-based, inclusive) in which it fires, or 0 for no lower bound
 * @param toStep    last step (inclusive) in which it fires, or 0 for no upper bound
 */
public record InjectionRule(Injection injection, long nth, int fromStep, int toStep) {

    public InjectionRule {
        Objects.requireNonNull(injection, "injection");
        if (nth < 0 || fromStep < 0 || toStep < 0 || (toStep > 0 && toStep < fromStep)) {
            throw new IllegalArgumentException("bad injection rule: nth " + nth + ", steps " + fromStep + ".." + toStep);
        }
    }

    /** The fault at every occurrence. */
    public static InjectionRule always(final Injection injection) {
        return new InjectionRule(injection, 0, 0, 0);
    }

    /** Whether the fault fires at the {@code occurrence}-th time its site is reached, during {@code step}. */
    public boolean matches(final long occurrence, final int step) {
        return (nth == 0 || occurrence == nth) && (fromStep == 0 || step >= fromStep)
                && (toStep == 0 || step <= toStep);
    }

    /** {@code id}, {@code id#N} or {@code id@A-B}, as the trace's configuration line shows it. */
    public String label() {
        if (nth > 0) {
            return injection.id() + "#" + nth;
        }
        if (fromStep > 0 || toStep > 0) {
            return injection.id() + "@" + (fromStep > 0 ? fromStep : 1) + "-" + (toStep > 0 ? toStep : "");
        }
        return injection.id();
    }
}
