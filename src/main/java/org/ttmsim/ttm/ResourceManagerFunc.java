package org.ttmsim.ttm;

/**
 * Models {@code struct ttm_resource_manager_func} (include/drm/ttm/ttm_resource.h): the allocator
 * behind one memory type. The optional hooks are default methods holding the core's answer when a
 * manager has none ({@code ttm_resource_intersects()} and {@code ttm_resource_compatible()} treat a
 * missing hook as "yes").
 */
public interface ResourceManagerFunc {
    /**
     * Allocates a resource for {@code bo} in {@code place}; calls {@link TtmResource#init} on it.
     *
     * @param res {@code res[0]} receives the resource on success
     * @return 0; -ENOSPC when the manager is full; other errors only for system failures
     */
    int alloc(TtmResourceManager man, TtmBufferObject bo, TtmPlace place, TtmResource[] res);

    /** Frees a resource from {@link #alloc}; calls {@link TtmResource#fini} on it. */
    void free(TtmResourceManager man, TtmResource res);

    /** Whether {@code res} overlaps {@code place}'s range, i.e. evicting it can make room there. */
    default boolean intersects(final TtmResourceManager man, final TtmResource res, final TtmPlace place,
            final long size) {
        return true;
    }

    /** Whether {@code res} already satisfies {@code place}'s range and flags. */
    default boolean compatible(final TtmResourceManager man, final TtmResource res, final TtmPlace place,
            final long size) {
        return true;
    }

    /** A line of manager-specific state for debug output. */
    default String debug(final TtmResourceManager man) {
        return "";
    }
}
