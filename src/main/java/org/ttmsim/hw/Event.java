package org.ttmsim.hw;

import java.util.Objects;

/**
 * One emulated action: what happened, during which scenario step, to which frame, with which key.
 *
 * <p>The detail sentence is built only when somebody reads it ({@link #detail()}, {@link #traceLine()}):
 * a run keeps every event its monitors need, but prints few of them, so hot paths hand the bus a
 * {@link Detail} that captures the values and formats later. The result is memoised, so it is the
 * same sentence however often it is read.
 */
public final class Event {
    /**
     * A detail sentence not yet formatted. Implementations capture values, never objects whose state
     * may change before the sentence is read.
     */
    @FunctionalInterface
    public interface Detail {
        String format();
    }

    /**
     * A {@link Detail} that is {@code String.format(pattern, args)} when read: for sentences of plain values,
     * taken now. An object of a class, not a capturing lambda: until the JIT compiles an emitting site, a
     * lambda there is allocated through a method handle, a slow path that cost as much as the event itself
     * on the page paths a matrix runs mostly before they are compiled.
     */
    public static Detail sentence(final String pattern, final Object... args) {
        return new Sentence(pattern, args);
    }

    private record Sentence(String pattern, Object[] args) implements Detail {
        @Override
        public String format() {
            return String.format(pattern, args);
        }
    }

    private final long seq;
    private final long simulatedNs;
    private final int step;
    private final EventKind kind;
    private final long pfn;
    private final KeyId key;
    private final long value;
    private Detail pending;
    private String detail;

    /**
     * @param seq    position on the bus (0-based, total order of the run)
     * @param step   the scenario step running (1-based; 0 = set-up)
     * @param kind   what happened
     * @param pfn    the frame concerned, or -1
     * @param key    the engine key used by an access, or null when no access happened
     * @param detail a human sentence with the bits that matter (PTE, addresses, sizes)
     */
    public Event(final long seq, final int step, final EventKind kind, final long pfn, final KeyId key,
            final String detail) {
        this(seq, 0, step, kind, pfn, key, 0, detail);
    }

    /** The same, with the sentence formatted on first use. */
    public Event(final long seq, final int step, final EventKind kind, final long pfn, final KeyId key,
            final Detail detail) {
        this(seq, 0, step, kind, pfn, key, 0, detail);
    }

    /**
     * An event with its simulated time and its {@link #value()}.
     *
     * @param simulatedNs the run's {@code simulated_ns} when the event was published ({@link CostLedger}); the
     *                    components charge an action before they publish it, so this is the time once the
     *                    action's own cost is counted
     * @param value       the number a monitor needs from the event (see {@link #value()}), or 0
     */
    public Event(final long seq, final long simulatedNs, final int step, final EventKind kind, final long pfn,
            final KeyId key, final long value, final String detail) {
        this(seq, simulatedNs, step, kind, pfn, key, value, (Detail) null);
        this.detail = detail;
    }

    /** The same, with the sentence formatted on first use. */
    public Event(final long seq, final long simulatedNs, final int step, final EventKind kind, final long pfn,
            final KeyId key, final long value, final Detail detail) {
        this.seq = seq;
        this.simulatedNs = simulatedNs;
        this.step = step;
        this.kind = kind;
        this.pfn = pfn;
        this.key = key;
        this.value = value;
        this.pending = detail;
    }

    /** Position on the bus (0-based, total order of the run). */
    public long seq() {
        return seq;
    }

    /**
     * The run's simulated time in ns when the event was published (0 for a bus without a ledger). Not part of
     * {@link #equals}: the trace line and the evidence never show it.
     */
    public long simulatedNs() {
        return simulatedNs;
    }

    /** The scenario step running (1-based; 0 = set-up). */
    public int step() {
        return step;
    }

    public EventKind kind() {
        return kind;
    }

    /** The frame concerned, or -1. */
    public long pfn() {
        return pfn;
    }

    /** The engine key used by an access, or null when no access happened. */
    public KeyId key() {
        return key;
    }

    /**
     * The one number a monitor needs from the event, by kind, or 0: the new PTE of a
     * {@link EventKind#PTE_INSERT} or {@link EventKind#TLB_FILL}, the virtual address of a
     * {@link EventKind#KMAP} (a vmap or ioremap; its PTEs follow up to the guard page), the page count of a
     * {@link EventKind#CONVERSION}. Not part of the trace line.
     */
    public long value() {
        return value;
    }

    /** A human sentence with the bits that matter (PTE, addresses, sizes). */
    public String detail() {
        if (pending != null) {
            detail = pending.format();
            pending = null;
        }
        return detail;
    }

    /** The trace line: {@code [step 4] mm pte-insert pfn=0x1234: ...}. */
    public String traceLine() {
        final StringBuilder sb = new StringBuilder();
        sb.append("[step ").append(step).append("] ").append(kind.component()).append(' ').append(kind.label());
        if (pfn >= 0) {
            sb.append(" pfn=0x").append(Long.toHexString(pfn));
        }
        if (key != null) {
            sb.append(" key=").append(key.label());
        }
        return sb.append(": ").append(detail()).toString();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Event e && seq == e.seq && step == e.step && kind == e.kind && pfn == e.pfn
                && key == e.key && value == e.value && Objects.equals(detail(), e.detail());
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, step, kind, pfn, key, value, detail());
    }

    @Override
    public String toString() {
        return "Event[seq=" + seq + ", step=" + step + ", kind=" + kind + ", pfn=" + pfn + ", key=" + key
                + ", detail=" + detail() + "]";
    }
}
