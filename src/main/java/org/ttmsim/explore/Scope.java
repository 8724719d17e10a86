package org.ttmsim.explore;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.ttmsim.scenario.SourcePos;
import org.ttmsim.scenario.Step;

/**
 * The search space of one exploration: the concrete operations (every argument choice expanded), the
 * names each defines and uses, and the depth.
 *
 * <p>An operation is <em>enabled</em> in a sequence when the names it uses were defined by an earlier
 * operation (or the prefix) and the name it defines was not: the same rule the scenario parser applies, so
 * every sequence the search runs is a valid scenario file. What a sequence has defined is a bit set over
 * {@link #names()}, part of the search state beside the model's fingerprint.
 *
 * @param ops      the operations, in the order the configuration lists them (buffers' creates first)
 * @param names    every buffer and mapping name, bit i of a definition set meaning {@code names.get(i)}
 * @param depth    the longest sequence explored (operations after the prefix), 1..{@link #MAX_DEPTH}
 * @param maxStates the search stops (not exhaustive) after this many distinct states
 */
public record Scope(List<Op> ops, List<String> names, int depth, long maxStates) {
    public static final int MAX_DEPTH = 16;
    public static final long DEFAULT_MAX_STATES = 2_000_000;

    public Scope {
        ops = List.copyOf(ops);
        names = List.copyOf(names);
        if (names.size() > 62) {
            throw new IllegalArgumentException("at most 62 buffer and mapping names in a scope");
        }
    }

    Scope withDepth(final int d) {
        return new Scope(ops, names, d, maxStates);
    }

    /**
     * One concrete operation of the scope.
     *
     * @param id      its index in {@link Scope#ops()}
     * @param step    the step, as the scenario parser read it (index 1)
     * @param yaml    the step as written in counterexample files ({@link StepYaml#step})
     * @param pos     where the configuration wrote it (the template, or the choice it took)
     * @param uses    bit set of the names it needs defined
     * @param defines bit set of the name it defines (0 if none)
     */
    public record Op(int id, Step step, String yaml, SourcePos pos, long uses, long defines) {
        /** Whether this operation may follow a sequence that has defined {@code defined}. */
        boolean enabled(final long defined) {
            return (uses & ~defined) == 0 && (defines & defined) == 0;
        }

        /** The step with another 1-based index (its place in a sequence). */
        Step at(final int index) {
            return withIndex(step, index);
        }
    }

    /** The bit of {@code name} in a definition set. */
    long bit(final String name) {
        final int i = names.indexOf(name);
        return i < 0 ? 0 : 1L << i;
    }

    /** The same step with another index (records rebuilt through their canonical constructor). */
    static Step withIndex(final Step step, final int index) {
        final RecordComponent[] rc = step.getClass().getRecordComponents();
        final Object[] args = new Object[rc.length];
        final Class<?>[] types = new Class<?>[rc.length];
        try {
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                args[i] = rc[i].getAccessor().invoke(step);
            }
            final Step.Meta m = step.meta();
            args[0] = new Step.Meta(index, m.expectedResult(), m.pos());
            return (Step) step.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("cannot re-index " + step, e);
        }
    }

    /** The steps of a sequence of operation ids, indexed from {@code firstIndex}. */
    List<Step> steps(final int[] sequence, final int firstIndex) {
        final List<Step> out = new ArrayList<>(sequence.length);
        for (int i = 0; i < sequence.length; i++) {
            out.add(ops.get(sequence[i]).at(firstIndex + i));
        }
        return out;
    }
}
