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
 * <p>A fill is kept as its byte and its length, never spelled out: describing a 1 GiB fill costs nothing,
 * and the accesses that use it take its bytes a page at a time ({@link #copyTo}). Spelled-out data (text,
 * hex, {@link #of}) holds its bytes. Immutable: arrays are copied in and out. Equality is by content: a fill
 * equals the same bytes spelled out. {@link #toString()} prints the shortest readable form (the text, a
 * fill, or hex cut after {@value #SHOWN_BYTES} bytes).
 */
public final class Data {

    /** How many bytes {@link #toString()} shows before cutting hex short. */
    static final int SHOWN_BYTES = 32;

    /** The spelled-out bytes, or null for a fill. */
    private final byte[] bytes;
    /** The fill byte (0..255) when {@link #bytes} is null. */
    private final int fill;
    private final long length;

    /** The bytes of {@code bytes} (copied); at least one. */
    public Data(final byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("data must hold at least one byte");
        }
        this.bytes = bytes.clone();
        this.fill = 0;
        this.length = bytes.length;
    }

    private Data(final int fill, final long length) {
        this.bytes = null;
        this.fill = fill;
        this.length = length;
    }

    /** The bytes of {@code bytes} (copied); at least one. */
    public static Data of(final byte[] bytes) {
        return new Data(bytes);
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Data ofString(final String text) {
        return new Data(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes spelled by an even number of hex digits. */
    public static Data ofHex(final String hex) {
        return new Data(HexFormat.of().parseHex(hex));
    }

    /**
     * {@code length} copies of {@code value}, held as the two numbers (no array is made).
     *
     * @param value  0..255
     * @param length bytes, at least 1
     */
    public static Data fill(final int value, final long length) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("fill byte must be 0..255, got " + value);
        }
        if (length < 1) {
            throw new IllegalArgumentException("data must hold at least one byte");
        }
        return new Data(value, length);
    }

    /**
     * A copy of the bytes, spelled out (for a fill, made now).
     *
     * @throws IllegalStateException when there are more than fit in one Java array
     */
    public byte[] bytes() {
        if (bytes != null) {
            return bytes.clone();
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a fill of " + length + " bytes does not fit in one array; use copyTo");
        }
        final byte[] b = new byte[(int) length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    /** Number of bytes. */
    public long length() {
        return length;
    }

    /** The byte at {@code index}, 0..255. */
    public int byteAt(final long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("byte " + index + " of " + length);
        }
        return bytes != null ? bytes[(int) index] & 0xff : fill;
    }

    /** Copies {@code len} bytes from {@code from} into {@code dst} at {@code dstOff}. */
    public void copyTo(final long from, final byte[] dst, final int dstOff, final int len) {
        if (from < 0 || len < 0 || from > length - len) {
            throw new IndexOutOfBoundsException("bytes " + from + "+" + len + " of " + length);
        }
        if (bytes != null) {
            System.arraycopy(bytes, (int) from, dst, dstOff, len);
        } else {
            Arrays.fill(dst, dstOff, dstOff + len, (byte) fill);
        }
    }

    /** Whether {@code len} bytes of {@code buf} at {@code off} equal this data's bytes from {@code from}. */
    public boolean matches(final long from, final byte[] buf, final int off, final int len) {
        if (from < 0 || len < 0 || from > length - len) {
            return false;
        }
        if (bytes != null) {
            return Arrays.equals(bytes, (int) from, (int) from + len, buf, off, off + len);
        }
        for (int i = 0; i < len; i++) {
            if ((buf[off + i] & 0xff) != fill) {
                return false;
            }
        }
        return true;
    }

    /** Whether this is a {@code fill} (one byte repeated, held as two numbers). */
    public boolean isFill() {
        return bytes == null;
    }

    /** All bytes as lower-case hex, two digits each. */
    public String hex() {
        return HexFormat.of().formatHex(bytes());
    }

    @Override
    public boolean equals(final Object other) {
        if (!(other instanceof Data that) || that.length != length) {
            return false;
        }
        if (bytes != null && that.bytes != null) {
            return Arrays.equals(bytes, that.bytes);
        }
        final Data spelled = bytes != null ? this : that;
        final Data filled = bytes != null ? that : this;
        if (spelled.bytes == null) {
            return fill == that.fill;
        }
        for (final byte b : spelled.bytes) {
            if ((b & 0xff) != filled.fill) {
                return false;
            }
        }
        return true;
    }

    /** Consistent with {@link #equals}: the length and the first byte. */
    @Override
    public int hashCode() {
        return Long.hashCode(length) * 31 + byteAt(0);
    }

    @Override
    public String toString() {
        final String text = printableText();
        if (text != null) {
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (isRepeated()) {
            return "{fill: 0x" + HexFormat.of().toHexDigits((byte) byteAt(0)) + ", length: " + length + "}";
        }
        if (length <= SHOWN_BYTES) {
            return "{hex: \"" + hex() + "\"}";
        }
        return "{hex: \"" + HexFormat.of().formatHex(bytes, 0, SHOWN_BYTES) + "…\", length: " + length + "}";
    }

    /** One byte repeated, at least twice (a fill, or spelled-out bytes that are one). */
    private boolean isRepeated() {
        if (length < 2) {
            return false;
        }
        if (bytes == null) {
            return true;
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
        if (length > 2 * SHOWN_BYTES) {
            return null;
        }
        final String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes())).toString();
        } catch (final CharacterCodingException e) {
            return null;
        }
        return text.codePoints().allMatch(cp -> !Character.isISOControl(cp)) ? text : null;
    }
}
