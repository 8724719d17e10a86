package org.ttmsim.ttm;

import java.util.ArrayList;
import java.util.List;

/**
 * A circular doubly linked list of {@link TtmLruItem}s, the {@code struct list_head} of an LRU: a
 * manager's per-priority list or the device's unevictable list. Oldest entries are at the head.
 */
public final class TtmLruList {
    private final String name;
    private final TtmLruItem head = new TtmLruItem(null);

    public TtmLruList(final String name) {
        this.name = name;
        head.list = this;
    }

    public String name() {
        return name;
    }

    TtmLruItem head() {
        return head;
    }

    /** {@code list_del_init()}. */
    static void del(final TtmLruItem item) {
        if (item.list == null) {
            return;
        }
        item.prev.next = item.next;
        item.next.prev = item.prev;
        item.prev = item;
        item.next = item;
        item.list = null;
    }

    /** {@code list_move(item, after)}: puts {@code item} right after {@code after}. */
    static void moveAfter(final TtmLruItem item, final TtmLruItem after) {
        if (item == after) {
            return; // already in place (e.g. moving the tail to the tail)
        }
        del(item);
        item.prev = after;
        item.next = after.next;
        after.next.prev = item;
        after.next = item;
        item.list = after.list;
    }

    /** {@code list_move_tail()} / {@code list_add_tail()}. */
    void moveTail(final TtmLruItem item) {
        moveAfter(item, head.prev);
    }

    /** {@code list_move(item, head)}: to the front. */
    void moveHead(final TtmLruItem item) {
        moveAfter(item, head);
    }

    /** Moves the run {@code first..last} (inclusive, in list order) to the tail of this list. */
    void moveRangeTail(final TtmLruItem first, final TtmLruItem last) {
        final TtmLruItem before = first.prev;
        final TtmLruItem after = last.next;
        before.next = after;
        after.prev = before;
        final TtmLruItem tail = head.prev == last ? before : head.prev;
        first.prev = tail;
        last.next = head;
        tail.next = first;
        head.prev = last;
        for (TtmLruItem i = first; ; i = i.next) {
            i.list = this;
            if (i == last) {
                break;
            }
        }
    }

    /** The first resource after {@code item} on its list, skipping hitches; null at the end. */
    static TtmResource nextRes(final TtmLruItem item) {
        for (TtmLruItem i = item.next; i != item.list.head; i = i.next) {
            if (i.res != null) {
                return i.res;
            }
        }
        return null;
    }

    /** The first resource before {@code item}, skipping hitches; null at the start. */
    static TtmResource prevRes(final TtmLruItem item) {
        for (TtmLruItem i = item.prev; i != item.list.head; i = i.prev) {
            if (i.res != null) {
                return i.res;
            }
        }
        return null;
    }

    /** No resource on the list (hitches do not count). */
    public boolean isEmpty() {
        return first() == null;
    }

    /** {@code list_is_singular()} over resources. */
    public boolean isSingular() {
        return size() == 1;
    }

    /** The oldest resource, or null. */
    public TtmResource first() {
        for (TtmLruItem i = head.next; i != head; i = i.next) {
            if (i.res != null) {
                return i.res;
            }
        }
        return null;
    }

    /** The newest resource, or null. */
    public TtmResource last() {
        for (TtmLruItem i = head.prev; i != head; i = i.prev) {
            if (i.res != null) {
                return i.res;
            }
        }
        return null;
    }

    /** {@code list_is_last(&res->lru.link, head)}. */
    public boolean isLast(final TtmResource res) {
        return res.lru().list == this && last() == res;
    }

    public boolean contains(final TtmResource res) {
        return res.lru().list == this;
    }

    /** The resources, oldest first. */
    public List<TtmResource> resources() {
        final List<TtmResource> out = new ArrayList<>();
        for (TtmLruItem i = head.next; i != head; i = i.next) {
            if (i.res != null) {
                out.add(i.res);
            }
        }
        return out;
    }

    public int size() {
        int n = 0;
        for (TtmLruItem i = head.next; i != head; i = i.next) {
            if (i.res != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return name + resources();
    }
}
