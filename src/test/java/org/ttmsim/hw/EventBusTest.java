package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests {@link EventBus}: delivery by kind, in subscription order, and sequence numbers. */
class EventBusTest {
    @Test
    void shouldDeliverEachKindOnlyToItsListenersInSubscriptionOrder() {
        final EventBus bus = new EventBus(false);
        final List<String> got = new ArrayList<>();
        bus.subscribe(EventBus.Listener.of(e -> got.add("all:" + e.kind())));
        bus.subscribe(new EventBus.Listener() {
            @Override
            public void onEvent(final Event e) {
                got.add("writes:" + e.kind());
            }

            @Override
            public boolean listensTo(final EventKind kind) {
                return kind == EventKind.CPU_WRITE;
            }
        });
        bus.subscribe(EventBus.Listener.of(e -> got.add("last:" + e.kind())));

        bus.emit(EventKind.CPU_WRITE, 1, KeyId.NONE, "w");
        bus.emit(EventKind.CPU_READ, 1, KeyId.NONE, "r");

        assertThat(got).containsExactly("all:CPU_WRITE", "writes:CPU_WRITE", "last:CPU_WRITE", "all:CPU_READ",
                "last:CPU_READ");
    }

    @Test
    void shouldNumberEventsNoListenerTakesLikeOthers() {
        final EventBus bus = new EventBus(false);
        final List<Long> seqs = new ArrayList<>();
        bus.subscribe(new EventBus.Listener() {
            @Override
            public void onEvent(final Event e) {
                seqs.add(e.seq());
            }

            @Override
            public boolean listensTo(final EventKind kind) {
                return kind == EventKind.CPU_READ;
            }
        });

        bus.emit(EventKind.CPU_WRITE, 1, KeyId.NONE, "w");
        bus.emit(EventKind.CPU_READ, 1, KeyId.NONE, "r");

        assertThat(seqs).containsExactly(1L);
    }
}
