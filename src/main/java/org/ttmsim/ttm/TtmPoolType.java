package org.ttmsim.ttm;

import java.util.Arrays;
import org.ttmsim.hw.Caching;

/**
 * Models {@code struct ttm_pool_type} (include/drm/ttm/ttm_pool.h): a list of free blocks of one
 * caching type and one order, on the global shrinker list once initialised. A type whose
 * {@link #pool()} is null is one of the global write-combined/uncached types (or an uninitialised
 * per-device type, see {@link #initialised()}).
 */
public final class TtmPoolType {
    // Set by ttm_pool_type_init().
    private TtmPool pool;
    private Caching caching;
    private int order;
    private boolean initialised;
    // Protected by the type's lock: block heads, most recently given first.
    /**
     * The list's blocks (head PFNs), {@code count} of them, most recently added last (list_add() puts them
     * first, so the last is the list's first entry). Unboxed; slots past the end kept zero.
     */
    private long[] pages = new long[8];
    private int count;

    void init(final TtmPool pool, final Caching caching, final int order) {
        this.pool = pool;
        this.caching = caching;
        this.order = order;
        this.initialised = true;
    }

    void markFini() {
        this.initialised = false;
    }

    /** {@code list_add(&p->lru, &pt->pages)}. */
    void push(final long headPfn) {
        if (count == pages.length) {
            pages = Arrays.copyOf(pages, count * 2);
        }
        pages[count++] = headPfn;
    }

    /** {@code list_first_entry_or_null()} + {@code list_del()}; 0 when empty. */
    long poll() {
        if (count == 0) {
            return 0;
        }
        final long p = pages[--count];
        pages[count] = 0;
        return p;
    }

    /** The pool this type belongs to; null for a global type. */
    public TtmPool pool() {
        return pool;
    }

    public Caching caching() {
        return caching;
    }

    public int order() {
        return order;
    }

    /** Whether {@code ttm_pool_type_init()} ran (and {@code ttm_pool_type_fini()} did not). */
    public boolean initialised() {
        return initialised;
    }

    /** {@code list_empty(&pt->pages)}. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** {@code list_is_singular(&pt->pages)}. */
    public boolean isSingular() {
        return count == 1;
    }

    /** Blocks held. */
    public int blocks() {
        return count;
    }

    /**
     * {@code prefix} and this type as {@link #toString} words it now, formatted only if read: the
     * values are taken now, since the block count changes.
     */
    org.ttmsim.hw.Event.Detail describeNow(final String prefix) {
        final boolean global = pool == null;
        final Caching c = caching;
        final int o = order;
        final int blocks = count;
        return () -> prefix + describe(global, c, o, blocks);
    }

    private static String describe(final boolean global, final Caching caching, final int order, final int blocks) {
        return (global ? "global " : "") + (caching == null ? "?" : caching.id()) + "/order" + order + " x" + blocks;
    }

    @Override
    public String toString() {
        return describe(pool == null, caching, order, count);
    }
}
