package org.ttmsim.scenario;

/**
 * Line and column of a character index in a text, counted the way SnakeYAML counts them (1-based
 * here): line breaks are LF, CR, CRLF, NEL, LS and PS; columns count code points.
 */
final class TextPos {

    private TextPos() {
    }

    /** The position of the character at {@code index} (which may be {@code text.length()}). */
    static SourcePos of(final String file, final String text, final int index) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < index; ) {
            final int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            final boolean crBeforeLf = cp == '\r' && i < text.length() && text.charAt(i) == '\n';
            if (isLineBreak(cp) && !crBeforeLf) {
                line++;
                col = 1;
            } else if (!crBeforeLf) {
                col++;
            }
        }
        return new SourcePos(file, line, col);
    }

    private static boolean isLineBreak(final int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    }
}
