package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.driver.Generic;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.release.KernelRelease;

/**
 * {@code ttm_bo_vmap()} (drivers/gpu/drm/ttm/ttm_bo_util.c) per release, with no design
 * ({@link TtmDecisions#KERNEL}): from v5.11 (43676605f890) a tt is always vmapped with
 * {@code ttm_io_prot(bo, mem, PAGE_KERNEL)}, a one-page cached one too; before it the whole-object map
 * is {@code ttm_bo_kmap(bo, 0, num_pages)}, whose one cached page is the linear map. An SEV guest whose
 * pool allocates coherent (decrypted) memory; a one-page buffer.
 */
class TtmBoVmapTest {
    private Kernel kernel;
    private DriverBo bo;

    private void boot(final String release) {
        kernel = new Kernel(TestMachines.machine(EncryptionMode.SEV).vram(64L << 20).keepLog(false).build(),
                KernelRelease.parse(release));
        final TtmDevice bdev = Generic.createDevice(new TtmGlobal(kernel), new DmaDevice("gpu", 64, false), true,
                TtmDecisions.KERNEL);
        bo = new DriverBo(4096L, Caching.CACHED);
        assertThat(TtmBo.initValidate(bdev, bo, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(TtmPlace.PL_TT, 0)), 4096, false, null, b -> { })).isEqualTo(Errno.OK);
    }

    private TtmBoKmap.KmapObj vmap() {
        final TtmBoKmap.KmapObj[] out = new TtmBoKmap.KmapObj[1];
        TtmBo.reserve(bo, false, false, null);
        try {
            assertThat(TtmBoVmap.vmap(bo, out)).isEqualTo(Errno.OK);
        } finally {
            TtmBo.unreserve(bo);
        }
        assertThat(out[0].numPages()).as("every page of the buffer").isEqualTo(1);
        return out[0];
    }

    private boolean privatePte(final TtmBoKmap.KmapObj map) {
        return kernel.machine().cc().isPrivate(kernel.initMm().pte(map.virtual() >>> 12));
    }

    @Test
    void shouldKmapTheOneCachedPageThroughTheLinearMapBeforeV511() {
        boot("v5.10");

        assertThat(vmap().linear()).as("v5.10: ttm_bo_kmap(bo, 0, 1), the kmap() fast path").isTrue();
    }

    @Test
    void shouldVmapEvenOneCachedPageWithPageKernelFromV511() {
        boot("v5.11");

        final TtmBoKmap.KmapObj map = vmap();
        assertThat(map.linear()).as("ttm_bo_vmap() has no fast path").isFalse();
        assertThat(privatePte(map)).as("ttm_io_prot(PAGE_KERNEL): C=1 over the decrypted coherent page").isTrue();
    }

    @Test
    void shouldVmapTheDecryptedTtDecryptedFromV69() {
        boot("v6.9");

        final TtmBoKmap.KmapObj map = vmap();
        assertThat(map.linear()).isFalse();
        assertThat(privatePte(map)).as("ttm_io_prot() decrypts a TTM_TT_FLAG_DECRYPTED tt").isFalse();
    }
}
