package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.driver.Generic;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Mmap;
import org.ttmsim.mm.Vma;

/**
 * The fault path, {@code ttm_bo_vm_fault_reserved()}: prefault of 16 that stops at the VMA end or at a
 * missing page (the prefault loop's "only the first page may fail"), waiting for a pipelined move before mapping, and
 * the SIGBUS a contended reservation gives in this single-threaded model.
 */
class TtmBoVmTest {
    private static final int PAGES = 40;
    private Kernel kernel;
    private TtmDevice bdev;
    private DriverBo bo;
    private MmStruct mm;
    private Vma vma;

    @BeforeEach
    void setUp() {
        kernel = new Kernel(TestMachines.machine(EncryptionMode.NONE).vram(64L << 20).build());
        bdev = Generic.createDevice(new TtmGlobal(kernel), new DmaDevice("gpu", 64, false), false, TtmDecisions.KERNEL);
        bo = new DriverBo(PAGES * 4096L, Caching.CACHED);
        assertThat(TtmBo.initValidate(bdev, bo, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(TtmPlace.PL_TT, 0)), 4096, false, null, b -> { })).isEqualTo(Errno.OK);
        mm = kernel.newProcess("p1");
        final Mmap.Result r = kernel.mmap().doMmap(mm, new TtmBoMmap(bo, kernel.memory()),
                bo.vmaNodeStart(), PAGES, true, true, bo, "a");
        assertThat(r.error()).isEqualTo(Errno.OK);
        vma = r.vma();
    }

    private int touch(final int page) {
        return kernel.cpuAccess().access(mm, vma.start() + ((long) page << 12), new byte[1], 0, 1, false, null);
    }

    private boolean mapped(final int page) {
        return Pte.present(mm.pte((vma.start() >>> 12) + page));
    }

    private long inserted() {
        return kernel.machine().ledger().get(Counter.PTES_INSERTED);
    }

    @Test
    void shouldPrefaultUpToTheVmaEndWhenTouchedNearIt() {
        assertThat(touch(30)).isEqualTo(Errno.OK);
        assertThat(inserted()).isEqualTo(10);
        for (int p = 0; p < PAGES; p++) {
            assertThat(mapped(p)).as("page %d", p).isEqualTo(p >= 30);
        }
    }

    @Test
    void shouldPrefaultSixteenPagesWhenTouchedAtTheStart() {
        assertThat(touch(0)).isEqualTo(Errno.OK);
        assertThat(inserted()).isEqualTo(TtmBoVm.TTM_BO_VM_NUM_PREFAULT);
        assertThat(mapped(15)).isTrue();
        assertThat(mapped(16)).isFalse();
    }

    @Test
    void shouldStopPrefaultAtAMissingPageWithoutFailingTheFault() {
        populate();
        bo.ttm().pages()[5] = 0; // page 5 missing: the prefault stops before it
        assertThat(touch(0)).isEqualTo(Errno.OK);
        assertThat(inserted()).isEqualTo(5);
        assertThat(mapped(4)).isTrue();
        assertThat(mapped(5)).isFalse();
    }

    /** Only the first page may fail: VM_FAULT_OOM, which since v5.16 is retried forever (60e2793d440a). */
    @Test
    void shouldNeverCompleteWhenTheFaultingPageItselfIsMissing() {
        populate();
        bo.ttm().pages()[7] = 0;
        assertThat(touch(7)).isEqualTo(Errno.HANG);
        assertThat(inserted()).isZero();
    }

    @Test
    void shouldWaitForAPipelinedMoveBeforeMapping() {
        final DmaFence move = DmaFence.afterPolls("pipelined move", 3);
        TtmBo.reserve(bo, false, false, null);
        bo.resv().reserveFences(1);
        bo.resv().addFence(move, DmaResvUsage.KERNEL);
        TtmBo.unreserve(bo);
        assertThat(move.isSignaled()).isFalse();

        assertThat(touch(0)).isEqualTo(Errno.OK);

        assertThat(move.isSignaled()).isTrue();
        final long pfn = Pte.pfn(mm.pte(vma.start() >>> 12), 47);
        assertThat(pfn).isEqualTo(bo.ttm().pages()[0]);
    }

    @Test
    void shouldGiveSigbusWhenTheReservationIsHeldByTheScenarioItself() {
        TtmBo.reserve(bo, false, false, null);
        assertThat(touch(0)).isEqualTo(Errno.SIGBUS);
        TtmBo.unreserve(bo);
        assertThat(touch(0)).isEqualTo(Errno.OK);
    }

    private void populate() {
        TtmBo.reserve(bo, false, false, null);
        assertThat(TtmBo.populate(bo, new OperationCtx())).isEqualTo(Errno.OK);
        TtmBo.unreserve(bo);
    }
}
