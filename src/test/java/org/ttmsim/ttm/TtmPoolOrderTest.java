package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.driver.Generic;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;

/**
 * Order selection in {@code ttm_pool_alloc()} (drivers/gpu/drm/ttm/ttm_pool.c): 1000 pages come as chunks of
 * 512, 256, 128, 64, 32 and 8 pages when every order is available, and as 125 chunks of order 3 when
 * orders 4 and up fail (each failure lowers the order). Within a chunk the DMA addresses are contiguous.
 */
class TtmPoolOrderTest {
    @ParameterizedTest(name = "max order {0}: {1} chunks")
    @CsvSource({"10, 6, '512,256,128,64,32,8'", "3, 125, ''"})
    void shouldTakeTheLargestOrderThatFitsAndFallBackWhenItFails(final int maxOrder, final int chunks,
            final String sizes) {
        final Kernel kernel = new Kernel(TestMachines.machine(EncryptionMode.NONE).vram(0).keepLog(false).build());
        kernel.pageAllocator().setMaxAvailableOrder(maxOrder);
        final TtmDevice bdev = org.ttmsim.driver.MappingGeneric.createDevice(new TtmGlobal(kernel), new DmaDevice("gpu", 64, false), false,
                TtmDecisions.KERNEL);
        final DriverBo bo = new DriverBo(1000 * 4096L, Caching.WRITE_COMBINED);
        assertThat(TtmBo.initValidate(bdev, bo, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(TtmPlace.PL_TT, 0)), 4096, false, null, b -> { })).isEqualTo(Errno.OK);

        assertThat(kernel.machine().ledger().get(Counter.POOL_MISSES)).isEqualTo(chunks);
        final List<Integer> runs = chunks(bdev.global(), bo.ttm().pages(), bo.ttm().dmaAddress());
        if (!sizes.isEmpty()) {
            assertThat(runs).extracting(String::valueOf).containsExactly(sizes.split(","));
        } else {
            assertThat(runs).hasSize(chunks).allMatch(n -> n == 8);
        }
    }

    /**
     * The chunk sizes, read from each block head's {@code page->private} (its order, for a pool
     * without DMA allocation); every page of a chunk has a DMA address one page after the previous.
     */
    private static List<Integer> chunks(final TtmGlobal glob, final long[] pages, final long[] dma) {
        final List<Integer> runs = new ArrayList<>();
        for (int i = 0; i < pages.length; ) {
            final int n = 1 << glob.pagePrivate(pages[i]);
            for (int j = 1; j < n; j++) {
                assertThat(pages[i + j]).isEqualTo(pages[i] + j);
                assertThat(dma[i + j]).isEqualTo(dma[i] + 4096L * j);
            }
            runs.add(n);
            i += n;
        }
        return runs;
    }
}
