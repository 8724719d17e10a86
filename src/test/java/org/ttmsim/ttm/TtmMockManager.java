package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;

/**
 * The port of drivers/gpu/drm/ttm/tests/ttm_mock_manager.c: a buddy-backed manager with tt pages
 * (use_tt), and the "bad" (alloc always -ENOSPC) and "busy" (alloc always -EBUSY) managers.
 */
final class TtmMockManager {
    private TtmMockManager() {
    }

    /** {@code ttm_mock_manager_init()}: buddy of {@code size} bytes, chunk PAGE_SIZE, use_tt. */
    static TtmResourceManager init(final TtmDevice bdev, final int memType, final long size) {
        return TtmBuddyManager.init(bdev, memType, size, true, false);
    }

    /** {@code ttm_mock_manager_fini()}: evict all, then unregister (stays registered on error). */
    static void fini(final TtmDevice bdev, final int memType) {
        TtmBuddyManager.fini(bdev, memType);
    }

    /** {@code ttm_bad_manager_funcs}. */
    static final ResourceManagerFunc BAD_FUNCS = new ResourceManagerFunc() {
        @Override
        public int alloc(final TtmResourceManager man, final TtmBufferObject bo, final TtmPlace place,
                final TtmResource[] res) {
            return Errno.ENOSPC;
        }

        @Override
        public void free(final TtmResourceManager man, final TtmResource res) {
        }

        @Override
        public boolean compatible(final TtmResourceManager man, final TtmResource res, final TtmPlace place,
                final long size) {
            return true;
        }
    };

    /** {@code ttm_bad_busy_manager_funcs}. */
    static final ResourceManagerFunc BUSY_FUNCS = new ResourceManagerFunc() {
        @Override
        public int alloc(final TtmResourceManager man, final TtmBufferObject bo, final TtmPlace place,
                final TtmResource[] res) {
            return Errno.EBUSY;
        }

        @Override
        public void free(final TtmResourceManager man, final TtmResource res) {
        }

        @Override
        public boolean compatible(final TtmResourceManager man, final TtmResource res, final TtmPlace place,
                final long size) {
            return true;
        }
    };

    /** {@code ttm_bad_manager_init()}. */
    static void badManagerInit(final TtmDevice bdev, final int memType, final long size) {
        final TtmResourceManager man = new TtmResourceManager(BAD_FUNCS, false);
        man.init(bdev, size);
        bdev.setDriverManager(memType, man);
        man.setUsed(true);
    }

    /** {@code ttm_busy_manager_init()}: a bad manager whose alloc says -EBUSY. */
    static void busyManagerInit(final TtmDevice bdev, final int memType, final long size) {
        badManagerInit(bdev, memType, size);
        bdev.managerType(memType).setFunc(BUSY_FUNCS);
    }

    /** {@code ttm_bad_manager_fini()}. */
    static void badManagerFini(final TtmDevice bdev, final int memType) {
        final TtmResourceManager man = bdev.managerType(memType);
        man.setUsed(false);
        bdev.setDriverManager(memType, null);
    }
}
