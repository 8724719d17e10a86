package org.ttmsim.hw;

/**
 * A memory type a translation can carry: models {@code enum ttm_caching} (include/drm/ttm/ttm_caching.h)
 * and the x86 PAT types the kernel programs for it (write-back, write-combining, uncached-minus).
 */
public enum Caching {
    CACHED("cached"),
    WRITE_COMBINED("wc"),
    UNCACHED("uncached");

    private final String id;

    Caching(final String id) {
        this.id = id;
    }

    /** The scenario id ({@code cached}, {@code wc}, {@code uncached}). */
    public String id() {
        return id;
    }

    public static Caching fromId(final String id) {
        for (final Caching c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown caching '" + id + "' (cached, wc, uncached)");
    }
}
