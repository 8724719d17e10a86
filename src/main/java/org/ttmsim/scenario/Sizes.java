package org.ttmsim.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as scenarios write them: integer bytes, or with a KiB/MiB/GiB/TiB suffix. */
public final class Sizes {

    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long TIB = 1L << 40;
    static final long PAGE = 4096;

    private static final Pattern SIZE = Pattern.compile("(0x[0-9a-fA-F_]+|[0-9][0-9_]*) ?(KiB|MiB|GiB|TiB)?");

    private static final Pattern LOOSE = Pattern.compile("([0-9][0-9_]*) ?([kKmMgGtT])(?:[iI]?[bB])?");

    private Sizes() {
    }

    /** True when {@code text} has the form of a size, whatever its value. */
    static boolean isSpelledAsSize(final String text) {
        return SIZE.matcher(text.trim()).matches();
    }

    /** The size in bytes, or -1 when {@code text} is not a size or does not fit in a long. */
    public static long parse(final String text) {
        final Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        final long number = Ints.parse(m.group(1));
        if (number < 0) {
            return -1;
        }
        try {
            return Math.multiplyExact(number, unit(m.group(2)));
        } catch (final ArithmeticException e) {
            return -1;
        }
    }

    private static long unit(final String suffix) {
        if (suffix == null) {
            return 1;
        }
        return switch (suffix) {
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            case "GiB" -> GIB;
            default -> TIB;
        };
    }

    /** {@code ", did you mean '4GiB'?"} for spellings such as {@code 4GB}, {@code 4g}, {@code 4 gib}; else "". */
    static String suggest(final String text) {
        final Matcher m = LOOSE.matcher(text.trim());
        return m.matches() && !isSpelledAsSize(text) ? ", did you mean '" + m.group(1) + m.group(2).toUpperCase(Locale.ROOT) + "iB'?" : "";
    }

    /** The shortest exact spelling: {@code 64KiB}, {@code 1000}. */
    static String format(final long bytes) {
        final long[] units = {TIB, GIB, MIB, KIB};
        final String[] names = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return bytes / units[i] + names[i];
            }
        }
        return Long.toString(bytes);
    }
}
