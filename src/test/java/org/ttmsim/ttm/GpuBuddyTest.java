package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.hw.Errno;

/** The buddy allocator's choices, which eviction order and VRAM bus offsets depend on. */
class GpuBuddyTest {
    private static final long PAGE = 4096;

    @Test
    void shouldTakeTheHighestBlockOfTheSmallestOrderAndKeepRightHalvesWhenSplitting() {
        final GpuBuddy mm = new GpuBuddy(256 * PAGE, PAGE);
        final List<GpuBuddy.Block> blocks = new ArrayList<>();

        assertThat(mm.allocBlocks(0, mm.size(), 2 * PAGE, PAGE, blocks, 0)).isEqualTo(Errno.OK);

        assertThat(blocks).containsExactly(new GpuBuddy.Block(254, 1));
        assertThat(mm.avail()).isEqualTo(254 * PAGE);
    }

    @Test
    void shouldPreferTheHighestAddressWhenTopdown() {
        final GpuBuddy mm = new GpuBuddy(256 * PAGE, PAGE);
        final List<GpuBuddy.Block> low = new ArrayList<>();
        mm.allocBlocks(0, mm.size(), 128 * PAGE, PAGE, low, 0);
        final List<GpuBuddy.Block> top = new ArrayList<>();

        assertThat(mm.allocBlocks(0, mm.size(), PAGE, PAGE, top, GpuBuddy.TOPDOWN_ALLOCATION)).isEqualTo(Errno.OK);

        assertThat(low).containsExactly(new GpuBuddy.Block(128, 7));
        assertThat(top).containsExactly(new GpuBuddy.Block(127, 0));
    }

    @Test
    void shouldFillExactlyAndFailWhenFull() {
        final GpuBuddy mm = new GpuBuddy(256 * PAGE, PAGE);
        final List<GpuBuddy.Block> a = new ArrayList<>();
        final List<GpuBuddy.Block> b = new ArrayList<>();
        final List<GpuBuddy.Block> c = new ArrayList<>();
        assertThat(mm.allocBlocks(0, mm.size(), 2 * PAGE, PAGE, a, 0)).isEqualTo(Errno.OK);
        assertThat(mm.allocBlocks(0, mm.size(), 128 * PAGE, PAGE, b, 0)).isEqualTo(Errno.OK);
        assertThat(mm.allocBlocks(0, mm.size(), 126 * PAGE, PAGE, c, 0)).isEqualTo(Errno.OK);
        final List<GpuBuddy.Block> d = new ArrayList<>();

        assertThat(mm.allocBlocks(0, mm.size(), PAGE, PAGE, d, 0)).isEqualTo(Errno.ENOSPC);
        assertThat(d).isEmpty();

        mm.freeList(a);
        mm.freeList(b);
        mm.freeList(c);
        assertThat(mm.avail()).isEqualTo(mm.size());
        assertThat(mm.allocBlocks(0, mm.size(), mm.size(), PAGE, d, GpuBuddy.CONTIGUOUS_ALLOCATION))
                .isEqualTo(Errno.OK);
    }

    @Test
    void shouldTrimAContiguousRoundUpAndFindARunWhenNoBlockIsFree() {
        final GpuBuddy mm = new GpuBuddy(16 * PAGE, PAGE);
        final List<GpuBuddy.Block> three = new ArrayList<>();
        assertThat(mm.allocBlocks(0, mm.size(), 3 * PAGE, PAGE, three, GpuBuddy.CONTIGUOUS_ALLOCATION))
                .isEqualTo(Errno.OK);
        assertThat(three).containsExactly(new GpuBuddy.Block(12, 1), new GpuBuddy.Block(14, 0));
        assertThat(mm.avail()).isEqualTo(13 * PAGE);
        final List<GpuBuddy.Block> eight = new ArrayList<>();
        assertThat(mm.allocBlocks(0, mm.size(), 8 * PAGE, PAGE, eight, 0)).isEqualTo(Errno.OK);
        // Free now: [8, 12) and [15, 16); four contiguous pages exist only as [8, 12).
        final List<GpuBuddy.Block> four = new ArrayList<>();

        assertThat(mm.allocBlocks(0, mm.size(), 4 * PAGE, PAGE, four, GpuBuddy.CONTIGUOUS_ALLOCATION))
                .isEqualTo(Errno.OK);

        assertThat(four).containsExactly(new GpuBuddy.Block(8, 2));
    }

    @Test
    void shouldStayInsideARange() {
        final GpuBuddy mm = new GpuBuddy(64 * PAGE, PAGE);
        final List<GpuBuddy.Block> blocks = new ArrayList<>();

        assertThat(mm.allocBlocks(4 * PAGE, 12 * PAGE, 6 * PAGE, PAGE, blocks, 0)).isEqualTo(Errno.OK);

        long pages = 0;
        for (final GpuBuddy.Block b : blocks) {
            assertThat(b.offset()).isGreaterThanOrEqualTo(4);
            assertThat(b.offset() + b.chunks()).isLessThanOrEqualTo(12);
            pages += b.chunks();
        }
        assertThat(pages).isEqualTo(6);
        assertThat(mm.allocBlocks(4 * PAGE, 12 * PAGE, 4 * PAGE, PAGE, new ArrayList<>(), 0))
                .isEqualTo(Errno.ENOSPC);
    }
}
