package org.ttmsim.scenario;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelt keys and words: the nearest candidate by edit distance (with adjacent
 * transpositions), comparing case-insensitively and treating {@code _} as {@code -}.
 */
final class Suggest {

    /** Words longer than this get no suggestion. */
    private static final int MAX_WORD = 64;

    private Suggest() {
    }

    /** {@code ", did you mean 'X'?"} when a candidate is near enough, else the empty string. */
    static String didYouMean(final String word, final Collection<String> candidates) {
        return nearest(word, candidates).map(c -> ", did you mean '" + c + "'?").orElse("");
    }

    /** The nearest candidate within a distance that grows with the word's length; ties go to the first. */
    static Optional<String> nearest(final String word, final Collection<String> candidates) {
        if (word.length() > MAX_WORD) {
            return Optional.empty(); // no key or id is that long; spare the quadratic distance
        }
        final String w = normal(word);
        final int limit = Math.max(1, Math.min(3, w.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : candidates) {
            final String c = normal(candidate);
            final int d = isAbbreviation(w, c) ? 1 : distance(w, c);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
    }

    private static boolean isAbbreviation(final String w, final String c) {
        return w.length() >= 3 && c.startsWith(w) && !c.equals(w);
    }

    private static String normal(final String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(final String a, final String b) {
        final int n = a.length();
        final int m = b.length();
        final int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[n][m];
    }
}
