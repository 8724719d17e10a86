package org.ttmsim.ttm;

/**
 * Models {@code struct ttm_lru_item} (include/drm/ttm/ttm_resource.h): a link on an LRU list that is
 * either a resource or a cursor's hitch (a bookmark that keeps a walk's place while the list changes
 * under it). A list head is an item too, owned by its {@link TtmLruList}.
 */
public final class TtmLruItem {
    final TtmResource res;
    TtmLruItem prev = this;
    TtmLruItem next = this;
    TtmLruList list;

    /** @param res the resource this links, or null for a hitch or a list head */
    TtmLruItem(final TtmResource res) {
        this.res = res;
    }

    /** {@code ttm_lru_item_is_res()}. */
    public boolean isRes() {
        return res != null;
    }

    public TtmResource res() {
        return res;
    }

    /** The list the item is on, or null when unlinked ({@code list_empty(&item->link)}). */
    public TtmLruList list() {
        return list;
    }

    public boolean linked() {
        return list != null;
    }
}
