package org.ttmsim.check;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;

/**
 * Judges reads against the {@link Oracle}: the shared logic of {@link CpuGarbage} and
 * {@link DeviceGarbage}. The evidence is this step's events that explain the read: faults, PTE inserts,
 * kernel maps, conversions, bounces and the accesses themselves.
 */
public abstract class ReadJudge extends Monitor {
    /** Events kept as evidence of one read: the first ones show the fault, PTEs and accesses. */
    private static final int MAX_EVIDENCE = 40;
    private final Oracle oracle;
    private final Invariant invariant;
    private final List<Event> stepEvents = new ArrayList<>();
    private final List<Violation> pending = new ArrayList<>();
    /** This step's garbled kernel copies, by buffer and copy: one violation each, merged over its pages. */
    private final java.util.Map<String, Copy> copies = new java.util.HashMap<>();

    /** One kernel copy's mismatches so far: its violation's place in {@link #pending} and the totals. */
    private static final class Copy {
        int index;
        Oracle.Mismatch first;
        String firstBytes;
        List<String> evidence;
        long differing;
        long judged;
        int pages;
    }

    ReadJudge(final Oracle oracle, final Invariant invariant) {
        this.oracle = oracle;
        this.invariant = invariant;
    }

    @Override
    public boolean listensTo(final EventKind kind) {
        return explains(kind);
    }

    @Override
    public void onEvent(final Event event) {
        if (explains(event.kind())) {
            stepEvents.add(event);
        }
    }

    private static boolean explains(final EventKind kind) {
        switch (kind) {
            case FAULT: case PTE_INSERT: case KMAP: case CPU_READ: case DMA_READ: case BOUNCE: case CONVERSION:
            case MOVE: case INJECT: case GUEST_FATAL: case SIGNAL:
                return true;
            default:
                return false;
        }
    }

    /**
     * Judges {@code actual}, read from {@code bo} at {@code offset} during {@code step}.
     *
     * @return whether the read matched the logical content
     */
    public boolean judge(final int step, final String bo, final long offset, final byte[] actual, final String how) {
        final Read read = begin(step, bo, offset, how);
        read.piece(offset, actual, 0, actual.length);
        return read.finish();
    }

    /**
     * Starts judging a read of {@code bo} at {@code offset} during {@code step} that arrives in pieces (a
     * page at a time): {@link Read#piece} each in order, then {@link Read#finish}. The read makes at most
     * one violation, the one {@link #judge} would make of all its bytes at once; nothing is reported when
     * the read is abandoned (it failed before its end).
     */
    public Read begin(final int step, final String bo, final long offset, final String how) {
        return new Read(step, bo, offset, how);
    }

    /** One read being judged piece by piece (see {@link #begin}). */
    public final class Read {
        private final int step;
        private final String bo;
        private final long offset;
        private final String how;
        /** The read's first bytes, for the message. */
        private final byte[] head = new byte[PREVIEW_BYTES];
        private long length;
        private Oracle.Mismatch first;
        private long differing;
        private long judged;

        private Read(final int step, final String bo, final long offset, final String how) {
            this.step = step;
            this.bo = bo;
            this.offset = offset;
            this.how = how;
        }

        /** The next {@code len} bytes of {@code buf} from {@code from}, read from the object at {@code at}. */
        public void piece(final long at, final byte[] buf, final int from, final int len) {
            if (length < PREVIEW_BYTES) {
                System.arraycopy(buf, from, head, (int) length, (int) Math.min(len, PREVIEW_BYTES - length));
            }
            length += len;
            final Oracle.Mismatch m = oracle.check(bo, at, buf, from, len);
            if (m != null) {
                first = first != null ? first : m;
                differing += m.differing();
                judged += m.judged();
            }
        }

        /**
         * The read is complete: reports its violation, if any byte differed.
         *
         * @return whether every written byte read matched the logical content
         */
        public boolean finish() {
            if (first == null) {
                return true;
            }
            pending.add(new Violation(invariant, step, String.format(
                    "%s of %s at offset %d: %d of %d written bytes differ; first at offset %d: expected 0x%02x, read"
                            + " 0x%02x (read %s)", how, bo, offset, differing, judged, first.offset(), first.expected(),
                    first.actual(), HexFormat.of().formatHex(head, 0, (int) Math.min(length, PREVIEW_BYTES))
                            + (length > PREVIEW_BYTES ? "..." : "")), evidence()));
            return false;
        }
    }

    /**
     * Judges one page a kernel copy read from {@code bo}'s backing at {@code offset} (a memcpy move's
     * source, a swapout): the bytes the copy carries on as the buffer's content. The pages of one copy
     * ({@code how}) in one step make one violation, whose counts cover every page that differed.
     *
     * @return whether the page matched the logical content
     */
    public boolean judgeCopy(final int step, final String bo, final long offset, final byte[] actual,
            final String how) {
        final Oracle.Mismatch m = oracle.check(bo, offset, actual);
        if (m == null) {
            return true;
        }
        Copy c = copies.get(bo + '\0' + how);
        if (c == null) {
            c = new Copy();
            c.index = pending.size();
            c.first = m;
            final int at = (int) (m.offset() - offset);
            c.firstBytes = preview(java.util.Arrays.copyOfRange(actual, at, actual.length));
            c.evidence = evidence();
            pending.add(null);
            copies.put(bo + '\0' + how, c);
        }
        c.differing += m.differing();
        c.judged += m.judged();
        c.pages++;
        pending.set(c.index, new Violation(invariant, step, String.format(
                "%s of %s: %d of %d written bytes differ in %d page(s); first at offset %d: expected 0x%02x, read"
                        + " 0x%02x (read %s from there)", how, bo, c.differing, c.judged, c.pages, c.first.offset(),
                c.first.expected(), c.first.actual(), c.firstBytes), c.evidence));
        return false;
    }

    private List<String> evidence() {
        final List<String> evidence = new ArrayList<>();
        for (int i = 0; i < Math.min(stepEvents.size(), MAX_EVIDENCE); i++) {
            evidence.add(stepEvents.get(i).traceLine());
        }
        if (stepEvents.size() > MAX_EVIDENCE) {
            evidence.add("... and " + (stepEvents.size() - MAX_EVIDENCE) + " more events of this step (--trace)");
        }
        return evidence;
    }

    /** Bytes of a read a violation's message shows. */
    private static final int PREVIEW_BYTES = 16;

    private static String preview(final byte[] b) {
        final int n = Math.min(b.length, PREVIEW_BYTES);
        return HexFormat.of().formatHex(b, 0, n) + (b.length > n ? "..." : "");
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        out.addAll(pending);
        pending.clear();
        copies.clear();
        stepEvents.clear();
    }
}
