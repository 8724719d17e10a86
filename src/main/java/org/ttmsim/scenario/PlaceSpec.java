package org.ttmsim.scenario;

import java.util.List;
import java.util.Objects;

/**
 * One place of a placement list, as written in a scenario: mirrors {@code struct ttm_place}
 * (include/drm/ttm/ttm_placement.h) with the memory type by name.
 *
 * @param memType {@code system}, {@code tt} or {@code vram}
 * @param flags   any of {@code contiguous}, {@code topdown}, {@code desired}, {@code fallback}, in the
 *                order written, without repeats
 */
public record PlaceSpec(String memType, List<String> flags) {

    public PlaceSpec {
        Objects.requireNonNull(memType, "memType");
        flags = List.copyOf(flags);
    }

    /** A place without flags. */
    public static PlaceSpec of(final String memType) {
        return new PlaceSpec(memType, List.of());
    }

    /** True when {@code flag} was given for this place. */
    public boolean has(final String flag) {
        return flags.contains(flag);
    }
}
