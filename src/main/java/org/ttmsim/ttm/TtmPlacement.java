package org.ttmsim.ttm;

import java.util.List;

/**
 * Models {@code struct ttm_placement} (include/drm/ttm/ttm_placement.h): the places a buffer may go,
 * in order of preference. An empty placement asks {@code ttm_bo_validate()} to purge the backing
 * store (pipeline gutting), and an empty eviction placement from {@code evict_flags} does the same.
 *
 * @param places the places, most preferred first
 */
public record TtmPlacement(List<TtmPlace> places) {
    public TtmPlacement {
        places = List.copyOf(places);
    }

    public static TtmPlacement of(final TtmPlace... places) {
        return new TtmPlacement(List.of(places));
    }

    /** The placement with no place: purge. */
    public static TtmPlacement empty() {
        return new TtmPlacement(List.of());
    }

    public int numPlacement() {
        return places.size();
    }

    public boolean isEmpty() {
        return places.isEmpty();
    }

    public TtmPlace get(final int i) {
        return places.get(i);
    }

    @Override
    public String toString() {
        return places.toString();
    }
}
