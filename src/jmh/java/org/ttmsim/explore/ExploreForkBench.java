package org.ttmsim.explore;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.SteppedRun;

/**
 * The explorer's cost per state, in its three parts, on a state of the built-in vmwgfx scope (SEV guest,
 * upstream-2024) after create, device-write and mmap: forking the run ({@link StateCopier}), fingerprinting
 * it ({@link Fingerprint}), and one explored state end to end (fork, run a cpu-read, fingerprint).
 * In package {@code explore} because the copier and the fingerprint are the package's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExploreForkBench {
    @Param({"vmwgfx", "amdgpu"})
    public String scope;

    private SteppedRun state;
    private ExploreConfig config;
    private final StateCopier copier = new StateCopier();
    private final Fingerprint fingerprint = new Fingerprint();

    @Setup
    public void setUp() {
        config = BuiltinScopes.byName(scope);
        state = SteppedRun.boot(config.base(), new RunOptions("upstream-2024", null, false));
        for (int i = 0; i < 3; i++) {
            state.step(config.scope().ops().get(i).at(i + 1));
        }
    }

    @Benchmark
    public SteppedRun fork() {
        return copier.copy(state);
    }

    @Benchmark
    public long fingerprint() {
        return fingerprint.of(state);
    }

    @Benchmark
    public long exploreOneState() {
        final SteppedRun child = copier.copy(state);
        child.step(config.scope().ops().get(config.scope().ops().size() - 1).at(4));
        return fingerprint.of(child);
    }
}
