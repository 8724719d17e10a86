package org.ttmsim.release;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The mainline releases the model knows, oldest first, with the month each came out (for
 * {@code ttmsim kernels}). A run on a release has every {@link Change} at or before it.
 *
 * <p>Dates: mainline release announcements; v6.18's day is uncertain (late November or early
 * December 2025).
 */
public final class Releases {
    /** One known release and when it came out. */
    public record Known(KernelRelease release, String date) {
    }

    private static final List<Known> ALL = List.of(
            known(4, 19, "2018-10"), known(4, 20, "2018-12"),
            known(5, 0, "2019-03"), known(5, 1, "2019-05"), known(5, 2, "2019-07"), known(5, 3, "2019-09"),
            known(5, 4, "2019-11"), known(5, 5, "2020-01"), known(5, 6, "2020-03"), known(5, 7, "2020-05"),
            known(5, 8, "2020-08"), known(5, 9, "2020-10"), known(5, 10, "2020-12"), known(5, 11, "2021-02"),
            known(5, 12, "2021-04"), known(5, 13, "2021-06"), known(5, 14, "2021-08"), known(5, 15, "2021-10"),
            known(5, 16, "2022-01"), known(5, 17, "2022-03"), known(5, 18, "2022-05"), known(5, 19, "2022-07"),
            known(6, 0, "2022-10"), known(6, 1, "2022-12"), known(6, 2, "2023-02"), known(6, 3, "2023-04"),
            known(6, 4, "2023-06"), known(6, 5, "2023-08"), known(6, 6, "2023-10"), known(6, 7, "2024-01"),
            known(6, 8, "2024-03"), known(6, 9, "2024-05"), known(6, 10, "2024-07"), known(6, 11, "2024-09"),
            known(6, 12, "2024-11"), known(6, 13, "2025-01"), known(6, 14, "2025-03"), known(6, 15, "2025-05"),
            known(6, 16, "2025-07"), known(6, 17, "2025-09"), known(6, 18, "2025-11"));

    private Releases() {
    }

    private static Known known(final int major, final int minor, final String date) {
        return new Known(new KernelRelease(major, minor), date);
    }

    /** Every known release, oldest first. */
    public static List<Known> all() {
        return ALL;
    }

    public static KernelRelease oldest() {
        return ALL.get(0).release();
    }

    public static KernelRelease newest() {
        return ALL.get(ALL.size() - 1).release();
    }

    public static boolean isKnown(final KernelRelease r) {
        return ALL.stream().anyMatch(k -> k.release().equals(r));
    }

    /** The changes that came in {@code r}, in table order. */
    public static List<Change> changesIn(final KernelRelease r) {
        final List<Change> out = new ArrayList<>();
        for (final Change c : Change.values()) {
            if (c.since().equals(r)) {
                out.add(c);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
