package org.ttmsim.check;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The logical content of every buffer object: the bytes last written to each offset by any agent (CPU
 * through any mapping, kernel map, device). Like gem5's MemChecker it tracks writes per byte and has no
 * expectation for a byte never written. It cannot see content the kernel discards on purpose (a purge
 * forgets the object's bytes: the runner calls {@link #forget}).
 */
public final class Oracle {
    private static final int PAGE = 4096;

    /** Written bytes of one object, page-sparse. */
    private static final class Content {
        final Long2ObjectHashMap<byte[]> pages = new Long2ObjectHashMap<>();
        final Long2ObjectHashMap<BitSet> written = new Long2ObjectHashMap<>();
    }

    private final Map<String, Content> objects = new HashMap<>();

    /** Records a write of {@code data} at {@code offset} of object {@code bo}. */
    public void write(final String bo, final long offset, final byte[] data) {
        write(bo, offset, data, 0, data.length);
    }

    /** Records a write of {@code len} bytes of {@code buf} from {@code from} at {@code offset} of {@code bo}. */
    public void write(final String bo, final long offset, final byte[] buf, final int from, final int len) {
        final Content c = objects.computeIfAbsent(bo, k -> new Content());
        int done = 0;
        while (done < len) {
            final long off = offset + done;
            final long page = off / PAGE;
            final int in = (int) (off % PAGE);
            final int n = Math.min(len - done, PAGE - in);
            System.arraycopy(buf, from + done, c.pages.computeIfAbsent(page, p -> new byte[PAGE]), in, n);
            c.written.computeIfAbsent(page, p -> new BitSet(PAGE)).set(in, in + n);
            done += n;
        }
    }

    /** The object's content is gone (purged or destroyed): nothing is expected of it any more. */
    public void forget(final String bo) {
        objects.remove(bo);
    }

    /**
     * A mismatch between what was read and the logical content.
     *
     * @param offset    the first differing byte's offset in the object
     * @param expected  the logical byte there
     * @param actual    the byte read there
     * @param differing how many bytes differ
     * @param judged    how many bytes had been written (the others are not judged)
     */
    public record Mismatch(long offset, int expected, int actual, long differing, long judged) {
    }

    /**
     * Compares a read against the logical content; bytes never written are not judged.
     *
     * @return the first mismatch (with the count of differing and judged bytes), or null
     */
    public Mismatch check(final String bo, final long offset, final byte[] actual) {
        return check(bo, offset, actual, 0, actual.length);
    }

    /** As {@link #check(String, long, byte[])}, for {@code len} bytes of {@code buf} from {@code from}. */
    public Mismatch check(final String bo, final long offset, final byte[] buf, final int from, final int len) {
        final Content c = objects.get(bo);
        if (c == null) {
            return null;
        }
        Mismatch first = null;
        long differing = 0;
        long judged = 0;
        // A page at a time: its content and written bits are looked up once, not per byte.
        for (int j = 0; j < len; ) {
            final long off = offset + j;
            final int in = (int) (off % PAGE);
            final int n = Math.min(len - j, PAGE - in);
            final BitSet w = c.written.get(off / PAGE);
            if (w != null) {
                final byte[] page = c.pages.get(off / PAGE);
                for (int k = w.nextSetBit(in); k >= 0 && k < in + n; k = w.nextSetBit(k + 1)) {
                    judged++;
                    final int expected = page[k] & 0xff;
                    final int actual = buf[from + j + k - in] & 0xff;
                    if (expected != actual) {
                        differing++;
                        if (first == null) {
                            first = new Mismatch(off + k - in, expected, actual, 0, 0);
                        }
                    }
                }
            }
            j += n;
        }
        return first == null ? null : new Mismatch(first.offset(), first.expected(), first.actual(), differing,
                judged);
    }

    /** The logical byte at an offset, or -1 if never written. */
    public int byteAt(final String bo, final long offset) {
        final Content c = objects.get(bo);
        if (c == null) {
            return -1;
        }
        final BitSet w = c.written.get(offset / PAGE);
        if (w == null || !w.get((int) (offset % PAGE))) {
            return -1;
        }
        return c.pages.get(offset / PAGE)[(int) (offset % PAGE)] & 0xff;
    }
}
