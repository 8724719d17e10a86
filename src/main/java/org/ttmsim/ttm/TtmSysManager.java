package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;

/**
 * Models drivers/gpu/drm/ttm/ttm_sys_manager.c: the system-memory manager every device has. Its
 * resources are plain bookkeeping (no address range); the pages live in the buffer's ttm_tt.
 */
public final class TtmSysManager {
    /** {@code ttm_sys_manager_func}. */
    public static final ResourceManagerFunc FUNC = new ResourceManagerFunc() {
        @Override
        public int alloc(final TtmResourceManager man, final TtmBufferObject bo, final TtmPlace place,
                final TtmResource[] res) {
            final TtmResource r = new TtmResource();
            TtmResource.init(bo, place, r);
            res[0] = r;
            return Errno.OK;
        }

        @Override
        public void free(final TtmResourceManager man, final TtmResource res) {
            TtmResource.fini(man, res);
        }
    };

    private TtmSysManager() {
    }

    /** {@code ttm_sys_man_init()}: use_tt, size 0, registered for TTM_PL_SYSTEM and in use. */
    static void init(final TtmDevice bdev) {
        final TtmResourceManager man = bdev.sysman();
        man.setFunc(FUNC);
        man.setUseTt(true);
        man.init(bdev, 0);
        bdev.setDriverManager(TtmPlace.PL_SYSTEM, man);
        man.setUsed(true);
    }
}
