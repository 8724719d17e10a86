package org.ttmsim.ttm;

/**
 * Models {@code struct ttm_lru_bulk_move} (include/drm/ttm/ttm_resource.h): for each memory type and
 * priority, the contiguous run {@code [first, last]} of a manager's LRU list that holds the resources
 * of a group of buffers sharing one reservation object, so that the whole group can be moved to the
 * LRU tail at once ({@link #moveTail()}).
 */
public final class TtmLruBulkMove {
    /** Models {@code struct ttm_lru_bulk_move_pos}. */
    public static final class Pos {
        TtmResource first;
        TtmResource last;

        public TtmResource first() {
            return first;
        }

        public TtmResource last() {
            return last;
        }
    }

    private final Pos[][] pos = new Pos[TtmDevice.TTM_NUM_MEM_TYPES][TtmResourceManager.TTM_MAX_BO_PRIORITY];

    /** {@code ttm_lru_bulk_move_init()}. */
    public TtmLruBulkMove() {
        for (int i = 0; i < pos.length; i++) {
            for (int j = 0; j < pos[i].length; j++) {
                pos[i][j] = new Pos();
            }
        }
    }

    /** {@code &bulk->pos[memType][priority]}. */
    public Pos pos(final int memType, final int priority) {
        return pos[memType][priority];
    }

    private Pos posOf(final TtmResource res) {
        return pos[res.memType()][res.bo().priority()];
    }

    /**
     * {@code ttm_lru_bulk_move_add()}. A group that was empty (first activation, or every member was
     * pinned or swapped) is re-seeded at the manager's LRU tail, wherever the resource was before (it
     * may come from the unevictable list), as the 2025 rework of the bulk move does.
     */
    void add(final TtmResource res) {
        final Pos p = posOf(res);
        if (p.first == null) {
            p.first = res;
            p.last = res;
            final TtmResourceManager man = res.bo().bdev().managerType(res.memType());
            man.lru(res.bo().priority()).moveTail(res.lru());
        } else {
            if (p.first.bo().resv() != res.bo().resv()) {
                throw new IllegalStateException("bulk move of buffers with different reservation objects");
            }
            posTail(p, res);
        }
    }

    /** {@code ttm_lru_bulk_move_del()}: takes the resource out of its run. */
    void del(final TtmResource res) {
        final Pos p = posOf(res);
        if (p.first == null || p.last == null || (p.first == res && p.last == res)) {
            p.first = null;
            p.last = null;
        } else if (p.first == res) {
            p.first = TtmLruList.nextRes(res.lru());
        } else if (p.last == res) {
            p.last = TtmLruList.prevRes(res.lru());
        } else {
            TtmLruList.moveAfter(res.lru(), p.last.lru());
        }
    }

    /** {@code ttm_lru_bulk_move_pos_tail()}: moves the resource to the end of its run. */
    void tail(final TtmResource res) {
        posTail(posOf(res), res);
    }

    private static void posTail(final Pos p, final TtmResource res) {
        if (p.last != res) {
            if (p.first == res) {
                p.first = TtmLruList.nextRes(res.lru());
            }
            TtmLruList.moveAfter(res.lru(), p.last.lru());
            p.last = res;
        }
    }

    /** {@code ttm_lru_bulk_move_tail()}: every run to the tail of its manager's LRU list. */
    public void moveTail() {
        for (int i = 0; i < pos.length; i++) {
            for (int j = 0; j < pos[i].length; j++) {
                final Pos p = pos[i][j];
                if (p.first == null) {
                    continue;
                }
                p.first.bo().resv().assertHeld();
                final TtmResourceManager man = p.first.bo().bdev().managerType(i);
                man.lru(j).moveRangeTail(p.first.lru(), p.last.lru());
            }
        }
    }
}
