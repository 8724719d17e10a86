package org.ttmsim.ttm;

/**
 * Models {@code struct ttm_place} (include/drm/ttm/ttm_placement.h): one memory type a buffer may live
 * in, a page range within it ({@code lpfn == 0}: no upper bound) and the placement flags.
 *
 * <p>The flag bits are the kernel's: {@code TTM_PL_FLAG_CONTIGUOUS} = bit 0, {@code TOPDOWN} = bit 1
 * (the same number as the buddy allocator's {@code GPU_BUDDY_TOPDOWN_ALLOCATION}), {@code TEMPORARY}
 * = bit 2, {@code DESIRED} = bit 3, {@code FALLBACK} = bit 4.
 *
 * @param fpfn    first page frame the placement may use
 * @param lpfn    one past the last page frame, or 0 for "to the end of the manager"
 * @param memType TTM_PL_SYSTEM, TTM_PL_TT, TTM_PL_VRAM, TTM_PL_PRIV or a driver type below 8
 * @param flags   TTM_PL_FLAG_* bits
 */
public record TtmPlace(long fpfn, long lpfn, int memType, int flags) {
    public static final int PL_SYSTEM = 0;
    public static final int PL_TT = 1;
    public static final int PL_VRAM = 2;
    public static final int PL_PRIV = 3;

    /** Contiguous physical memory required. */
    public static final int FLAG_CONTIGUOUS = 1 << 0;
    /** Allocate from the top of the address range. */
    public static final int FLAG_TOPDOWN = 1 << 1;
    /** A temporary (multihop) placement: never "compatible" with a validate request. */
    public static final int FLAG_TEMPORARY = 1 << 2;
    /** Used only on the first, non-evicting allocation pass. */
    public static final int FLAG_DESIRED = 1 << 3;
    /** Used only on the second, evicting pass (and for eviction targets). */
    public static final int FLAG_FALLBACK = 1 << 4;

    /** {@code ttm_place_kunit_init()}-style place: no page range. */
    public static TtmPlace of(final int memType, final int flags) {
        return new TtmPlace(0, 0, memType, flags);
    }

    /** A short name for traces: {@code system}, {@code tt}, {@code vram}, {@code priv}, {@code type5}. */
    public static String memTypeName(final int memType) {
        switch (memType) {
            case PL_SYSTEM:
                return "system";
            case PL_TT:
                return "tt";
            case PL_VRAM:
                return "vram";
            case PL_PRIV:
                return "priv";
            default:
                return "type" + memType;
        }
    }

    /** The flag names, e.g. {@code [contiguous, fallback]}, for traces. */
    public static String flagNames(final int flags) {
        final StringBuilder sb = new StringBuilder("[");
        final String[] names = {"contiguous", "topdown", "temporary", "desired", "fallback"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(names[i]);
            }
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        return memTypeName(memType) + (flags != 0 ? flagNames(flags) : "");
    }
}
