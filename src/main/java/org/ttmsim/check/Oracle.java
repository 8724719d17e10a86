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
        final Content c = objects.computeIfAbsent(bo, k -> new Content());
        for (int i = 0; i < data.length; i++) {
            final long off = offset + i;
            final long page = off / PAGE;
            final int in = (int) (off % PAGE);
            c.pages.computeIfAbsent(page, p -> new byte[PAGE])[in] = data[i];
            c.written.computeIfAbsent(page, p -> new BitSet(PAGE)).set(in);
        }
    }

    /** The object's content is gone (purged or destroyed): nothing is expected of it any more. */
    public void forget(final String bo) {
        objects.remove(bo);
    }

    /** A mismatch between what was read and the logical content. */
    public record Mismatch(long offset, int expected, int actual, int differing, int judged) {
    }

    /**
     * Compares a read against the logical content; bytes never written are not judged.
     *
     * @return the first mismatch (with the count of differing and judged bytes), or null
     */
    public Mismatch check(final String bo, final long offset, final byte[] actual) {
        final Content c = objects.get(bo);
        if (c == null) {
            return null;
        }
        Mismatch first = null;
        int differing = 0;
        int judged = 0;
        for (int i = 0; i < actual.length; i++) {
            final long off = offset + i;
            final BitSet w = c.written.get(off / PAGE);
            if (w == null || !w.get((int) (off % PAGE))) {
                continue;
            }
            judged++;
            final int expected = c.pages.get(off / PAGE)[(int) (off % PAGE)] & 0xff;
            if (expected != (actual[i] & 0xff)) {
                differing++;
                if (first == null) {
                    first = new Mismatch(off, expected, actual[i] & 0xff, 0, 0);
                }
            }
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
