package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LRU, the restartable cursor and bulk moves, which the eviction order rests on. */
class TtmLruListTest {
    private TtmKunitHelpers.TestDevices devs;
    private TtmResourceManager man;

    @BeforeEach
    void init() {
        devs = TtmKunitHelpers.all();
        man = devs.ttmDev.sysman();
    }

    @AfterEach
    void fini() {
        TtmKunitHelpers.put(devs);
    }

    private TtmResource res(final TtmBufferObject bo) {
        final TtmResource[] r = new TtmResource[1];
        TtmResource.alloc(bo, TtmPlace.of(TtmPlace.PL_SYSTEM, 0), r);
        return r[0];
    }

    @Test
    void shouldWalkPrioritiesLowFirstAndOldestFirst() {
        final TtmBufferObject hi = TtmKunitHelpers.boKunitInit(devs, 4096, null);
        hi.setPriority(2);
        final TtmBufferObject lo = TtmKunitHelpers.boKunitInit(devs, 4096, null);
        final TtmResource h1 = res(hi);
        final TtmResource l1 = res(lo);
        final TtmResource l2 = res(lo);
        final List<TtmResource> seen = new ArrayList<>();

        final TtmResourceCursor cursor = new TtmResourceCursor(man);
        for (TtmResource r = cursor.first(); r != null; r = cursor.next()) {
            seen.add(r);
        }

        assertThat(seen).containsExactly(l1, l2, h1);
    }

    @Test
    void shouldKeepItsPlaceWhenTheCurrentResourceLeavesTheList() {
        final TtmBufferObject bo = TtmKunitHelpers.boKunitInit(devs, 4096, null);
        final TtmResource a = res(bo);
        final TtmResource b = res(bo);
        final TtmResource c = res(bo);
        final List<TtmResource> seen = new ArrayList<>();

        final TtmResourceCursor cursor = new TtmResourceCursor(man);
        for (TtmResource r = cursor.first(); r != null; r = cursor.next()) {
            seen.add(r);
            if (r == a) {
                TtmResource.free(bo, a);
                TtmResource.moveToLruTail(b);
            }
        }

        assertThat(seen).containsExactly(a, c, b);
        assertThat(man.lru(0).resources()).containsExactly(c, b);
    }

    @Test
    void shouldMoveAWholeBulkGroupToTheTail() {
        final DmaResv shared = new DmaResv();
        final TtmBufferObject x = TtmKunitHelpers.boKunitInit(devs, 4096, shared);
        final TtmBufferObject y = TtmKunitHelpers.boKunitInit(devs, 4096, shared);
        final TtmBufferObject other = TtmKunitHelpers.boKunitInit(devs, 4096, null);
        final TtmLruBulkMove bulk = new TtmLruBulkMove();
        shared.lock(null);
        TtmBo.setBulkMove(x, bulk);
        TtmBo.setBulkMove(y, bulk);
        final TtmResource rx = res(x);
        final TtmResource ry = res(y);
        final TtmResource ro = res(other);
        assertThat(man.lru(0).resources()).containsExactly(rx, ry, ro);

        bulk.moveTail();
        shared.unlock();

        assertThat(man.lru(0).resources()).containsExactly(ro, rx, ry);
        assertThat(bulk.pos(TtmPlace.PL_SYSTEM, 0).first()).isSameAs(rx);
        assertThat(bulk.pos(TtmPlace.PL_SYSTEM, 0).last()).isSameAs(ry);
    }
}
