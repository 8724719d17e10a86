package org.ttmsim.ttm;

/**
 * Models {@code struct ttm_resource_cursor} and {@code ttm_resource_manager_first()/next()}
 * (drivers/gpu/drm/ttm/ttm_resource.c): a restartable walk over a manager's LRU lists, lowest
 * priority first and oldest first within a priority. The cursor parks a hitch after the resource it
 * returned, so resources may move or vanish while the walker works on one.
 */
public final class TtmResourceCursor {
    private final TtmResourceManager man;
    private final TtmLruItem hitch = new TtmLruItem(null);
    private int priority;

    /** {@code ttm_resource_cursor_init()}. */
    public TtmResourceCursor(final TtmResourceManager man) {
        this.man = man;
    }

    /** {@code ttm_resource_manager_first()}. */
    public TtmResource first() {
        priority = 0;
        man.lru(priority).moveHead(hitch);
        return next();
    }

    /** {@code ttm_resource_manager_next()}: null once every priority list is exhausted. */
    public TtmResource next() {
        while (true) {
            final TtmLruList list = man.lru(priority);
            for (TtmLruItem i = hitch.next; i != list.head(); i = i.next) {
                if (i.res != null) {
                    TtmLruList.moveAfter(hitch, i);
                    return i.res;
                }
            }
            if (++priority >= TtmResourceManager.TTM_MAX_BO_PRIORITY) {
                break;
            }
            man.lru(priority).moveHead(hitch);
        }
        fini();
        return null;
    }

    /** {@code ttm_resource_cursor_fini()}: takes the hitch off any list. */
    public void fini() {
        TtmLruList.del(hitch);
    }
}
