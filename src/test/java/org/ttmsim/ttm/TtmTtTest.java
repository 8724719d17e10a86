package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;

/** Port of drivers/gpu/drm/ttm/tests/ttm_tt_test.c (suite {@code ttm_tt}). */
class TtmTtTest {
    private static final long BO_SIZE = 4096;
    private TtmKunitHelpers.TestDevices devs;

    @BeforeEach
    void init() {
        devs = TtmKunitHelpers.all();
    }

    @AfterEach
    void fini() {
        TtmKunitHelpers.put(devs);
    }

    record TtCase(String description, long size, long extraPagesNum) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<TtCase> ttmTtInitBasicCases() {
        return Stream.of(
                new TtCase("Page-aligned size", 4096, 0),
                new TtCase("Extra pages requested", 4096, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmTtInitBasicCases")
    void ttmTtInitBasic(final TtCase params) {
        final int pageFlags = TtmTt.FLAG_ZERO_ALLOC;
        final int numPages = (int) (params.size() >> 12);
        final TtmTt tt = new TtmTt();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, params.size(), null);

        assertThat(tt.init(bo, pageFlags, Caching.CACHED, params.extraPagesNum())).isEqualTo(Errno.OK);

        assertThat(tt.numPages()).isEqualTo(numPages + params.extraPagesNum());
        assertThat(tt.pageFlags()).isEqualTo(pageFlags);
        assertThat(tt.caching()).isEqualTo(Caching.CACHED);
        assertThat(tt.dmaAddress()).isNull();
        assertThat(tt.swapStorage()).isNull();
    }

    @Test
    void ttmTtInitMisaligned() {
        final long size = 8192;
        final int numPages = (int) ((size + 4096) >> 12);
        final TtmTt tt = new TtmTt();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, size, null);
        // Make the object size misaligned.
        bo.setSize(bo.size() + 1);

        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);

        assertThat(tt.numPages()).isEqualTo(numPages);
    }

    @Test
    void ttmTtFiniBasic() {
        final TtmTt tt = new TtmTt();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);
        assertThat(tt.pages()).isNotNull();

        tt.fini();

        assertThat(tt.pages()).isNull();
    }

    @Test
    void ttmTtFiniSg() {
        final TtmTt tt = new TtmTt();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        assertThat(tt.sgInit(bo, 0, Caching.CACHED)).isEqualTo(Errno.OK);
        assertThat(tt.dmaAddress()).isNotNull();

        tt.fini();

        assertThat(tt.dmaAddress()).isNull();
    }

    @Test
    void ttmTtFiniShmem() {
        final TtmTt tt = new TtmTt();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);
        tt.setSwapStorage(new ShmemFile("ttm swap", BO_SIZE));

        tt.fini();

        assertThat(tt.swapStorage()).isNull();
    }

    @Test
    void ttmTtCreateBasic() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        bo.setType(TtmBufferObject.TYPE_DEVICE);

        bo.resv().lock(null);
        final int err = TtmTt.create(bo, false);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.ttm()).isNotNull();
    }

    @Test
    void ttmTtCreateInvalidBoType() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        bo.setType(TtmBufferObject.TYPE_SG + 1);

        bo.resv().lock(null);
        final int err = TtmTt.create(bo, false);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.EINVAL);
        assertThat(bo.ttm()).isNull();
    }

    @Test
    void ttmTtCreateTtmExists() {
        final TtmTt tt = new TtmTt();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);
        bo.setTtm(tt);

        bo.resv().lock(null);
        final int err = TtmTt.create(bo, false);
        bo.resv().unlock();

        // Expect to keep the previous tt.
        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.ttm()).isSameAs(tt);
    }

    @Test
    void ttmTtCreateFailed() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        // ttm_dev_empty_funcs: a tt_create that allocates nothing.
        devs.ttmDev.setFuncs(new TtmDeviceFuncs() {
            @Override
            public TtmTt ttmTtCreate(final TtmBufferObject b, final int pageFlags) {
                return null;
            }

            @Override
            public TtmPlacement evictFlags(final TtmBufferObject b) {
                throw new IllegalStateException("not in ttm_dev_empty_funcs");
            }

            @Override
            public int move(final TtmBufferObject b, final boolean evict, final OperationCtx ctx,
                    final TtmResource newMem, final TtmPlace[] hop) {
                throw new IllegalStateException("not in ttm_dev_empty_funcs");
            }
        });

        bo.resv().lock(null);
        final int err = TtmTt.create(bo, false);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.ENOMEM);
    }

    @Test
    void ttmTtDestroyBasic() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);

        bo.resv().lock(null);
        final int err = TtmTt.create(bo, false);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.ttm()).isNotNull();
        TtmTt.destroy(devs.ttmDev, bo.ttm());
    }

    @Test
    void ttmTtPopulateNullTtm() {
        final OperationCtx ctx = new OperationCtx();

        assertThat(TtmTt.populate(devs.ttmDev, null, ctx)).isEqualTo(Errno.EINVAL);
    }

    @Test
    void ttmTtPopulatePopulatedTtm() {
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        final TtmTt tt = new TtmTt();
        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);

        assertThat(TtmTt.populate(devs.ttmDev, tt, ctx)).isEqualTo(Errno.OK);
        final long populatedPage = tt.pages()[0];

        assertThat(TtmTt.populate(devs.ttmDev, tt, ctx)).isEqualTo(Errno.OK);
        assertThat(tt.pages()[0]).isEqualTo(populatedPage);
    }

    @Test
    void ttmTtUnpopulateBasic() {
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        final TtmTt tt = new TtmTt();
        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);
        assertThat(TtmTt.populate(devs.ttmDev, tt, ctx)).isEqualTo(Errno.OK);
        assertThat(tt.isPopulated()).isTrue();

        TtmTt.unpopulate(devs.ttmDev, tt);

        assertThat(tt.isPopulated()).isFalse();
    }

    @Test
    void ttmTtUnpopulateEmptyTtm() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        final TtmTt tt = new TtmTt();
        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);

        // Expect graceful handling of unpopulated tts.
        TtmTt.unpopulate(devs.ttmDev, tt);

        assertThat(tt.isPopulated()).isFalse();
    }

    @Test
    void ttmTtSwapinBasic() {
        final int expectedNumPages = (int) (BO_SIZE >> 12);
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, BO_SIZE, null);
        final TtmTt tt = new TtmTt();
        assertThat(tt.init(bo, 0, Caching.CACHED, 0)).isEqualTo(Errno.OK);
        assertThat(TtmTt.populate(devs.ttmDev, tt, ctx)).isEqualTo(Errno.OK);
        assertThat(tt.isPopulated()).isTrue();

        final int numPages = TtmTt.swapout(devs.ttmDev, tt);
        assertThat(numPages).isEqualTo(expectedNumPages);
        assertThat(tt.swapStorage()).isNotNull();
        assertThat(tt.pageFlags() & TtmTt.FLAG_SWAPPED).isNotZero();

        // Swapout depopulates the tt: allocate pages, then swap them in.
        assertThat(devs.ttmDev.pool().alloc(tt, ctx)).isEqualTo(Errno.OK);
        assertThat(tt.swapin()).isEqualTo(Errno.OK);
        assertThat(tt.swapStorage()).isNull();
        assertThat(tt.pageFlags() & TtmTt.FLAG_SWAPPED).isZero();
    }
}
