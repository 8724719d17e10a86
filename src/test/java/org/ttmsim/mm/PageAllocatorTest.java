package org.ttmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests {@link PageAllocator}: a sparse buddy allocator with naturally aligned blocks. */
class PageAllocatorTest {

    @Test
    void shouldStartAtTheFirstFrameWhenFresh() {
        final PageAllocator a = new PageAllocator(1024, 4096);

        assertThat(a.allocPages(0)).isEqualTo(1024);
        assertThat(a.allocPages(0)).isEqualTo(1025);
        assertThat(a.freePages()).isEqualTo(4096 - 1024 - 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 9, PageAllocator.MAX_PAGE_ORDER})
    void shouldReturnANaturallyAlignedBlockWhenAnOrderIsAsked(final int order) {
        final PageAllocator a = new PageAllocator(3, 1 << 20);
        a.allocPages(0);

        final long pfn = a.allocPages(order);

        assertThat(pfn).isNotEqualTo(PageAllocator.NO_PAGE);
        assertThat(pfn % (1L << order)).isZero();
    }

    @Test
    void shouldHandOutTheFramesSkippedForAlignmentWhenSmallerOrdersFollow() {
        final PageAllocator a = new PageAllocator(1, 1024);

        assertThat(a.allocPages(2)).isEqualTo(4);
        assertThat(a.allocPages(0)).isEqualTo(1);
        assertThat(a.allocPages(1)).isEqualTo(2);
        assertThat(a.allocPages(0)).isEqualTo(8);
        assertThat(a.freePages()).isEqualTo(1023 - 8);
    }

    @Test
    void shouldMergeBuddiesWhenBothHalvesAreFreed() {
        final PageAllocator a = new PageAllocator(0, 64);
        final long left = a.allocPages(0);
        final long right = a.allocPages(0);
        a.allocPages(1); // keeps the frontier above the pair
        assertThat(right).isEqualTo(left ^ 1);

        a.freePages(left, 0);
        a.freePages(right, 0);

        assertThat(a.allocPages(1)).isEqualTo(left);
    }

    @Test
    void shouldSplitAFreedBlockWhenASmallerOrderIsAsked() {
        final PageAllocator a = new PageAllocator(0, 64);
        final long block = a.allocPages(3);
        a.allocPages(3);
        a.freePages(block, 3);

        assertThat(a.allocPages(0)).isEqualTo(block);
        assertThat(a.allocPages(1)).isEqualTo(block + 2);
        assertThat(a.allocPages(0)).isEqualTo(block + 1);
        assertThat(a.allocPages(2)).isEqualTo(block + 4);
    }

    @Test
    void shouldReturnNoPageWhenMemoryIsExhausted() {
        final PageAllocator a = new PageAllocator(0, 8);

        assertThat(a.allocPages(3)).isZero();
        assertThat(a.allocPages(0)).isEqualTo(PageAllocator.NO_PAGE);
        a.freePages(0, 3);
        assertThat(a.allocPages(4)).isEqualTo(PageAllocator.NO_PAGE);
        assertThat(a.allocPages(2)).isZero();
    }

    @Test
    void shouldRejectOrdersOutsideTheBuddyRangeWhenAsked() {
        final PageAllocator a = new PageAllocator(0, 1 << 20);

        assertThat(a.allocPages(-1)).isEqualTo(PageAllocator.NO_PAGE);
        assertThat(a.allocPages(PageAllocator.MAX_PAGE_ORDER + 1)).isEqualTo(PageAllocator.NO_PAGE);
    }

    @Test
    void shouldFailHigherOrdersOnlyWhenTheMaximumAvailableOrderIsLowered() {
        final PageAllocator a = new PageAllocator(0, 1 << 20);
        a.setMaxAvailableOrder(3);

        assertThat(a.allocPages(4)).isEqualTo(PageAllocator.NO_PAGE);
        assertThat(a.allocPages(3)).isNotEqualTo(PageAllocator.NO_PAGE);
    }

    @Test
    void shouldNeverHandOutOverlappingBlocksWhenAllocationsAndFreesInterleave() {
        final PageAllocator a = new PageAllocator(5, 1 << 14);
        final Random rnd = new Random(0x77_5eedL);
        final List<long[]> live = new ArrayList<>();
        final boolean[] used = new boolean[1 << 14];

        for (int i = 0; i < 2000; i++) {
            if (!live.isEmpty() && rnd.nextInt(3) == 0) {
                final long[] b = live.remove(rnd.nextInt(live.size()));
                mark(used, b, false);
                a.freePages(b[0], (int) b[1]);
                continue;
            }
            final int order = rnd.nextInt(6);
            final long pfn = a.allocPages(order);
            if (pfn == PageAllocator.NO_PAGE) {
                continue;
            }
            final long[] b = {pfn, order};
            assertThat(pfn % (1L << order)).isZero();
            assertThat(pfn).isGreaterThanOrEqualTo(5);
            assertThat(pfn + (1L << order)).isLessThanOrEqualTo(1 << 14);
            mark(used, b, true);
            live.add(b);
        }
        long inUse = 0;
        for (final long[] b : live) {
            inUse += 1L << b[1];
        }
        assertThat(a.freePages()).isEqualTo((1 << 14) - 5 - inUse);
    }

    @Test
    void shouldRoundBytesUpToPagesWhenCounting() {
        assertThat(PageAllocator.pages(0)).isZero();
        assertThat(PageAllocator.pages(1)).isEqualTo(1);
        assertThat(PageAllocator.pages(4096)).isEqualTo(1);
        assertThat(PageAllocator.pages(4097)).isEqualTo(2);
    }

    private static void mark(final boolean[] used, final long[] block, final boolean inUse) {
        for (long p = block[0]; p < block[0] + (1L << block[1]); p++) {
            assertThat(used[(int) p]).as("frame %d", p).isEqualTo(!inUse);
            used[(int) p] = inUse;
        }
    }
}
