package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.hw.Errno;

/** Port of drivers/gpu/drm/ttm/tests/ttm_bo_test.c (suite {@code ttm_bo}). */
class TtmBoTest {
    private static final long BO_SIZE = 8192;
    private TtmKunitHelpers.TestDevices priv;

    @BeforeEach
    void init() {
        priv = TtmKunitHelpers.basic();
    }

    @AfterEach
    void fini() {
        TtmKunitHelpers.put(priv);
    }

    /** The tests that need one create their own device, as the kernel's do. */
    private TtmDevice ownDevice() {
        final TtmDevice ttmDev = new TtmDevice(priv.glob);
        assertThat(TtmKunitHelpers.deviceKunitInit(priv, ttmDev, 0)).isEqualTo(Errno.OK);
        priv.ttmDev = ttmDev;
        return ttmDev;
    }

    private WwAcquireCtx wwAcquireInit(final Task task) {
        return new WwAcquireCtx(priv.glob.reservationWwClass(), task);
    }

    record ReserveCase(String description, boolean interruptible, boolean noWait) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<ReserveCase> ttmBoReservedCases() {
        return Stream.of(
                new ReserveCase("Cannot be interrupted and sleeps", false, false),
                new ReserveCase("Cannot be interrupted, locks straight away", false, true),
                new ReserveCase("Can be interrupted, sleeps", true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoReservedCases")
    void ttmBoReserveOptimisticNoTicket(final ReserveCase params) {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);

        final int err = TtmBo.reserve(bo, params.interruptible(), params.noWait(), null);

        assertThat(err).isEqualTo(Errno.OK);
        bo.resv().unlock();
    }

    @Test
    void ttmBoReserveLockedNoSleep() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        // Lock it beforehand.
        bo.resv().lock(null);

        final int err = TtmBo.reserve(bo, false, true, null);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.EBUSY);
    }

    @Test
    void ttmBoReserveNoWaitTicket() {
        final WwAcquireCtx ctx = wwAcquireInit(new Task("kunit"));
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);

        final int err = TtmBo.reserve(bo, false, true, ctx);

        assertThat(err).isEqualTo(Errno.EBUSY);
        ctx.fini();
    }

    @Test
    void ttmBoReserveDoubleResv() {
        final WwAcquireCtx ctx = wwAcquireInit(new Task("kunit"));
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        assertThat(TtmBo.reserve(bo, false, false, ctx)).isEqualTo(Errno.OK);

        final int err = TtmBo.reserve(bo, false, false, ctx);
        bo.resv().unlock();
        ctx.fini();

        assertThat(err).isEqualTo(Errno.EALREADY);
    }

    /**
     * Injects a deadlock by giving the context that holds bo2's lock a smaller (older) stamp, so the
     * reserving context, which already holds bo1, must back off with -EDEADLK (wait-die). The kernel's
     * comment calls the holder "younger"; its code makes it older, as here.
     */
    @Test
    void ttmBoReserveDeadlock() {
        final TtmBufferObject bo1 = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        final TtmBufferObject bo2 = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        final WwAcquireCtx ctx1 = wwAcquireInit(new Task("kunit"));
        bo2.resv().lock(null);
        final WwAcquireCtx ctx2 = WwAcquireCtx.copyOf(ctx1);
        ctx2.setStamp(ctx1.stamp() - 1);
        bo2.resv().lockObject().setCtx(ctx2);

        assertThat(TtmBo.reserve(bo1, false, false, ctx1)).isEqualTo(Errno.OK);
        assertThat(TtmBo.reserve(bo2, false, false, ctx1)).isEqualTo(Errno.EDEADLK);

        bo1.resv().unlock();
        ctx1.fini();
    }

    /**
     * The kthread's interruptible reserve sleeps on the lock the test holds until a SIGTERM arrives;
     * the model delivers the signal before the sleep, which ends it the same way (-EINTR from the
     * lock, -ERESTARTSYS from ttm_bo_reserve).
     */
    @Test
    void ttmBoReserveInterrupted() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        final Task task = new Task("ttm-bo-reserve");
        // Take the lock so the threaded reserve has to wait.
        bo.resv().lock(null);

        final WwAcquireCtx ctx = wwAcquireInit(task);
        task.sendSignal(Task.SIGTERM);
        final int err = TtmBo.reserve(bo, true, false, ctx);
        ctx.fini();
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.ERESTARTSYS);
    }

    @Test
    void ttmBoUnreserveBasic() {
        final int boPrio = TtmResourceManager.TTM_MAX_BO_PRIORITY - 1;
        final TtmPlace place = TtmKunitHelpers.placeKunitInit(TtmPlace.PL_SYSTEM, 0);
        final TtmDevice ttmDev = ownDevice();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        bo.setPriority(boPrio);
        final TtmResource[] res1 = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place, res1)).isEqualTo(Errno.OK);
        bo.setResource(res1[0]);
        // A dummy resource to populate the LRU.
        final TtmResource[] res2 = new TtmResource[1];
        TtmResource.alloc(bo, place, res2);

        bo.resv().lock(null);
        TtmBo.unreserve(bo);

        final TtmResourceManager man = ttmDev.managerType(TtmPlace.PL_SYSTEM);
        assertThat(man.lru(bo.priority()).isLast(res1[0])).isTrue();
        TtmResource.free(bo, res2[0]);
        TtmResource.free(bo, res1[0]);
    }

    @Test
    void ttmBoUnreservePinned() {
        final TtmDevice ttmDev = ownDevice();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        final TtmPlace place = TtmKunitHelpers.placeKunitInit(TtmPlace.PL_SYSTEM, 0);
        bo.resv().lock(null);
        TtmBo.pin(bo);
        final TtmResource[] res1 = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place, res1)).isEqualTo(Errno.OK);
        bo.setResource(res1[0]);

        // A dummy resource on the pinned list.
        final TtmResource[] res2 = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place, res2)).isEqualTo(Errno.OK);
        assertThat(ttmDev.unevictable().isLast(res2[0])).isTrue();

        TtmBo.unreserve(bo);
        assertThat(ttmDev.unevictable().isLast(res1[0])).isTrue();

        TtmResource.free(bo, res1[0]);
        TtmResource.free(bo, res2[0]);
    }

    @Test
    void ttmBoUnreserveBulk() {
        final TtmLruBulkMove lruBulkMove = new TtmLruBulkMove();
        final TtmPlace place = TtmKunitHelpers.placeKunitInit(TtmPlace.PL_SYSTEM, 0);
        final DmaResv resv = new DmaResv();
        ownDevice();
        final TtmBufferObject bo1 = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, resv);
        final TtmBufferObject bo2 = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, resv);

        bo1.resv().lock(null);
        TtmBo.setBulkMove(bo1, lruBulkMove);
        bo1.resv().unlock();
        final TtmResource[] res1 = new TtmResource[1];
        assertThat(TtmResource.alloc(bo1, place, res1)).isEqualTo(Errno.OK);
        bo1.setResource(res1[0]);

        bo2.resv().lock(null);
        TtmBo.setBulkMove(bo2, lruBulkMove);
        bo2.resv().unlock();
        final TtmResource[] res2 = new TtmResource[1];
        assertThat(TtmResource.alloc(bo2, place, res2)).isEqualTo(Errno.OK);
        bo2.setResource(res2[0]);

        TtmBo.reserve(bo1, false, false, null);
        TtmBo.unreserve(bo1);

        final TtmLruBulkMove.Pos pos = lruBulkMove.pos(TtmPlace.PL_SYSTEM, 0);
        assertThat(pos.last()).isSameAs(res1[0]);
        TtmResource.free(bo1, res1[0]);
        TtmResource.free(bo2, res2[0]);
    }

    @Test
    void ttmBoFiniBasic() {
        final TtmPlace place = TtmKunitHelpers.placeKunitInit(TtmPlace.PL_SYSTEM, 0);
        final TtmDevice ttmDev = ownDevice();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        bo.setType(TtmBufferObject.TYPE_DEVICE);
        final TtmResource[] res = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place, res)).isEqualTo(Errno.OK);
        bo.setResource(res[0]);

        bo.resv().lock(null);
        final int err = TtmTt.create(bo, false);
        bo.resv().unlock();
        assertThat(err).isEqualTo(Errno.OK);

        TtmBo.fini(bo);

        assertThat(bo.resource()).isNull();
        assertThat(bo.ttm()).isNull();
        assertThat(ttmDev.sysman().usage()).isZero();
    }

    @Test
    void ttmBoFiniSharedResv() {
        ownDevice();
        final DmaResv externalResv = new DmaResv();
        final DmaFence fence = DmaFence.pending("kunit-ttm-bo-put");
        externalResv.lock(null);
        externalResv.reserveFences(1);
        externalResv.addFence(fence, DmaResvUsage.BOOKKEEP);
        externalResv.unlock();
        fence.signal();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        bo.setType(TtmBufferObject.TYPE_DEVICE);
        bo.setResv(externalResv);

        TtmBo.fini(bo);

        // Release individualised the reservation: the buffer's own now carries the fence.
        assertThat(bo.resv()).isSameAs(bo.baseResv());
        assertThat(bo.baseResv().fences()).extracting(DmaResv.Entry::fence).containsExactly(fence);
    }

    @Test
    void ttmBoPinBasic() {
        ownDevice();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        final int noPins = 3;

        for (int i = 0; i < noPins; i++) {
            bo.resv().lock(null);
            TtmBo.pin(bo);
            bo.resv().unlock();
        }

        assertThat(bo.pinCount()).isEqualTo(noPins);
    }

    @Test
    void ttmBoPinUnpinResource() {
        final TtmLruBulkMove lruBulkMove = new TtmLruBulkMove();
        final TtmPlace place = TtmKunitHelpers.placeKunitInit(TtmPlace.PL_SYSTEM, 0);
        ownDevice();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        final TtmResource[] res = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place, res)).isEqualTo(Errno.OK);
        bo.setResource(res[0]);

        bo.resv().lock(null);
        TtmBo.setBulkMove(bo, lruBulkMove);
        TtmBo.pin(bo);
        bo.resv().unlock();

        final TtmLruBulkMove.Pos pos = lruBulkMove.pos(TtmPlace.PL_SYSTEM, 0);
        assertThat(bo.pinCount()).isEqualTo(1);
        assertThat(pos.first()).isNull();
        assertThat(pos.last()).isNull();

        bo.resv().lock(null);
        TtmBo.unpin(bo);
        bo.resv().unlock();

        assertThat(pos.last()).isSameAs(res[0]);
        assertThat(bo.pinCount()).isZero();
        TtmResource.free(bo, res[0]);
    }

    @Test
    void ttmBoMultiplePinOneUnpin() {
        final TtmLruBulkMove lruBulkMove = new TtmLruBulkMove();
        final TtmPlace place = TtmKunitHelpers.placeKunitInit(TtmPlace.PL_SYSTEM, 0);
        ownDevice();
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, BO_SIZE, null);
        final TtmResource[] res = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place, res)).isEqualTo(Errno.OK);
        bo.setResource(res[0]);

        bo.resv().lock(null);
        TtmBo.setBulkMove(bo, lruBulkMove);
        // Multiple pins.
        TtmBo.pin(bo);
        TtmBo.pin(bo);
        bo.resv().unlock();

        final TtmLruBulkMove.Pos pos = lruBulkMove.pos(TtmPlace.PL_SYSTEM, 0);
        assertThat(bo.pinCount()).isEqualTo(2);
        assertThat(pos.first()).isNull();
        assertThat(pos.last()).isNull();

        bo.resv().lock(null);
        TtmBo.unpin(bo);
        bo.resv().unlock();

        assertThat(bo.pinCount()).isEqualTo(1);
        assertThat(pos.first()).isNull();
        assertThat(pos.last()).isNull();

        bo.resv().lock(null);
        TtmBo.unpin(bo);
        bo.resv().unlock();
        TtmResource.free(bo, res[0]);
    }
}
