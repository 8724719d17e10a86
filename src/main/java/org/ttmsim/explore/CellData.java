package org.ttmsim.explore;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * What a search of one cell (design × mode × kernel) found, in the form that merges: shard outputs are
 * joined by set union, so the merge of N shards equals the one run (each shard's sets are subsets of the one
 * run's, and every state and transition of the one run is in some shard).
 *
 * <ul>
 *   <li>{@code states}: the state keys visited (fingerprint mixed with the defined names);</li>
 *   <li>{@code transitions}: each (state, operation) run, keyed by {@link #transitionKey}, with the operation
 *   id in the high 32 bits of the value and its outcome bits ({@link #outcome}) in the low 32;</li>
 *   <li>{@code counterexamples}: per invariant id, the shortest operation sequence found that breaks it,
 *   the lexicographically smallest among equally short ones;</li>
 *   <li>{@code depth}: the longest sequence whose states were all run; {@code complete}: whether the search
 *   finished without hitting a limit or an interruption.</li>
 * </ul>
 */
public final class CellData {
    /** Outcome bit of a model error (exception in the model). */
    static final int MODEL_ERROR_BIT = 30;
    /** The id a model error is listed under among counterexamples. */
    static final String MODEL_ERROR = "model-error";

    final String design;
    final String mode;
    final String kernel;
    final LongHashSet states = new LongHashSet();
    final Long2LongHashMap transitions = new Long2LongHashMap(-1);
    final Map<String, int[]> counterexamples = new TreeMap<>();
    int depth;
    boolean complete = true;
    long walks;
    double seconds;
    /** Why the cell could not be explored (its machine cannot boot this mode, the prefix failed), or null. */
    String problem;

    CellData(final String design, final String mode, final String kernel) {
        this.design = design;
        this.mode = mode;
        this.kernel = kernel;
    }

    /** How many distinct states the search visited. */
    public long states() {
        return states.size();
    }

    /** How many (state, operation) runs the search made. */
    public long sequences() {
        return transitions.size();
    }

    /** The key of a transition: the source state's key and the operation, mixed. */
    static long transitionKey(final long stateKey, final int op) {
        long k = stateKey ^ (op + 1) * 0x9E3779B97F4A7C15L;
        k ^= k >>> 31;
        k *= 0xbf58476d1ce4e5b9L;
        return k ^ k >>> 29;
    }

    void transition(final long stateKey, final int op, final int outcome) {
        transitions.put(transitionKey(stateKey, op), (long) op << 32 | (outcome & 0xffffffffL));
    }

    /** Keeps {@code path} as the counterexample of {@code invariant} if it is shorter, or as short and smaller. */
    void counterexample(final String invariant, final int[] path) {
        final int[] old = counterexamples.get(invariant);
        if (old == null || path.length < old.length || path.length == old.length && Arrays.compare(path, old) < 0) {
            counterexamples.put(invariant, path.clone());
        }
    }

    /** Joins another shard's findings for the same cell into this one. */
    void merge(final CellData other) {
        for (final LongHashSet.LongIterator it = other.states.iterator(); it.hasNext();) {
            states.add(it.nextValue());
        }
        other.transitions.forEach(transitions::put);
        other.counterexamples.forEach(this::counterexample);
        depth = Math.max(depth, other.depth);
        complete &= other.complete;
        walks += other.walks;
        seconds += other.seconds;
        if (problem == null) {
            problem = other.problem;
        }
    }

    /** Transitions per operation id. */
    long[] perOperation(final int ops) {
        final long[] counts = new long[ops];
        for (final Long2LongHashMap.ValueIterator it = transitions.values().iterator(); it.hasNext();) {
            final int op = (int) (it.nextValue() >>> 32);
            if (op < ops) {
                counts[op]++;
            }
        }
        return counts;
    }

    /** Transitions that broke each outcome bit (invariant ordinal, or {@link #MODEL_ERROR_BIT}). */
    long[] perOutcomeBit() {
        final long[] counts = new long[32];
        for (final Long2LongHashMap.ValueIterator it = transitions.values().iterator(); it.hasNext();) {
            final int bits = (int) it.nextValue();
            for (int b = 0; b < 32; b++) {
                if ((bits >>> b & 1) != 0) {
                    counts[b]++;
                }
            }
        }
        return counts;
    }
}
