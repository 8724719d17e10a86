package org.ttmsim.jmh;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBo;
import org.ttmsim.ttm.TtmBoEvict;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmResourceManager;

/**
 * The eviction walk: VRAM holds 256 one-page BOs; each operation is {@code ttm_bo_evict_first()} on
 * the VRAM manager (LRU walk, reserve, evict through the driver's evict_flags and move) followed by
 * validating the evicted BO back into VRAM, so the LRU turns over and the state stays the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvictBench {
    private JmhWorld world;
    private TtmResourceManager vram;
    private final ArrayDeque<TtmBufferObject> lru = new ArrayDeque<>();

    @Setup
    public void setUp() {
        world = new JmhWorld(EncryptionMode.NONE, JmhWorld.GIB, 256 * JmhWorld.MIB);
        for (int i = 0; i < 256; i++) {
            lru.add(world.create("B" + i, 4096, TtmPlace.PL_VRAM, Caching.CACHED));
        }
        vram = world.driver.bdev().managerType(TtmPlace.PL_VRAM);
    }

    @Benchmark
    public int evictFirstAndRevalidate() {
        final OperationCtx ctx = new OperationCtx(false, false);
        int r = TtmBoEvict.evictFirst(world.driver.bdev(), vram, ctx);
        final TtmBufferObject bo = lru.poll();
        TtmBo.reserve(bo, false, false, null);
        r |= TtmBo.validate(bo, JmhWorld.placement(TtmPlace.PL_VRAM), ctx);
        TtmBo.unreserve(bo);
        lru.add(bo);
        if (r != Errno.OK) {
            throw new IllegalStateException("eviction bench: " + Errno.name(r));
        }
        return r;
    }
}
