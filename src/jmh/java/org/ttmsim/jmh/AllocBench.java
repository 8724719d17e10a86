package org.ttmsim.jmh;

import java.util.ArrayList;
import java.util.List;
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
import org.ttmsim.mm.PageAllocator;
import org.ttmsim.ttm.GpuBuddy;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmTt;

/**
 * Allocators: the VRAM buddy ({@code gpu_buddy_alloc_blocks()} + free of 64 KiB in a 256 MiB space),
 * the page allocator ({@code alloc_pages()} + free of an order-4 block beside a fragmented free list),
 * and the TTM pool (unpopulate then populate a 16-page write-combined tt: the pages go back to the
 * pool's WC list, cleared, and come out of it again).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AllocBench {
    private GpuBuddy buddy;
    private final List<GpuBuddy.Block> blocks = new ArrayList<>();
    private PageAllocator pages;
    private JmhWorld world;
    private TtmTt tt;
    private TtmDevice bdev;

    @Setup
    public void setUp() {
        buddy = new GpuBuddy(256L << 20, 4096);
        final List<GpuBuddy.Block> hold = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            buddy.allocBlocks(0, buddy.size(), 4096L << (i % 4), 4096, hold, 0);
        }
        pages = new PageAllocator(1024, 1 << 20);
        final long[] held = new long[256];
        for (int i = 0; i < held.length; i++) {
            held[i] = pages.allocPages(i % 3);
        }
        for (int i = 0; i < held.length; i += 2) {
            pages.freePages(held[i], i % 3);
        }
        world = new JmhWorld(EncryptionMode.NONE, JmhWorld.GIB, 256 * JmhWorld.MIB);
        final TtmBufferObject bo = world.create("P", 16 * 4096, TtmPlace.PL_TT, Caching.WRITE_COMBINED,
                TtmBufferObject.TYPE_KERNEL);
        bdev = bo.bdev();
        tt = bo.ttm();
    }

    @Benchmark
    public int buddyAllocFree() {
        blocks.clear();
        final int r = buddy.allocBlocks(0, buddy.size(), 64 * 1024, 4096, blocks, 0);
        buddy.freeList(blocks);
        return r;
    }

    @Benchmark
    public long pageAllocFree() {
        final long p = pages.allocPages(4);
        pages.freePages(p, 4);
        return p;
    }

    @Benchmark
    public int poolUnpopulatePopulate() {
        TtmTt.unpopulate(bdev, tt);
        return TtmTt.populate(bdev, tt, new OperationCtx(false, false));
    }
}
