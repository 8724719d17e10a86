package org.ttmsim.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.ttmsim.check.Violation;
import org.ttmsim.scenario.Step;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.ScenarioRunner;
import org.ttmsim.sim.SteppedRun;

/**
 * Searches one cell (design × mode × kernel) of an explore configuration for operation sequences that
 * break an invariant.
 *
 * <p><b>Exhaustive</b> ({@link #exhaustive}): breadth-first over the scope's operations, level by level;
 * each child state is a fork of its parent ({@link StateCopier}) with one operation run on it; a state whose
 * fingerprint (with the names defined so far) was seen is not explored again. A transition that breaks an
 * invariant ends its sequence: it is a counterexample, and the state after it is not explored. Breadth-first
 * in operation order finds, for every state, the lexicographically smallest of its shortest sequences, so
 * the first counterexample of an invariant is its shortest.
 *
 * <p><b>Sharding</b>: every shard runs the levels up to the first whose frontier holds at least
 * {@value #SPLIT_PER_SHARD} states per shard, then keeps the frontier states whose position modulo N is its
 * own and explores below them alone. Each shard's states and transitions are subsets of the one run's and
 * every state of the one run lies under some shard's part at its shortest depth, so the union of the shards
 * is the one run ({@link CellData}).
 *
 * <p><b>Random</b> ({@link #random}): walk i starts at the booted state and picks among the enabled
 * operations with a {@link SplittableRandom} seeded from (seed, i), up to the depth or the first broken
 * invariant. Shard K of N runs the walks i with i mod N = K-1.
 *
 * <p>The fronts of the breadth-first levels are kept as forked states while they fit
 * ({@value #KEPT_STATES} per level), beyond that as operation sequences that are replayed from the booted
 * state when their turn comes.
 */
final class Search {
    /** A shard's part starts at the first level with this many frontier states per shard. */
    static final int SPLIT_PER_SHARD = 4;
    /** Frontier states kept as forks per level; the rest are replayed from the booted state. */
    static final int KEPT_STATES = 4096;

    /** Observes the search: called between states, never in the output. */
    interface Progress {
        void update(long states, int depth, long doneInLevel, long level);
    }

    private final ExploreConfig config;
    private final Scope scope;
    private final RunOptions options;
    private final int shard;
    private final int shards;
    private final BooleanSupplier cancelled;
    private final Progress progress;
    private final StateCopier copier = new StateCopier();
    private final Fingerprint fingerprint = new Fingerprint();
    private final int firstIndex;
    private SteppedRun root;
    private long rootDefined;

    Search(final ExploreConfig config, final String design, final String mode, final String kernel, final int shard,
            final int shards, final BooleanSupplier cancelled, final Progress progress) {
        this.config = config;
        this.scope = config.scope();
        this.options = new RunOptions(design, mode, kernel, false);
        this.shard = shard;
        this.shards = shards;
        this.cancelled = cancelled;
        this.progress = progress;
        this.firstIndex = config.prefix().size() + 1;
    }

    /** A frontier node: its state (null when it must be replayed), the names it defined, its sequence. */
    private record Node(SteppedRun state, long defined, long key, int[] path) {
    }

    /** Boots the cell and runs the prefix; records why not in {@code data.problem} when it cannot. */
    private boolean boot(final CellData data) {
        final String problem = ScenarioRunner.configurationProblem(config.base(), options);
        if (problem != null) {
            data.problem = problem;
            data.complete = true;
            return false;
        }
        root = SteppedRun.boot(config.base(), options);
        rootDefined = 0;
        for (final Step s : config.prefix()) {
            final SteppedRun.Outcome o = root.step(s);
            if (o.error() != null || !o.violations().isEmpty()) {
                data.problem = "the configuration's own steps break it at step " + s.index() + ": "
                        + (o.error() != null ? o.error().lines().findFirst().orElse("") : o.violations().get(0).invariant().id());
                return false;
            }
            if (s instanceof Step.Create c) {
                rootDefined |= scope.bit(c.bo());
            } else if (s instanceof Step.Mmap m) {
                rootDefined |= scope.bit(m.as());
            } else if (s instanceof Step.PageAlloc p) {
                rootDefined |= scope.bit(p.alloc());
            }
        }
        return true;
    }

    private long key(final SteppedRun state, final long defined) {
        return fingerprint.of(state) ^ defined * 0xD6E8FEB86659FD93L;
    }

    /** Runs the exhaustive search of this shard's part. */
    CellData exhaustive() {
        final long start = System.nanoTime();
        final CellData data = new CellData(options.design(), options.mode(), options.kernel());
        if (!boot(data)) {
            return data;
        }
        final long rootKey = key(root, rootDefined);
        data.states.add(rootKey);
        List<Node> frontier = new ArrayList<>(List.of(new Node(root, rootDefined, rootKey, new int[0])));
        boolean split = shards == 1;
        for (int depth = 1; depth <= scope.depth() && !frontier.isEmpty(); depth++) {
            if (!split && (frontier.size() >= (long) SPLIT_PER_SHARD * shards || depth == scope.depth())) {
                frontier = part(frontier);
                split = true;
            }
            final List<Node> next = new ArrayList<>();
            long done = 0;
            for (final Node node : frontier) {
                if (cancelled.getAsBoolean() || data.states.size() >= scope.maxStates()) {
                    data.complete = false;
                    data.seconds = (System.nanoTime() - start) / 1e9;
                    return data;
                }
                expand(node, depth, data, next);
                progress.update(data.states.size(), depth, ++done, frontier.size());
            }
            data.depth = depth;
            frontier = next;
        }
        data.seconds = (System.nanoTime() - start) / 1e9;
        return data;
    }

    /** This shard's part of a frontier: every N-th node, from the K-th. */
    private List<Node> part(final List<Node> frontier) {
        final List<Node> mine = new ArrayList<>();
        for (int i = shard - 1; i < frontier.size(); i += shards) {
            mine.add(frontier.get(i));
        }
        return mine;
    }

    private void expand(final Node node, final int depth, final CellData data, final List<Node> next) {
        final SteppedRun parent = node.state() != null ? node.state() : replay(node.path());
        if (parent == null) {
            return;
        }
        final List<Scope.Op> enabled = new ArrayList<>();
        for (final Scope.Op op : scope.ops()) {
            if (op.enabled(node.defined())) {
                enabled.add(op);
            }
        }
        for (int i = 0; i < enabled.size(); i++) {
            final Scope.Op op = enabled.get(i);
            // The last child may take the parent itself: nothing needs the parent after it.
            final SteppedRun child = i == enabled.size() - 1 ? parent : copier.copy(parent);
            final SteppedRun.Outcome o = child.step(op.at(firstIndex + depth - 1));
            final int[] path = Arrays.copyOf(node.path(), depth);
            path[depth - 1] = op.id();
            final int outcome = outcome(o);
            data.transition(node.key(), op.id(), outcome);
            if (outcome != 0) {
                counterexamples(o, path, data);
                continue;
            }
            final long defined = node.defined() | op.defines();
            final long key = key(child, defined);
            if (data.states.add(key) && depth < scope.depth()) {
                next.add(new Node(next.size() < KEPT_STATES ? child : null, defined, key, path));
            }
        }
    }

    /** The state after {@code path}, run again from the booted state (null if it no longer gets there). */
    private SteppedRun replay(final int[] path) {
        final SteppedRun state = copier.copy(root);
        for (int i = 0; i < path.length; i++) {
            final SteppedRun.Outcome o = state.step(scope.ops().get(path[i]).at(firstIndex + i));
            if (o.error() != null || !o.violations().isEmpty()) {
                throw new IllegalStateException("the model is not deterministic: replaying "
                        + Arrays.toString(path) + " broke at step " + (i + 1) + " where the search did not");
            }
        }
        return state;
    }

    /** The outcome bits of a step: one per broken invariant (its ordinal), and the model-error bit. */
    static int outcome(final SteppedRun.Outcome o) {
        int bits = o.error() != null ? 1 << CellData.MODEL_ERROR_BIT : 0;
        for (final Violation v : o.violations()) {
            bits |= 1 << v.invariant().ordinal();
        }
        return bits;
    }

    private static void counterexamples(final SteppedRun.Outcome o, final int[] path, final CellData data) {
        if (o.error() != null) {
            data.counterexample(CellData.MODEL_ERROR, path);
        }
        for (final Violation v : o.violations()) {
            data.counterexample(v.invariant().id(), path);
        }
    }

    /** Runs this shard's random walks. */
    CellData random(final long walks, final long seed) {
        final long start = System.nanoTime();
        final CellData data = new CellData(options.design(), options.mode(), options.kernel());
        if (!boot(data)) {
            return data;
        }
        data.complete = false; // a sample is never exhaustive
        data.states.add(key(root, rootDefined));
        for (long w = shard - 1; w < walks; w += shards) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            walk(new SplittableRandom(walkSeed(seed, w)), data);
            data.walks++;
            progress.update(data.states.size(), scope.depth(), w + 1, walks);
        }
        data.seconds = (System.nanoTime() - start) / 1e9;
        return data;
    }

    /** The sub-seed of walk {@code w}: derived from the seed, never from the clock. */
    static long walkSeed(final long seed, final long w) {
        return new SplittableRandom(seed ^ w * 0x9E3779B97F4A7C15L).nextLong();
    }

    private void walk(final SplittableRandom rng, final CellData data) {
        final SteppedRun state = copier.copy(root);
        long defined = rootDefined;
        long stateKey = key(state, defined);
        final int[] path = new int[scope.depth()];
        for (int depth = 1; depth <= scope.depth(); depth++) {
            final List<Scope.Op> enabled = new ArrayList<>();
            for (final Scope.Op op : scope.ops()) {
                if (op.enabled(defined)) {
                    enabled.add(op);
                }
            }
            if (enabled.isEmpty()) {
                return;
            }
            final Scope.Op op = enabled.get(rng.nextInt(enabled.size()));
            path[depth - 1] = op.id();
            final SteppedRun.Outcome o = state.step(op.at(firstIndex + depth - 1));
            final int outcome = outcome(o);
            data.transition(stateKey, op.id(), outcome);
            data.depth = Math.max(data.depth, depth);
            if (outcome != 0) {
                counterexamples(o, Arrays.copyOf(path, depth), data);
                return;
            }
            defined |= op.defines();
            stateKey = key(state, defined);
            data.states.add(stateKey);
        }
    }
}
