package org.ttmsim.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.SteppedRun;

/**
 * What the fingerprint merges, behaves the same: every sequence of up to three operations of a built-in scope
 * is run without deduplication; whenever two sequences end in states with the same fingerprint and defined
 * names, every enabled next operation gives both the same result, bytes and violations. And the fingerprint
 * does merge: fewer states than sequences.
 */
class FingerprintSoundnessTest {
    private static final int DEPTH = 3;

    @Test
    void shouldGiveStatesWithOneFingerprintTheSameNextOutcomesWhenExploringTheVmwgfxScope() {
        check("vmwgfx", "pre-2019", "sev");
        check("vmwgfx", "upstream-2024", "sev");
    }

    @Test
    void shouldGiveStatesWithOneFingerprintTheSameNextOutcomesWhenExploringTheGenericScope() {
        check("generic", "upstream-2024", "sme");
    }

    private static void check(final String scopeName, final String design, final String mode) {
        final ExploreConfig config = BuiltinScopes.byName(scopeName);
        final Scope scope = config.scope();
        final SteppedRun root = SteppedRun.boot(config.base(), new RunOptions(design, mode, false));
        final Map<Long, String> firstPath = new HashMap<>();
        final Map<Long, List<String>> firstNext = new HashMap<>();
        final StateCopier copier = new StateCopier();
        final Fingerprint fp = new Fingerprint();
        final List<Node> level = new ArrayList<>(List.of(new Node(root, 0L, "")));
        int sequences = 0;
        int merged = 0;
        for (int depth = 1; depth <= DEPTH; depth++) {
            final List<Node> next = new ArrayList<>();
            for (final Node node : level) {
                final SteppedRun state = node.state();
                final long defined = node.defined();
                final long key = fp.of(state) ^ defined * 0xD6E8FEB86659FD93L;
                final List<String> outcomes = new ArrayList<>();
                for (final Scope.Op op : scope.ops()) {
                    if (!op.enabled(defined)) {
                        continue;
                    }
                    final SteppedRun child = copier.copy(state);
                    final SteppedRun.Outcome o = child.step(op.at(depth));
                    outcomes.add(op.id() + " " + describe(o));
                    sequences++;
                    if (o.violations().isEmpty() && o.error() == null) {
                        next.add(new Node(child, defined | op.defines(), node.path() + " " + op.id()));
                    }
                }
                final List<String> seen = firstNext.putIfAbsent(key, outcomes);
                if (seen != null) {
                    merged++;
                    assertThat(outcomes).as("%s %s/%s: states after [%s] and [%s] share a fingerprint", scopeName,
                            design, mode, firstPath.get(key), node.path()).isEqualTo(seen);
                } else {
                    firstPath.put(key, node.path());
                }
            }
            level.clear();
            level.addAll(next);
        }
        assertThat(merged).as("states merged by the fingerprint").isGreaterThan(0);
        assertThat(sequences).isGreaterThan(merged);
    }

    /** A state of the unpruned search, the names its sequence defined and the sequence (operation ids). */
    private record Node(SteppedRun state, long defined, String path) {
    }

    private static String describe(final SteppedRun.Outcome o) {
        if (o.error() != null) {
            return "error";
        }
        return o.result().result() + " " + (o.result().data() == null ? "-" : HexFormat.of().formatHex(o.result().data()))
                + " " + o.violations().stream().map(v -> v.invariant().id()).toList();
    }
}
