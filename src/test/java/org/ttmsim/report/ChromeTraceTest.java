package org.ttmsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.KeyId;
import org.ttmsim.sim.RunRecording;

/** Which track each kind of event lands on, and how time is written; hand-made events, no simulator. */
class ChromeTraceTest {
    private static RunRecording recording(final Event... events) {
        return new RunRecording(MatrixHtmlFixture.pass("s", "pre-2019", "sev"), List.of(events),
                List.of(new RunRecording.StepSpan(1, "cpu-read", "s.yaml:7", "ok", 0, 2500)), 2500);
    }

    private static Event event(final long seq, final long ns, final EventKind kind, final String detail) {
        return new Event(seq, ns, 1, kind, 0x10, KeyId.NONE, 0, detail);
    }

    private static JsonNode instant(final JsonNode root, final long seq) {
        for (final JsonNode e : root.get("traceEvents")) {
            if ("i".equals(e.get("ph").asText()) && e.get("args").get("seq").asLong() == seq) {
                return e;
            }
        }
        throw new AssertionError("no event " + seq);
    }

    private static String track(final JsonNode e) {
        return e.get("pid").asInt() + "/" + e.get("tid").asInt();
    }

    @Test
    void shouldPutEachAgentsEventsOnItsOwnTrack() throws Exception {
        final JsonNode root = new ObjectMapper().readTree(ChromeTrace.render(List.of(recording(
                event(0, 100, EventKind.CPU_WRITE, "p2 8 bytes at 0x1000 via ..."),
                event(1, 200, EventKind.CPU_READ, "kernel 8 bytes at 0xffff888000010000 via ..."),
                event(2, 300, EventKind.GUEST_FATAL, "p2 read at 0x1000 through C=1: the frame is shared; ..."),
                event(3, 400, EventKind.GUEST_FATAL, "device write of 8 bytes at bus 0x10000 hits a guest-private"),
                event(4, 500, EventKind.GUEST_FATAL, "page-state change of 1 pages at pfn 0x10 refused"),
                event(5, 600, EventKind.CACHE_WRITEBACK, "eviction wrote back 1 dirty line"),
                event(6, 700, EventKind.DMA_WRITE, "device 8 bytes at bus 0x10000 (system memory)"),
                event(7, 800, EventKind.HYPERCALL, "KVM_HC_MAP_GPA_RANGE x1"),
                event(8, 900, EventKind.HOST_READ, "host read"),
                event(11, 950, EventKind.HOST_WRITE, "host write"),
                event(9, 1000, EventKind.BOUNCE, "swiotlb map"),
                event(10, 1100, EventKind.WARN, "WARN_ON")))));

        assertThat(track(instant(root, 0))).isEqualTo("1/1");
        assertThat(track(instant(root, 1))).isEqualTo("1/2");
        assertThat(track(instant(root, 2))).as("a CPU access stopped by hardware: on its address space")
                .isEqualTo("1/1");
        assertThat(track(instant(root, 3))).as("a device access stopped by hardware").isEqualTo("2/1");
        assertThat(track(instant(root, 4))).as("neither: the kernel's hw thread").isEqualTo("3/10");
        assertThat(track(instant(root, 5))).isEqualTo("1/3");
        assertThat(track(instant(root, 6))).isEqualTo("2/1");
        assertThat(track(instant(root, 7))).isEqualTo("4/1");
        assertThat(track(instant(root, 8))).isEqualTo("4/2");
        assertThat(track(instant(root, 11))).isEqualTo("4/2");
        assertThat(track(instant(root, 9))).isEqualTo("3/6");
        assertThat(track(instant(root, 10))).isEqualTo("3/8");
        assertThat(instant(root, 9).get("cat").asText()).isEqualTo("swiotlb");
        assertThat(instant(root, 9).get("name").asText()).isEqualTo("bounce");
    }

    @Test
    void shouldWriteTimeAsMicrosecondsWithThreeDecimals() {
        final String text = ChromeTrace.render(List.of(recording(event(0, 1234567, EventKind.FAULT, "f"))));

        assertThat(text).contains("\"ts\":1234.567,").contains("\"dur\":2.500,")
                .contains("\"name\":\"fault\",\"cat\":\"mm\",\"ph\":\"i\",\"ts\":1234.567,\"pid\":3,\"tid\":1,\"s\":\"t\"");
        assertThat(ChromeTrace.micros(5)).hasToString("0.005");
        assertThat(ChromeTrace.micros(0)).hasToString("0.000");
    }

    @Test
    void shouldNameOnlyThreadsThatCarryEvents() {
        final String text = ChromeTrace.render(List.of(recording(event(0, 10, EventKind.FAULT, "f"))));

        assertThat(text).contains("\"pid\":3,\"tid\":1,\"args\":{\"name\":\"mm\"}")
                .doesNotContain("\"name\":\"tlb\"").doesNotContain("\"name\":\"DMA engine\"")
                .contains("\"args\":{\"name\":\"hypervisor\"}");
    }
}
