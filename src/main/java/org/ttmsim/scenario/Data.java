package org.ttmsim.scenario;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes written or expected by a step: a UTF-8 string, {@code {hex: "00ff"}} or
 * {@code {fill: 0xAA, length: 4096}} in a scenario file.
 *
 * <p>Immutable: the array is copied in and out. {@link #toString()} prints the shortest readable
 * form (the text, a fill, or hex cut after {@value #SHOWN_BYTES} bytes).
 */
public record Data(byte[] bytes) {

    /** How many bytes {@link #toString()} shows before cutting hex short. */
    static final int SHOWN_BYTES = 32;

    public Data {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("data must hold at least one byte");
        }
        bytes = bytes.clone();
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Data ofString(final String text) {
        return new Data(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes spelled by an even number of hex digits. */
    public static Data ofHex(final String hex) {
        return new Data(HexFormat.of().parseHex(hex));
    }

    /** {@code length} copies of {@code value} (0..255). */
    public static Data fill(final int value, final int length) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("fill byte must be 0..255, got " + value);
        }
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return new Data(bytes);
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** The byte at {@code index}, 0..255. */
    public int byteAt(final int index) {
        return bytes[index] & 0xff;
    }

    /** All bytes as lower-case hex, two digits each. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Data that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        final String text = printableText();
        if (text != null) {
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (isFill()) {
            return "{fill: 0x" + HexFormat.of().toHexDigits(bytes[0]) + ", length: " + bytes.length + "}";
        }
        if (bytes.length <= SHOWN_BYTES) {
            return "{hex: \"" + hex() + "\"}";
        }
        return "{hex: \"" + HexFormat.of().formatHex(bytes, 0, SHOWN_BYTES) + "…\", length: " + bytes.length + "}";
    }

    private boolean isFill() {
        if (bytes.length < 2) {
            return false;
        }
        for (final byte b : bytes) {
            if (b != bytes[0]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes as text when they are short, valid UTF-8 without control characters; else null. */
    private String printableText() {
        if (bytes.length > 2 * SHOWN_BYTES) {
            return null;
        }
        final String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException e) {
            return null;
        }
        return text.codePoints().allMatch(cp -> !Character.isISOControl(cp)) ? text : null;
    }
}
