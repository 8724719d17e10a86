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

/** Port of drivers/gpu/drm/ttm/tests/ttm_resource_test.c (suite {@code ttm_resource}). */
class TtmResourceTest {
    private static final long RES_SIZE = 4096;
    /** {@code TTM_PRIV_DUMMY_REG}. */
    private static final int TTM_PRIV_DUMMY_REG = TtmDevice.TTM_NUM_MEM_TYPES - 1;

    /** {@code ttm_resource_manager_mock_funcs}: an empty table; only init/fini are called directly. */
    private static final ResourceManagerFunc MOCK_FUNCS = new ResourceManagerFunc() {
        @Override
        public int alloc(final TtmResourceManager man, final TtmBufferObject bo, final TtmPlace place,
                final TtmResource[] res) {
            throw new IllegalStateException("the resource test manager has no alloc");
        }

        @Override
        public void free(final TtmResourceManager man, final TtmResource res) {
            throw new IllegalStateException("the resource test manager has no free");
        }
    };

    private TtmKunitHelpers.TestDevices devs;
    private TtmBufferObject bo;
    private TtmPlace place;

    record ResourceCase(String description, int memType, int flags) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<ResourceCase> ttmResourceCases() {
        return Stream.of(
                new ResourceCase("Init resource in TTM_PL_SYSTEM", TtmPlace.PL_SYSTEM, 0),
                new ResourceCase("Init resource in TTM_PL_VRAM", TtmPlace.PL_VRAM, 0),
                new ResourceCase("Init resource in a private placement", TTM_PRIV_DUMMY_REG, 0),
                new ResourceCase("Init resource in TTM_PL_SYSTEM, set placement flags", TtmPlace.PL_SYSTEM,
                        TtmPlace.FLAG_TOPDOWN));
    }

    @BeforeEach
    void init() {
        devs = TtmKunitHelpers.all();
    }

    @AfterEach
    void fini() {
        TtmKunitHelpers.put(devs);
    }

    /** {@code ttm_init_test_mocks()}. */
    private void initTestMocks(final int memType, final int flags) {
        assertThat(devs.ttmDev).isNotNull();
        bo = TtmKunitHelpers.boKunitInit(devs, RES_SIZE, null);
        place = TtmKunitHelpers.placeKunitInit(memType, flags);
    }

    /** {@code ttm_init_test_manager()}: empty funcs, use_tt false, 16 KiB, used. */
    private void initTestManager(final int memType) {
        final TtmResourceManager man = new TtmResourceManager(MOCK_FUNCS, false);
        man.init(devs.ttmDev, 16 * 1024);
        devs.ttmDev.setDriverManager(memType, man);
        man.setUsed(true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmResourceCases")
    void ttmResourceInitBasic(final ResourceCase params) {
        initTestMocks(params.memType(), params.flags());
        if (params.memType() > TtmPlace.PL_SYSTEM) {
            initTestManager(params.memType());
        }
        final TtmResource res = new TtmResource();
        final TtmResourceManager man = devs.ttmDev.managerType(place.memType());
        final long expectedUsage = man.usage() + RES_SIZE;
        assertThat(man.lru(bo.priority()).isEmpty()).isTrue();

        TtmResource.init(bo, place, res);

        assertThat(res.start()).isZero();
        assertThat(res.size()).isEqualTo(RES_SIZE);
        assertThat(res.memType()).isEqualTo(place.memType());
        assertThat(res.placement()).isEqualTo(place.flags());
        assertThat(res.bo()).isSameAs(bo);
        assertThat(res.busAddr()).isZero();
        assertThat(res.busOffset()).isZero();
        assertThat(res.busIsIomem()).isFalse();
        assertThat(res.busCaching()).isEqualTo(Caching.CACHED);
        assertThat(man.usage()).isEqualTo(expectedUsage);
        assertThat(man.lru(bo.priority()).isSingular()).isTrue();

        TtmResource.fini(man, res);
    }

    @Test
    void ttmResourceInitPinned() {
        initTestMocks(TtmPlace.PL_SYSTEM, 0);
        final TtmResourceManager man = devs.ttmDev.managerType(place.memType());
        final TtmResource res = new TtmResource();
        assertThat(bo.bdev().unevictable().isEmpty()).isTrue();

        bo.resv().lock(null);
        TtmBo.pin(bo);
        TtmResource.init(bo, place, res);
        assertThat(bo.bdev().unevictable().isSingular()).isTrue();

        TtmBo.unpin(bo);
        TtmResource.fini(man, res);
        bo.resv().unlock();

        assertThat(bo.bdev().unevictable().isEmpty()).isTrue();
    }

    @Test
    void ttmResourceFiniBasic() {
        initTestMocks(TtmPlace.PL_SYSTEM, 0);
        final TtmResourceManager man = devs.ttmDev.managerType(place.memType());
        final TtmResource res = new TtmResource();

        TtmResource.init(bo, place, res);
        TtmResource.fini(man, res);

        assertThat(res.lru().linked()).isFalse();
        assertThat(man.usage()).isZero();
    }

    @Test
    void ttmResourceManagerInitBasic() {
        final TtmResourceManager man = new TtmResourceManager(MOCK_FUNCS, false);
        final long size = 16 * 1024;

        man.init(devs.ttmDev, size);

        assertThat(man.bdev()).isSameAs(devs.ttmDev);
        assertThat(man.size()).isEqualTo(size);
        assertThat(man.usage()).isZero();
        for (int i = 0; i < TtmResourceManager.TTM_NUM_MOVE_FENCES; i++) {
            assertThat(man.evictionFence(i)).isNull();
        }
        for (int i = 0; i < TtmResourceManager.TTM_MAX_BO_PRIORITY; i++) {
            assertThat(man.lru(i).isEmpty()).isTrue();
        }
    }

    @Test
    void ttmResourceManagerUsageBasic() {
        initTestMocks(TtmPlace.PL_SYSTEM, TtmPlace.FLAG_TOPDOWN);
        final TtmResource res = new TtmResource();
        final TtmResourceManager man = devs.ttmDev.managerType(place.memType());

        TtmResource.init(bo, place, res);

        assertThat(man.usage()).isEqualTo(RES_SIZE);
        TtmResource.fini(man, res);
    }

    @Test
    void ttmResourceManagerSetUsedBasic() {
        final TtmResourceManager man = devs.ttmDev.managerType(TtmPlace.PL_SYSTEM);
        assertThat(man.used()).isTrue();

        man.setUsed(false);

        assertThat(man.used()).isFalse();
    }

    @Test
    void ttmSysManAllocBasic() {
        initTestMocks(TtmPlace.PL_SYSTEM, 0);
        final TtmResourceManager man = devs.ttmDev.managerType(TtmPlace.PL_SYSTEM);
        final TtmResource[] res = new TtmResource[1];

        final int ret = man.func().alloc(man, bo, place, res);

        assertThat(ret).isEqualTo(Errno.OK);
        assertThat(res[0].size()).isEqualTo(RES_SIZE);
        assertThat(res[0].memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        assertThat(res[0].bo()).isSameAs(bo);
        TtmResource.fini(man, res[0]);
    }

    @Test
    void ttmSysManFreeBasic() {
        initTestMocks(TtmPlace.PL_SYSTEM, 0);
        final TtmResource[] res = new TtmResource[1];
        TtmResource.alloc(bo, place, res);
        final TtmResourceManager man = devs.ttmDev.managerType(TtmPlace.PL_SYSTEM);

        man.func().free(man, res[0]);

        assertThat(man.lru(bo.priority()).isEmpty()).isTrue();
        assertThat(man.usage()).isZero();
    }
}
