package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.mm.AddressSpace;

/**
 * The port of drivers/gpu/drm/ttm/tests/ttm_kunit_helpers.c: test devices, the mock driver
 * ({@code ttm_dev_funcs}: {@code mock_move}, {@code mock_evict_flags}) and its deliberately wrong twin
 * ({@code ttm_dev_funcs_bad_evict}), and the buffer and place helpers.
 */
final class TtmKunitHelpers {
    /** {@code TTM_PL_MOCK1} / {@code TTM_PL_MOCK2}. */
    static final int TTM_PL_MOCK1 = TtmPlace.PL_PRIV + 1;
    static final int TTM_PL_MOCK2 = TtmPlace.PL_PRIV + 2;

    /** {@code dummy_ttm_bo_destroy()}: only releases the GEM object (nothing to do here). */
    static final Consumer<TtmBufferObject> DUMMY_TTM_BO_DESTROY = bo -> { };

    private TtmKunitHelpers() {
    }

    /**
     * {@code struct ttm_test_devices}: a machine, its TTM globals, a DMA device with an all-ones
     * coherent mask, the DRM device's anon-inode mapping and VMA offset manager, and (for "all") a TTM
     * device.
     */
    static final class TestDevices {
        final Kernel kernel;
        final TtmGlobal glob;
        final DmaDevice dev;
        final AddressSpace anonMapping = new AddressSpace();
        DrmVmaOffsetManager vmaManager = new DrmVmaOffsetManager();
        TtmDevice ttmDev;

        TestDevices(final Kernel kernel) {
            this.kernel = kernel;
            this.glob = new TtmGlobal(kernel);
            this.dev = new DmaDevice("kunit", 64, false);
        }
    }

    /** {@code ttm_test_devices_basic()}. */
    static TestDevices basic() {
        return new TestDevices(new Kernel(new Machine(MachineConfig.defaults(EncryptionMode.NONE), false)));
    }

    /** {@code ttm_test_devices_all()}: basic plus a TTM device with the mock driver, alloc_flags 0. */
    static TestDevices all() {
        final TestDevices devs = basic();
        final TtmDevice ttmDev = new TtmDevice(devs.glob);
        assertThat(deviceKunitInit(devs, ttmDev, 0)).isEqualTo(Errno.OK);
        devs.ttmDev = ttmDev;
        return devs;
    }

    /** {@code ttm_test_devices_put()}. */
    static void put(final TestDevices devs) {
        if (devs.ttmDev != null && devs.ttmDev.wq() != null) {
            devs.ttmDev.fini();
        }
    }

    /** {@code ttm_device_kunit_init()}. */
    static int deviceKunitInit(final TestDevices devs, final TtmDevice ttm, final int allocFlags) {
        return ttm.init(TTM_DEV_FUNCS, devs.dev, devs.anonMapping, devs.vmaManager, allocFlags);
    }

    /** {@code ttm_device_kunit_init_bad_evict()}: always alloc_flags 0. */
    static int deviceKunitInitBadEvict(final TestDevices devs, final TtmDevice ttm) {
        return ttm.init(TTM_DEV_FUNCS_BAD_EVICT, devs.dev, devs.anonMapping, devs.vmaManager, 0);
    }

    /**
     * {@code ttm_bo_kunit_init()}: a zeroed buffer of {@code size} bytes on the fixture device (which may
     * be null), dummy destroy, one reference; no resource, no tt, type device, priority 0.
     */
    static TtmBufferObject boKunitInit(final TestDevices devs, final long size, final DmaResv resv) {
        final TtmBufferObject bo = new TtmBufferObject(size);
        if (resv != null) {
            bo.setResv(resv);
        }
        bo.setBdev(devs.ttmDev);
        bo.setDestroy(DUMMY_TTM_BO_DESTROY);
        bo.setKref(1);
        return bo;
    }

    /** {@code ttm_place_kunit_init()}: fpfn = lpfn = 0. */
    static TtmPlace placeKunitInit(final int memType, final int flags) {
        return TtmPlace.of(memType, flags);
    }

    /** {@code ttm_placement_kunit_init()} of the validate tests. */
    static TtmPlacement placementKunitInit(final TtmPlace... places) {
        return TtmPlacement.of(places);
    }

    /** {@code struct ttm_device_funcs ttm_dev_funcs} / {@code ttm_dev_funcs_bad_evict}. */
    private static final class KunitFuncs implements TtmDeviceFuncs {
        private static final TtmPlacement SYS_PLACEMENT = TtmPlacement.of(TtmPlace.of(TtmPlace.PL_SYSTEM,
                TtmPlace.FLAG_FALLBACK));
        private static final TtmPlacement BAD_PLACEMENT = TtmPlacement.of(TtmPlace.of(TTM_PL_MOCK1,
                TtmPlace.FLAG_FALLBACK));
        private static final TtmPlacement MOCK_PLACEMENT = TtmPlacement.of(TtmPlace.of(TTM_PL_MOCK2,
                TtmPlace.FLAG_FALLBACK));
        private final boolean badEvict;

        KunitFuncs(final boolean badEvict) {
            this.badEvict = badEvict;
        }

        /** {@code ttm_tt_simple_create()}: the flags from TTM, cached. */
        @Override
        public TtmTt ttmTtCreate(final TtmBufferObject bo, final int pageFlags) {
            final TtmTt tt = new TtmTt();
            tt.init(bo, pageFlags, Caching.CACHED, 0);
            return tt;
        }

        /** {@code ttm_tt_simple_destroy()}: kfree only. */
        @Override
        public void ttmTtDestroy(final TtmDevice bdev, final TtmTt ttm) {
        }

        /** {@code mock_move()}. */
        @Override
        public int move(final TtmBufferObject bo, final boolean evict, final OperationCtx ctx,
                final TtmResource newMem, final TtmPlace[] hop) {
            final TtmResource oldMem = bo.resource();
            if (oldMem == null || (oldMem.memType() == TtmPlace.PL_SYSTEM && bo.ttm() == null)) {
                TtmBoUtil.moveNull(bo, newMem);
                return Errno.OK;
            }
            if (oldMem.memType() == TtmPlace.PL_VRAM && newMem.memType() == TtmPlace.PL_SYSTEM) {
                hop[0] = new TtmPlace(0, 0, TtmPlace.PL_TT, TtmPlace.FLAG_TEMPORARY);
                return Errno.EMULTIHOP;
            }
            if ((oldMem.memType() == TtmPlace.PL_SYSTEM && newMem.memType() == TtmPlace.PL_TT)
                    || (oldMem.memType() == TtmPlace.PL_TT && newMem.memType() == TtmPlace.PL_SYSTEM)) {
                TtmBoUtil.moveNull(bo, newMem);
                return Errno.OK;
            }
            return TtmBoUtil.moveMemcpy(bo, ctx, newMem);
        }

        /** {@code mock_evict_flags()} / {@code bad_evict_flags()}. */
        @Override
        public TtmPlacement evictFlags(final TtmBufferObject bo) {
            if (badEvict) {
                return BAD_PLACEMENT;
            }
            switch (bo.resource().memType()) {
                case TtmPlace.PL_VRAM:
                case TtmPlace.PL_SYSTEM:
                    return SYS_PLACEMENT;
                case TtmPlace.PL_TT:
                    return MOCK_PLACEMENT;
                default:
                    // TTM_PL_MOCK1 and anything else: purge objects coming from this domain.
                    return TtmPlacement.empty();
            }
        }
    }

    static final TtmDeviceFuncs TTM_DEV_FUNCS = new KunitFuncs(false);
    static final TtmDeviceFuncs TTM_DEV_FUNCS_BAD_EVICT = new KunitFuncs(true);
}
