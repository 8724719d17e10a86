package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.hw.Errno;

/**
 * Port of drivers/gpu/drm/ttm/tests/ttm_bo_validate_test.c (suite {@code ttm_bo_validate}).
 *
 * <p>Where the kernel test races a kthread that signals a fence, the model signals it at a fixed
 * point: after the validate (the kthread lost the race), which the kernel's expectations allow.
 */
class TtmBoValidateTest {
    private static final long PAGE_SIZE = 4096;
    private static final long BO_SIZE = 4096;
    private static final long MANAGER_SIZE = 1024 * 1024;
    private TtmKunitHelpers.TestDevices priv;

    @BeforeEach
    void init() {
        priv = TtmKunitHelpers.all();
    }

    @AfterEach
    void fini() {
        TtmKunitHelpers.put(priv);
    }

    record ValidateCase(String description, int boType, int memType, boolean withTtm, boolean noGpuWait) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<ValidateCase> ttmBoTypeCases() {
        return Stream.of(
                new ValidateCase("Buffer object for userspace", TtmBufferObject.TYPE_DEVICE, 0, false, false),
                new ValidateCase("Kernel buffer object", TtmBufferObject.TYPE_KERNEL, 0, false, false),
                new ValidateCase("Shared buffer object", TtmBufferObject.TYPE_SG, 0, false, false));
    }

    static Stream<ValidateCase> ttmMemTypeCases() {
        return Stream.of(
                new ValidateCase("System manager", 0, TtmPlace.PL_SYSTEM, false, false),
                new ValidateCase("VRAM manager", 0, TtmPlace.PL_VRAM, false, false));
    }

    static Stream<ValidateCase> ttmBoNoPlacementCases() {
        return Stream.of(
                new ValidateCase("Buffer object in system domain, no page vector", 0, 0, false, false),
                new ValidateCase("Buffer object in system domain with an existing page vector", 0, 0, true, false));
    }

    static Stream<ValidateCase> ttmBoValidateWaitCases() {
        return Stream.of(
                new ValidateCase("Waits for GPU", 0, 0, false, false),
                new ValidateCase("Tries to lock straight away", 0, 0, false, true));
    }

    private static TtmPlacement placement(final TtmPlace... places) {
        return TtmKunitHelpers.placementKunitInit(places);
    }

    private static TtmPlace place(final int memType, final int flags) {
        return TtmKunitHelpers.placeKunitInit(memType, flags);
    }

    /** kzalloc + drm_gem_private_object_init + {@code ttm_bo_init_reserved()}. */
    private TtmBufferObject initReserved(final long size, final int type, final TtmPlacement placement,
            final OperationCtx ctx, final DmaResv resv) {
        final TtmBufferObject bo = new TtmBufferObject(size);
        final int err = TtmBo.initReserved(priv.ttmDev, bo, type, placement, PAGE_SIZE, ctx, null, resv,
                TtmKunitHelpers.DUMMY_TTM_BO_DESTROY);
        assertThat(err).isEqualTo(Errno.OK);
        return bo;
    }

    private TtmBufferObject kunitBo(final long size, final int type) {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(priv, size, null);
        bo.setType(type);
        return bo;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoTypeCases")
    void ttmBoInitReservedSysMan(final ValidateCase params) {
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = new TtmBufferObject(BO_SIZE);

        final int err = TtmBo.initReserved(priv.ttmDev, bo, params.boType(),
                placement(place(TtmPlace.PL_SYSTEM, 0)), PAGE_SIZE, ctx, null, null,
                TtmKunitHelpers.DUMMY_TTM_BO_DESTROY);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.kref()).isEqualTo(1);
        assertThat(bo.bdev()).isSameAs(priv.ttmDev);
        assertThat(bo.type()).isEqualTo(params.boType());
        assertThat(bo.pageAlignment()).isEqualTo(PAGE_SIZE);
        assertThat(bo.destroy()).isSameAs(TtmKunitHelpers.DUMMY_TTM_BO_DESTROY);
        assertThat(bo.pinCount()).isZero();
        assertThat(bo.bulkMove()).isNull();
        assertThat(bo.ttm()).isNotNull();
        assertThat(bo.ttm().isPopulated()).isFalse();
        assertThat(bo.resv().fenceListAllocated()).isTrue();
        assertThat(ctx.bytesMoved()).isEqualTo(BO_SIZE);
        assertThat(bo.vmaNode().allocated()).isEqualTo(params.boType() != TtmBufferObject.TYPE_KERNEL);

        TtmBo.freeResource(bo);
        TtmBo.fini(bo);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoTypeCases")
    void ttmBoInitReservedMockMan(final ValidateCase params) {
        final OperationCtx ctx = new OperationCtx();
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        final TtmBufferObject bo = new TtmBufferObject(BO_SIZE);

        final int err = TtmBo.initReserved(priv.ttmDev, bo, params.boType(),
                placement(place(TtmPlace.PL_VRAM, 0)), PAGE_SIZE, ctx, null, null,
                TtmKunitHelpers.DUMMY_TTM_BO_DESTROY);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.kref()).isEqualTo(1);
        assertThat(bo.bdev()).isSameAs(priv.ttmDev);
        assertThat(bo.type()).isEqualTo(params.boType());
        assertThat(ctx.bytesMoved()).isEqualTo(BO_SIZE);
        assertThat(bo.vmaNode().allocated()).isEqualTo(params.boType() != TtmBufferObject.TYPE_KERNEL);

        TtmBo.freeResource(bo);
        TtmBo.fini(bo);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
    }

    @Test
    void ttmBoInitReservedResv() {
        final OperationCtx ctx = new OperationCtx();
        final DmaResv resv = new DmaResv();
        resv.lock(null);

        final TtmBufferObject bo = initReserved(BO_SIZE, TtmBufferObject.TYPE_DEVICE,
                placement(place(TtmPlace.PL_SYSTEM, 0)), ctx, resv);
        bo.resv().unlock();

        assertThat(bo.resv()).isSameAs(resv);
        TtmBo.freeResource(bo);
        TtmBo.fini(bo);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoTypeCases")
    void ttmBoValidateBasic(final ValidateCase params) {
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        final long size = 8192;
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        final TtmBufferObject bo = initReserved(size, params.boType(), placement(place(TtmPlace.PL_SYSTEM, 0)),
                ctxInit, null);

        final int err = TtmBo.validate(bo, placement(place(TtmPlace.PL_VRAM, GpuBuddy.TOPDOWN_ALLOCATION)), ctxVal);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(ctxVal.bytesMoved()).isEqualTo(bo.size());
        assertThat(bo.ttm()).isNotNull();
        assertThat(bo.ttm().isPopulated()).isTrue();
        assertThat(bo.resource().memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(bo.resource().placement()).isEqualTo(GpuBuddy.TOPDOWN_ALLOCATION);

        TtmBo.fini(bo);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
    }

    @Test
    void ttmBoValidateInvalidPlacement() {
        final int unknownMemType = TtmPlace.PL_PRIV + 1;
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(bo, false, false, null);
        final int err = TtmBo.validate(bo, placement(place(unknownMemType, 0)), ctx);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.ENOMEM);
        TtmBo.fini(bo);
    }

    @Test
    void ttmBoValidateFailedAlloc() {
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);
        TtmMockManager.badManagerInit(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);

        TtmBo.reserve(bo, false, false, null);
        final int err = TtmBo.validate(bo, placement(place(TtmPlace.PL_VRAM, 0)), ctx);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.ENOMEM);
        TtmBo.fini(bo);
        TtmMockManager.badManagerFini(priv.ttmDev, TtmPlace.PL_VRAM);
    }

    @Test
    void ttmBoValidatePinned() {
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(bo, false, false, null);
        TtmBo.pin(bo);
        final int err = TtmBo.validate(bo, placement(place(TtmPlace.PL_SYSTEM, 0)), ctx);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.EINVAL);
        TtmBo.reserve(bo, false, false, null);
        TtmBo.unpin(bo);
        bo.resv().unlock();
        TtmBo.fini(bo);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmMemTypeCases")
    void ttmBoValidateSamePlacement(final ValidateCase params) {
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        final TtmPlacement placement = placement(place(params.memType(), 0));
        if (params.memType() != TtmPlace.PL_SYSTEM) {
            TtmMockManager.init(priv.ttmDev, params.memType(), MANAGER_SIZE);
        }
        final TtmBufferObject bo = initReserved(BO_SIZE, params.boType(), placement, ctxInit, null);

        final int err = TtmBo.validate(bo, placement, ctxVal);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(ctxVal.bytesMoved()).isZero();
        TtmBo.fini(bo);
        if (params.memType() != TtmPlace.PL_SYSTEM) {
            TtmMockManager.fini(priv.ttmDev, params.memType());
        }
    }

    @Test
    void ttmBoValidateBusyPlacement() {
        final int fstMem = TtmPlace.PL_VRAM;
        final int sndMem = TtmPlace.PL_VRAM + 1;
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        TtmMockManager.badManagerInit(priv.ttmDev, fstMem, MANAGER_SIZE);
        TtmMockManager.init(priv.ttmDev, sndMem, MANAGER_SIZE);
        final TtmBufferObject bo = initReserved(BO_SIZE, TtmBufferObject.TYPE_DEVICE,
                placement(place(TtmPlace.PL_SYSTEM, 0)), ctxInit, null);

        final int err = TtmBo.validate(bo, placement(place(fstMem, TtmPlace.FLAG_DESIRED),
                place(sndMem, TtmPlace.FLAG_FALLBACK)), ctxVal);
        bo.resv().unlock();

        final TtmResourceManager man = priv.ttmDev.managerType(sndMem);
        assertThat(err).isEqualTo(Errno.OK);
        assertThat(ctxVal.bytesMoved()).isEqualTo(bo.size());
        assertThat(bo.resource().memType()).isEqualTo(sndMem);
        assertThat(man.lru(bo.priority()).isSingular()).isTrue();
        TtmBo.fini(bo);
        TtmMockManager.badManagerFini(priv.ttmDev, fstMem);
        TtmMockManager.fini(priv.ttmDev, sndMem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoTypeCases")
    void ttmBoValidateMultihop(final ValidateCase params) {
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_TT, MANAGER_SIZE);
        final TtmBufferObject bo = initReserved(BO_SIZE, params.boType(), placement(place(TtmPlace.PL_VRAM, 0)),
                ctxInit, null);

        final int err = TtmBo.validate(bo, placement(place(TtmPlace.PL_SYSTEM, 0)), ctxVal);
        bo.resv().unlock();

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(ctxVal.bytesMoved()).isEqualTo(BO_SIZE * 2);
        assertThat(bo.resource().memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        TtmBo.fini(bo);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_TT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoNoPlacementCases")
    void ttmBoValidateNoPlacementSignaled(final ValidateCase params) {
        final OperationCtx ctx = new OperationCtx();
        final TtmPlace place = place(TtmPlace.PL_SYSTEM, 0);
        final TtmResourceManager man = priv.ttmDev.managerType(TtmPlace.PL_SYSTEM);
        final TtmBufferObject bo = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);
        TtmTt oldTt = null;
        if (params.withTtm()) {
            oldTt = priv.ttmDev.funcs().ttmTtCreate(bo, 0);
            priv.ttmDev.pool().alloc(oldTt, ctx);
            bo.setTtm(oldTt);
        }

        TtmBo.reserve(bo, false, false, null);
        final TtmResource[] res = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place, res)).isEqualTo(Errno.OK);
        bo.setResource(res[0]);
        assertThat(man.usage()).isEqualTo(BO_SIZE);

        final int err = TtmBo.validate(bo, TtmPlacement.empty(), ctx);
        TtmBo.unreserve(bo);

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(man.usage()).isZero();
        assertThat(bo.ttm()).isNotNull();
        assertThat(ctx.bytesMoved()).isZero();
        if (params.withTtm()) {
            final int flags = bo.ttm().pageFlags();
            assertThat(bo.ttm()).isSameAs(oldTt);
            assertThat(flags & TtmTt.FLAG_PRIV_POPULATED).isZero();
            assertThat(flags & TtmTt.FLAG_ZERO_ALLOC).isNotZero();
        }
        TtmBo.fini(bo);
    }

    /**
     * A BOOKKEEP fence the kernel signals from a racing kthread; here it is still pending during the
     * validate (the ghost-object path) and signals right after. The kernel's checks hold either way;
     * the model also checks that the ghost frees the old resource once the workqueue runs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoTypeCases")
    void ttmBoValidateNoPlacementNotSignaled(final ValidateCase params) {
        final OperationCtx ctx = new OperationCtx();
        final TtmBufferObject bo = kunitBo(BO_SIZE, params.boType());
        final TtmResource[] res = new TtmResource[1];
        assertThat(TtmResource.alloc(bo, place(TtmPlace.PL_SYSTEM, 0), res)).isEqualTo(Errno.OK);
        bo.setResource(res[0]);
        // An active fence, to simulate a non-idle reservation object.
        final DmaFence fence = DmaFence.pending("ttm-bo-validate-fence");
        bo.resv().lock(null);
        bo.resv().reserveFences(1);
        bo.resv().addFence(fence, DmaResvUsage.BOOKKEEP);
        bo.resv().unlock();

        TtmBo.reserve(bo, false, false, null);
        final int err = TtmBo.validate(bo, TtmPlacement.empty(), ctx);
        TtmBo.unreserve(bo);
        fence.signal(); // the "dma-resv-signal" kthread

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.ttm()).isNotNull();
        assertThat(bo.resource()).isNull();
        assertThat(bo.bulkMove()).isNull();
        assertThat(ctx.bytesMoved()).isZero();
        if (bo.type() != TtmBufferObject.TYPE_SG) {
            assertThat(bo.resv()).isSameAs(bo.baseResv());
        }
        // Make sure we have an idle object at this point.
        bo.resv().waitTimeout(DmaResvUsage.BOOKKEEP, false, Long.MAX_VALUE);
        // Model check: a ghost held the old resource until its fence signaled.
        assertThat(priv.ttmDev.sysman().usage()).isEqualTo(BO_SIZE);
        assertThat(priv.ttmDev.runWorkqueue()).isEqualTo(1);
        assertThat(priv.ttmDev.sysman().usage()).isZero();
        TtmBo.fini(bo);
    }

    @Test
    void ttmBoValidateMoveFenceSignaled() {
        final OperationCtx ctx = new OperationCtx();
        final TtmResourceManager man = priv.ttmDev.managerType(TtmPlace.PL_SYSTEM);
        man.setEvictionFence(0, DmaFence.stub());
        final TtmBufferObject bo = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(bo, false, false, null);
        final int err = TtmBo.validate(bo, placement(place(TtmPlace.PL_SYSTEM, 0)), ctx);
        TtmBo.unreserve(bo);

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.resource().memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        assertThat(ctx.bytesMoved()).isEqualTo(BO_SIZE);
        TtmBo.fini(bo);
        man.setEvictionFence(0, null);
    }

    /**
     * The VRAM manager's pipelined-eviction fence is unsignaled during the validate (the kernel's
     * kthread signals it 20 ms later, here right after): without waiting the BO falls back to the
     * other type; with waiting the fence becomes a dependency and the BO goes to VRAM.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ttmBoValidateWaitCases")
    void ttmBoValidateMoveFenceNotSignaled(final ValidateCase params) {
        final int fstMem = TtmPlace.PL_VRAM;
        final int sndMem = TtmPlace.PL_VRAM + 1;
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx(false, params.noGpuWait());
        final TtmBufferObject bo = initReserved(BO_SIZE, TtmBufferObject.TYPE_DEVICE,
                placement(place(TtmPlace.PL_SYSTEM, 0)), ctxInit, null);
        TtmMockManager.init(priv.ttmDev, fstMem, MANAGER_SIZE);
        TtmMockManager.init(priv.ttmDev, sndMem, MANAGER_SIZE);
        final TtmResourceManager man = priv.ttmDev.managerType(fstMem);
        final DmaFence fence = DmaFence.pending("ttm-bo-validate-fence");
        man.setEvictionFence(0, fence);

        final int err = TtmBo.validate(bo, placement(place(fstMem, TtmPlace.FLAG_DESIRED),
                place(sndMem, TtmPlace.FLAG_FALLBACK)), ctxVal);
        bo.resv().unlock();
        fence.signal(); // the "move-fence-signal" kthread
        fence.waitTimeout(false, Long.MAX_VALUE);
        man.setEvictionFence(0, null);

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(ctxVal.bytesMoved()).isEqualTo(BO_SIZE);
        assertThat(bo.resource().memType()).isEqualTo(params.noGpuWait() ? sndMem : fstMem);
        TtmBo.fini(bo);
        TtmMockManager.fini(priv.ttmDev, fstMem);
        TtmMockManager.fini(priv.ttmDev, sndMem);
    }

    @Test
    void ttmBoValidateHappyEvict() {
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        final long small = 8192;
        final long medium = 512 * 1024;
        final long big = MANAGER_SIZE - (small + medium);
        final long[] boSizes = {small, medium, big};
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_TT, MANAGER_SIZE);
        final TtmPlacement placement = placement(place(TtmPlace.PL_VRAM, 0));
        final TtmBufferObject[] bos = new TtmBufferObject[3];
        for (int i = 0; i < bos.length; i++) {
            bos[i] = initReserved(boSizes[i], TtmBufferObject.TYPE_DEVICE, placement, ctxInit, null);
            bos[i].resv().unlock();
        }
        final TtmBufferObject boVal = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(boVal, false, false, null);
        final int err = TtmBo.validate(boVal, placement, ctxVal);
        TtmBo.unreserve(boVal);

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bos[0].resource().memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        assertThat(bos[0].ttm().pageFlags() & TtmTt.FLAG_ZERO_ALLOC).isNotZero();
        assertThat(bos[0].ttm().pageFlags() & TtmTt.FLAG_PRIV_POPULATED).isNotZero();
        assertThat(ctxVal.bytesMoved()).isEqualTo(small * 2 + BO_SIZE);
        assertThat(bos[1].resource().memType()).isEqualTo(TtmPlace.PL_VRAM);
        for (final TtmBufferObject bo : bos) {
            TtmBo.fini(bo);
        }
        TtmBo.fini(boVal);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_TT);
    }

    @Test
    void ttmBoValidateAllPinnedEvict() {
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_TT, MANAGER_SIZE);
        final TtmPlacement placement = placement(place(TtmPlace.PL_VRAM, 0));
        final TtmBufferObject boBig = initReserved(MANAGER_SIZE, TtmBufferObject.TYPE_DEVICE, placement, ctxInit, null);
        TtmBo.pin(boBig);
        boBig.resv().unlock();
        final TtmBufferObject boSmall = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(boSmall, false, false, null);
        final int err = TtmBo.validate(boSmall, placement, ctxVal);
        TtmBo.unreserve(boSmall);

        assertThat(err).isEqualTo(Errno.ENOMEM);
        TtmBo.fini(boSmall);
        TtmBo.reserve(boBig, false, false, null);
        TtmBo.unpin(boBig);
        boBig.resv().unlock();
        TtmBo.fini(boBig);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_TT);
    }

    @Test
    void ttmBoValidateAllowedOnlyEvict() {
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        final long size = 512 * 1024;
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_TT, MANAGER_SIZE);
        final TtmPlacement placement = placement(place(TtmPlace.PL_VRAM, 0));
        final TtmBufferObject boPinned = initReserved(size, TtmBufferObject.TYPE_DEVICE, placement, ctxInit, null);
        TtmBo.pin(boPinned);
        boPinned.resv().unlock();
        final TtmBufferObject boEvictable = initReserved(size, TtmBufferObject.TYPE_DEVICE, placement, ctxInit,
                null);
        boEvictable.resv().unlock();
        final TtmBufferObject bo = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(bo, false, false, null);
        final int err = TtmBo.validate(bo, placement, ctxVal);
        TtmBo.unreserve(bo);

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.resource().memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(boPinned.resource().memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(boEvictable.resource().memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        assertThat(ctxVal.bytesMoved()).isEqualTo(size * 2 + BO_SIZE);
        TtmBo.fini(bo);
        TtmBo.fini(boEvictable);
        TtmBo.reserve(boPinned, false, false, null);
        TtmBo.unpin(boPinned);
        boPinned.resv().unlock();
        TtmBo.fini(boPinned);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_TT);
    }

    @Test
    void ttmBoValidateDeletedEvict() {
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        final long small = 8192;
        final long big = MANAGER_SIZE - BO_SIZE;
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        final TtmResourceManager man = priv.ttmDev.managerType(TtmPlace.PL_VRAM);
        final TtmPlacement placement = placement(place(TtmPlace.PL_VRAM, 0));
        final TtmBufferObject boBig = initReserved(big, TtmBufferObject.TYPE_DEVICE, placement, ctxInit, null);
        assertThat(man.usage()).isEqualTo(big);
        boBig.resv().unlock();
        boBig.setDeleted(true);
        final TtmBufferObject boSmall = kunitBo(small, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(boSmall, false, false, null);
        final int err = TtmBo.validate(boSmall, placement, ctxVal);
        TtmBo.unreserve(boSmall);

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(boSmall.resource().memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(man.usage()).isEqualTo(small);
        assertThat(boBig.ttm()).isNull();
        assertThat(boBig.resource()).isNull();
        TtmBo.fini(boSmall);
        TtmBo.fini(boBig);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
    }

    @Test
    void ttmBoValidateBusyDomainEvict() {
        final int memTypeEvict = TtmKunitHelpers.TTM_PL_MOCK1;
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        // Drop the default device and set up one whose evictions all go to a busy domain.
        priv.ttmDev.fini();
        assertThat(TtmKunitHelpers.deviceKunitInitBadEvict(priv, priv.ttmDev)).isEqualTo(Errno.OK);
        TtmMockManager.init(priv.ttmDev, TtmPlace.PL_VRAM, MANAGER_SIZE);
        TtmMockManager.busyManagerInit(priv.ttmDev, memTypeEvict, MANAGER_SIZE);
        final TtmPlacement placement = placement(place(TtmPlace.PL_VRAM, 0));
        final TtmBufferObject boInit = initReserved(MANAGER_SIZE, TtmBufferObject.TYPE_DEVICE, placement, ctxInit,
                null);
        boInit.resv().unlock();
        final TtmBufferObject boVal = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(boVal, false, false, null);
        final int err = TtmBo.validate(boVal, placement, ctxVal);
        TtmBo.unreserve(boVal);

        assertThat(err).isEqualTo(Errno.ENOMEM);
        assertThat(boInit.resource().memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(boVal.resource()).isNull();
        TtmBo.fini(boInit);
        TtmBo.fini(boVal);
        TtmMockManager.fini(priv.ttmDev, TtmPlace.PL_VRAM);
        TtmMockManager.badManagerFini(priv.ttmDev, memTypeEvict);
    }

    @Test
    void ttmBoValidateEvictGutting() {
        final int memType = TtmKunitHelpers.TTM_PL_MOCK1;
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        TtmMockManager.init(priv.ttmDev, memType, MANAGER_SIZE);
        final TtmPlacement placement = placement(place(memType, 0));
        final TtmBufferObject boEvict = initReserved(MANAGER_SIZE, TtmBufferObject.TYPE_DEVICE, placement, ctxInit,
                null);
        boEvict.resv().unlock();
        final TtmBufferObject bo = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(bo, false, false, null);
        final int err = TtmBo.validate(bo, placement, ctxVal);
        TtmBo.unreserve(bo);

        assertThat(err).isEqualTo(Errno.OK);
        assertThat(bo.resource().memType()).isEqualTo(memType);
        assertThat(boEvict.resource()).isNull();
        assertThat(boEvict.ttm().pageFlags() & TtmTt.FLAG_ZERO_ALLOC).isNotZero();
        TtmBo.fini(boEvict);
        TtmBo.fini(bo);
        TtmMockManager.fini(priv.ttmDev, memType);
    }

    /** Spelled "recrusive" upstream. Managers are torn down before the buffers are freed, as there. */
    @Test
    void ttmBoValidateRecrusiveEvict() {
        final int memType = TtmPlace.PL_TT;
        final int memTypeEvict = TtmKunitHelpers.TTM_PL_MOCK2;
        final OperationCtx ctxInit = new OperationCtx();
        final OperationCtx ctxVal = new OperationCtx();
        TtmMockManager.init(priv.ttmDev, memType, MANAGER_SIZE);
        TtmMockManager.init(priv.ttmDev, memTypeEvict, MANAGER_SIZE);
        final TtmPlacement placementTt = placement(place(memType, 0));
        final TtmPlacement placementMock = placement(place(memTypeEvict, 0));
        final TtmBufferObject boTt = initReserved(MANAGER_SIZE, TtmBufferObject.TYPE_DEVICE, placementTt, ctxInit,
                null);
        boTt.resv().unlock();
        final TtmBufferObject boMock = initReserved(MANAGER_SIZE, TtmBufferObject.TYPE_DEVICE, placementMock,
                ctxInit, null);
        boMock.resv().unlock();
        final TtmBufferObject boVal = kunitBo(BO_SIZE, TtmBufferObject.TYPE_DEVICE);

        TtmBo.reserve(boVal, false, false, null);
        final int err = TtmBo.validate(boVal, placementTt, ctxVal);
        TtmBo.unreserve(boVal);

        assertThat(err).isEqualTo(Errno.OK);
        TtmMockManager.fini(priv.ttmDev, memType);
        TtmMockManager.fini(priv.ttmDev, memTypeEvict);
        TtmBo.fini(boVal);
        TtmBo.fini(boTt);
        TtmBo.fini(boMock);
    }
}
