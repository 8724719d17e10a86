package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.hw.Errno;

/** Port of drivers/gpu/drm/ttm/tests/ttm_device_test.c (suite {@code ttm_device}). */
class TtmDeviceTest {
    private TtmKunitHelpers.TestDevices priv;

    @BeforeEach
    void init() {
        priv = TtmKunitHelpers.basic();
    }

    @AfterEach
    void fini() {
        TtmKunitHelpers.put(priv);
    }

    @Test
    void ttmDeviceInitBasic() {
        final TtmDevice ttmDev = new TtmDevice(priv.glob);

        assertThat(TtmKunitHelpers.deviceKunitInit(priv, ttmDev, 0)).isEqualTo(Errno.OK);

        assertThat(ttmDev.funcs()).isSameAs(TtmKunitHelpers.TTM_DEV_FUNCS);
        assertThat(ttmDev.wq()).isNotNull();
        assertThat(ttmDev.managerType(TtmPlace.PL_SYSTEM)).isNotNull();
        final TtmResourceManager ttmSysMan = ttmDev.sysman();
        assertThat(ttmSysMan).isNotNull();
        assertThat(ttmSysMan.useTt()).isTrue();
        assertThat(ttmSysMan.used()).isTrue();
        assertThat(ttmSysMan.func()).isNotNull();
        assertThat(ttmDev.devMapping()).isSameAs(priv.anonMapping);
        ttmDev.fini();
    }

    /**
     * The kernel counts the global list starting from device 0's own node, so its "3" is the other two
     * devices plus the list head; the intended check, made here, is that exactly these three devices
     * are registered.
     */
    @Test
    void ttmDeviceInitMultiple() {
        final int numDev = 3;
        final TtmDevice[] ttmDevs = new TtmDevice[numDev];
        for (int i = 0; i < numDev; i++) {
            ttmDevs[i] = new TtmDevice(priv.glob);
            assertThat(TtmKunitHelpers.deviceKunitInit(priv, ttmDevs[i], 0)).isEqualTo(Errno.OK);
            assertThat(ttmDevs[i].devMapping()).isSameAs(priv.anonMapping);
            assertThat(ttmDevs[i].wq()).isNotNull();
            assertThat(ttmDevs[i].funcs()).isSameAs(TtmKunitHelpers.TTM_DEV_FUNCS);
            assertThat(ttmDevs[i].managerType(TtmPlace.PL_SYSTEM)).isNotNull();
        }

        assertThat(priv.glob.deviceList()).containsExactly(ttmDevs);

        for (int i = 0; i < numDev; i++) {
            ttmDevs[i].fini();
        }
        assertThat(priv.glob.deviceList()).isEmpty();
    }

    @Test
    void ttmDeviceFiniBasic() {
        final TtmDevice ttmDev = new TtmDevice(priv.glob);
        assertThat(TtmKunitHelpers.deviceKunitInit(priv, ttmDev, 0)).isEqualTo(Errno.OK);
        final TtmResourceManager man = ttmDev.managerType(TtmPlace.PL_SYSTEM);
        assertThat(man).isNotNull();

        ttmDev.fini();

        assertThat(man.used()).isFalse();
        assertThat(man.lru(0).isEmpty()).isTrue();
        assertThat(ttmDev.managerType(TtmPlace.PL_SYSTEM)).isNull();
    }

    @Test
    void ttmDeviceInitNoVmaMan() {
        final TtmDevice ttmDev = new TtmDevice(priv.glob);
        // Pretend there is no VMA manager allocated.
        final DrmVmaOffsetManager vmaMan = priv.vmaManager;
        priv.vmaManager = null;

        assertThat(TtmKunitHelpers.deviceKunitInit(priv, ttmDev, 0)).isEqualTo(Errno.EINVAL);

        priv.vmaManager = vmaMan;
    }

    record DeviceCase(String description, int allocFlags, boolean poolsInitExpected) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<DeviceCase> ttmDeviceCases() {
        return Stream.of(
                new DeviceCase("No DMA allocations, no DMA32 required", 0, false),
                new DeviceCase("DMA allocations, DMA32 required", TtmPool.USE_DMA_ALLOC | TtmPool.USE_DMA32, true),
                new DeviceCase("No DMA allocations, DMA32 required", TtmPool.USE_DMA32, false),
                new DeviceCase("DMA allocations, no DMA32 required", TtmPool.USE_DMA_ALLOC, true));
    }

    /**
     * The kernel's "list not empty" check runs on a struct copy of each pool type, so it only shows the
     * list was initialised; the intended check, made here, is that every type is initialised, belongs
     * to this pool with its caching and order, and holds no pages yet.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmDeviceCases")
    void ttmDeviceInitPools(final DeviceCase params) {
        final TtmDevice ttmDev = new TtmDevice(priv.glob);
        assertThat(TtmKunitHelpers.deviceKunitInit(priv, ttmDev, params.allocFlags())).isEqualTo(Errno.OK);

        final TtmPool pool = ttmDev.pool();
        assertThat(pool).isNotNull();
        assertThat(pool.dev()).isSameAs(priv.dev);
        assertThat(pool.allocFlags()).isEqualTo(params.allocFlags());
        if (params.poolsInitExpected()) {
            for (int i = 0; i < TtmPool.TTM_NUM_CACHING_TYPES; ++i) {
                for (int j = 0; j < TtmPool.NR_PAGE_ORDERS; ++j) {
                    final TtmPoolType pt = pool.typeAt(i, j);
                    assertThat(pt.pool()).isSameAs(pool);
                    assertThat(TtmPool.cachingIndex(pt.caching())).isEqualTo(i);
                    assertThat(pt.order()).isEqualTo(j);
                    if (pool.usesDmaAlloc()) {
                        assertThat(pt.initialised()).isTrue();
                        assertThat(pt.isEmpty()).isTrue();
                    }
                }
            }
        }
        ttmDev.fini();
    }
}
