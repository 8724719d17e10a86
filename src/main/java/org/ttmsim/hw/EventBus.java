package org.ttmsim.hw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one bus every emulated action is published on. The cost ledger is charged directly by the
 * components; the trace, the report and the invariant monitors are listeners. Order is the order of
 * emission: runs are single-threaded, so the log is deterministic.
 */
public final class EventBus {
    /**
     * Observes events as they happen. An abstract class, not an interface: {@link #publish} calls every
     * listener from one call site, with as many receiver classes as there are monitors, and a megamorphic
     * virtual call (a vtable load) costs less than an interface call (an itable search): 5 % of a matrix
     * cell's time went to itable stubs, for about 4.4 million events a round of the bench's cells.
     */
    public abstract static class Listener {
        /** A listener of every event kind, for tests and tools. */
        public static Listener of(final java.util.function.Consumer<Event> action) {
            return new Listener() {
                @Override
                public void onEvent(final Event event) {
                    action.accept(event);
                }
            };
        }

        public abstract void onEvent(Event event);

        /**
         * Whether {@link #onEvent} does anything with events of {@code kind}; asked once per kind at
         * {@link #subscribe}, so the answer must depend on the kind alone, or on what is fixed for the run
         * (the machine's encryption mode). Events of kinds a listener
         * declines are not delivered to it (its {@code onEvent} would return at once anyway).
         */
        public boolean listensTo(final EventKind kind) {
            return true;
        }
    }

    private static final EventKind[] KINDS = EventKind.values();
    private final List<Listener> listeners = new ArrayList<>();
    /**
     * Per event kind (by ordinal): the listeners that take it, in subscription order. A fast path: most
     * events (a write-back, a CPU write) concern one or two of the monitors, and a call to each of the
     * others per event, through an interface with many implementations, cost more than the event.
     */
    private final Listener[][] byKind = new Listener[KINDS.length][0];
    private final List<Event> log = new ArrayList<>();
    private final boolean keepLog;
    private final CostLedger clock;
    private int step;
    private long seq;

    /** @param keepLog whether to keep every event for the trace and the report */
    public EventBus(final boolean keepLog) {
        this(keepLog, null);
    }

    /**
     * @param keepLog whether to keep every event for the trace and the report
     * @param clock   the ledger whose {@code simulated_ns} stamps each event ({@link Event#simulatedNs}), or
     *                null to stamp 0
     */
    public EventBus(final boolean keepLog, final CostLedger clock) {
        this.keepLog = keepLog;
        this.clock = clock;
    }

    public void subscribe(final Listener listener) {
        listeners.add(listener);
        for (final EventKind kind : KINDS) {
            if (listener.listensTo(kind)) {
                final Listener[] those = byKind[kind.ordinal()];
                final Listener[] more = Arrays.copyOf(those, those.length + 1);
                more[those.length] = listener;
                byKind[kind.ordinal()] = more;
            }
        }
    }

    /** Marks the scenario step that subsequent events belong to. */
    public void setStep(final int step) {
        this.step = step;
    }

    public int step() {
        return step;
    }

    public void emit(final EventKind kind, final long pfn, final KeyId key, final String detail) {
        publish(new Event(seq++, now(), step, kind, pfn, key, 0, detail));
    }

    /** An event with a {@link Event#value()} for the monitors. */
    public void emit(final EventKind kind, final long pfn, final KeyId key, final long value, final String detail) {
        publish(new Event(seq++, now(), step, kind, pfn, key, value, detail));
    }

    /** An event with a {@link Event#value()}, its sentence formatted only if somebody reads it. */
    public void emit(final EventKind kind, final long pfn, final KeyId key, final long value,
            final Event.Detail detail) {
        if (takes(kind)) {
            publish(new Event(seq++, now(), step, kind, pfn, key, value, detail));
        } else {
            seq++;
        }
    }

    /**
     * Emits an event whose sentence is formatted only if somebody reads it. Nothing is built, not even
     * the event, while nobody listens ({@link #active()}).
     */
    public void emit(final EventKind kind, final long pfn, final KeyId key, final Event.Detail detail) {
        if (takes(kind)) {
            publish(new Event(seq++, now(), step, kind, pfn, key, 0, detail));
        } else {
            seq++;
        }
    }

    /** The simulated time an event published now is stamped with. */
    private long now() {
        return clock == null ? 0 : clock.simulatedNs();
    }

    private void publish(final Event e) {
        if (keepLog) {
            log.add(e);
        }
        for (final Listener listener : byKind[e.kind().ordinal()]) {
            listener.onEvent(e);
        }
    }

    /**
     * Counts an event that nobody would see ({@link #active()} is false) without building it, so that
     * sequence numbers stay what they would be with listeners. For hot paths, whose detail lambda
     * would otherwise be allocated only to be dropped:
     * {@code if (bus.active()) bus.emit(..., () -> ...); else bus.skip();}
     */
    public void skip() {
        seq++;
    }

    /** Whether an event of {@code kind} published now would be kept or seen by a listener. */
    private boolean takes(final EventKind kind) {
        return keepLog || byKind[kind.ordinal()].length > 0;
    }

    /** Whether anybody would see an event: callers skip building costly details when not. */
    public boolean active() {
        return keepLog || !listeners.isEmpty();
    }

    public List<Event> log() {
        return log;
    }
}
