package org.ttmsim.scenario;

import java.util.regex.Pattern;

/** Integers as scenarios write them: decimal or 0x hex, with optional {@code _} separators. */
final class Ints {

    private static final Pattern INT = Pattern.compile("[-+]?(0x[0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*)");

    private Ints() {
    }

    /** True when {@code text} spells an integer (which may still overflow). */
    static boolean matches(final String text) {
        return INT.matcher(text).matches();
    }

    /**
     * The value of a decimal or hex integer; {@code Long.MIN_VALUE} when it is not one or does not fit
     * in a long. Leading zeros are decimal (not YAML 1.1's octal): {@code 010} is ten.
     */
    static long parse(final String text) {
        if (!matches(text)) {
            return Long.MIN_VALUE;
        }
        final boolean negative = text.startsWith("-");
        final String digits = text.replaceFirst("^[-+]", "").replace("_", "");
        try {
            final long magnitude = digits.startsWith("0x")
                    ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
            return negative ? -magnitude : magnitude;
        } catch (final NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
