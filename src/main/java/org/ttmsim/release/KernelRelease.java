package org.ttmsim.release;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mainline kernel release, {@code vMAJOR.MINOR} (docs/SCENARIOS.md, "design and kernel"). A run happens on one release; the layers
 * ask it whether a behaviour of {@link Change} is in it ({@link #has}) and never compare versions
 * themselves: this package is the only place a version number is read.
 *
 * @param major the major version (4, 5, 6)
 * @param minor the minor version
 */
public record KernelRelease(int major, int minor) implements Comparable<KernelRelease> {
    private static final Pattern FORM = Pattern.compile("v(\\d{1,2})\\.(\\d{1,2})");

    public KernelRelease {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("a release has no negative numbers: " + major + "." + minor);
        }
    }

    /**
     * Parses {@code vMAJOR.MINOR} into a release the model knows ({@link Releases#oldest()} to
     * {@link Releases#newest()}); a stable suffix or an unknown form is refused.
     *
     * @throws IllegalArgumentException naming the form and the range
     */
    public static KernelRelease parse(final String id) {
        final Matcher m = FORM.matcher(id == null ? "" : id);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a kernel release written vMAJOR.MINOR, e.g. v6.9, from "
                    + Releases.oldest().id() + " to " + Releases.newest().id() + ", found '" + id + "'");
        }
        final KernelRelease r = new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        if (!Releases.isKnown(r)) {
            throw new IllegalArgumentException("kernel release " + id + " is not one the model knows: it knows "
                    + Releases.oldest().id() + " to " + Releases.newest().id() + " ("
                    + (r.compareTo(Releases.oldest()) < 0 || r.compareTo(Releases.newest()) > 0 ? "out of range"
                            : "no such release") + ")");
        }
        return r;
    }

    /** {@code v6.9}. */
    public String id() {
        return "v" + major + "." + minor;
    }

    /** Whether this release contains {@code change}: it came in this release or an earlier one. */
    public boolean has(final Change change) {
        return compareTo(change.since()) >= 0;
    }

    @Override
    public int compareTo(final KernelRelease o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return id();
    }
}
