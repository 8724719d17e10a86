package org.ttmsim.ttm;

/** The {@code TTM_TT_FLAG_*} bits (include/drm/ttm/ttm_tt.h). */
public final class TtmTtFlags {
    public static final int SWAPPED = 1 << 0;
    public static final int ZERO_ALLOC = 1 << 1;
    public static final int EXTERNAL = 1 << 2;
    public static final int EXTERNAL_MAPPABLE = 1 << 3;
    public static final int DECRYPTED = 1 << 4;
    /** TTM-internal: the tt has pages. */
    public static final int PRIV_POPULATED = 1 << 31;

    private TtmTtFlags() {
    }

    /** SPEC §3 spelling of the flags, in bit order: {@code ["zero-alloc", "decrypted"]}. */
    public static java.util.List<String> names(final int flags) {
        final java.util.List<String> l = new java.util.ArrayList<>();
        if ((flags & SWAPPED) != 0) {
            l.add("swapped");
        }
        if ((flags & ZERO_ALLOC) != 0) {
            l.add("zero-alloc");
        }
        if ((flags & EXTERNAL) != 0) {
            l.add("external");
        }
        if ((flags & EXTERNAL_MAPPABLE) != 0) {
            l.add("external-mappable");
        }
        if ((flags & DECRYPTED) != 0) {
            l.add("decrypted");
        }
        return l;
    }
}
