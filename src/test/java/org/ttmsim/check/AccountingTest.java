package org.ttmsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.driver.Generic;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CostParams;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.ttm.TtmBo;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDecisions;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;

/**
 * {@link Accounting}: usage equals the sizes on each manager's lists exactly, and each buffer's resource
 * is on the list its state asks for (ttm_resource_init/fini, ttm_resource_move_to_lru_tail).
 */
class AccountingTest {
    private final Kernel kernel = new Kernel(new Machine(MachineConfig.conclude(EncryptionMode.NONE, 47, false,
            MachineConfig.GIB, 4, -1, 64 * MachineConfig.MIB, Set.of(), CostParams.defaults()), false));
    private final TtmDevice bdev = Generic.createDevice(new TtmGlobal(kernel), new DmaDevice("gpu", 64, false), false,
            TtmDecisions.KERNEL);

    private DriverBo create(final int memType) {
        final DriverBo bo = new DriverBo(64 * 1024, Caching.CACHED);
        assertThat(TtmBo.initValidate(bdev, bo, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(memType, 0)), 4096, false, null, b -> { })).isEqualTo(Errno.OK);
        return bo;
    }

    private static final SystemView NAMES = new SystemView() {
        @Override
        public Kernel kernel() {
            return null;
        }

        @Override
        public List<MmStruct> processes() {
            return List.of();
        }

        @Override
        public long backingPfn(final Object bo, final long objPage) {
            return -1;
        }

        @Override
        public long pgoffBase(final Object bo) {
            return 0;
        }

        @Override
        public String name(final Object bo) {
            return ((TtmBufferObject) bo).name();
        }

        @Override
        public TtmDevice device() {
            return null;
        }

        @Override
        public Map<String, TtmBufferObject> liveBuffers() {
            return Map.of();
        }
    };

    @Test
    void shouldFindNothingWhenBuffersArePlacedPinnedAndUnpinned() {
        final DriverBo a = create(TtmPlace.PL_TT);
        final DriverBo b = create(TtmPlace.PL_VRAM);
        TtmBo.reserve(b, false, false, null);
        TtmBo.pin(b);
        TtmBo.unreserve(b);

        assertThat(Accounting.problems(bdev, Map.of("A", a, "B", b), NAMES)).isEmpty();
    }

    @Test
    void shouldReportAManagerWhoseUsageDiffersFromItsListsByOneByte() throws Exception {
        final DriverBo a = create(TtmPlace.PL_TT);
        final Method addUsage = bdev.managerType(TtmPlace.PL_TT).getClass().getSuperclass()
                .getDeclaredMethod("addUsage", long.class);
        addUsage.setAccessible(true);
        addUsage.invoke(bdev.managerType(TtmPlace.PL_TT), 1L);

        assertThat(Accounting.problems(bdev, Map.of("A", a), NAMES))
                .containsExactly("tt manager usage 65537 differs from the 65536 bytes of the resources on its lists");
    }
}
