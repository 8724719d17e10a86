package org.ttmsim.release;

/**
 * Releases from {@code lo} to {@code hi}, both included; a null end is open. Written {@code v6.9} (one
 * release), {@code v5.7..v6.8}, {@code ..v6.8} or {@code v6.9..} (as {@code expect.cases} take them).
 *
 * @param lo the first release, or null for every earlier one
 * @param hi the last release, or null for every later one
 */
public record KernelRange(KernelRelease lo, KernelRelease hi) {
    public KernelRange {
        if (lo != null && hi != null && lo.compareTo(hi) > 0) {
            throw new IllegalArgumentException("a range of releases runs from the older to the newer, found "
                    + lo.id() + ".." + hi.id());
        }
    }

    /**
     * Parses one release or a range.
     *
     * @throws IllegalArgumentException naming the form, or the release the model does not know
     */
    public static KernelRange parse(final String text) {
        final int dots = text.indexOf("..");
        if (dots < 0) {
            final KernelRelease r = KernelRelease.parse(text);
            return new KernelRange(r, r);
        }
        final String a = text.substring(0, dots).strip();
        final String b = text.substring(dots + 2).strip();
        if (a.isEmpty() && b.isEmpty()) {
            throw new IllegalArgumentException("a range of releases needs at least one end, e.g. v5.7..v6.8");
        }
        return new KernelRange(a.isEmpty() ? null : KernelRelease.parse(a), b.isEmpty() ? null : KernelRelease.parse(b));
    }

    public boolean contains(final KernelRelease r) {
        return (lo == null || r.compareTo(lo) >= 0) && (hi == null || r.compareTo(hi) <= 0);
    }

    /** As written: {@code v6.9}, {@code v5.7..v6.8}, {@code ..v6.8}, {@code v6.9..}. */
    public String text() {
        if (lo != null && lo.equals(hi)) {
            return lo.id();
        }
        return (lo == null ? "" : lo.id()) + ".." + (hi == null ? "" : hi.id());
    }
}
