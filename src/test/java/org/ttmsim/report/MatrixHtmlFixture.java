package org.ttmsim.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttmsim.check.Invariant;
import org.ttmsim.check.Violation;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.RunResult.FrameInfo;
import org.ttmsim.sim.StepResult;

/**
 * Hand-built matrix results for the HTML report's tests, so they need no simulator: two designs × two
 * modes × two scenarios. The first scenario has passing cells, a cpu-garbage cell with an unmet expectation,
 * evidence, frames and a trace of {@link #TRACE_EVENTS} events (a prefault of 16 consecutive pte-inserts
 * among them), and an error cell; the second has a hostile name, message and case note to test escaping,
 * and a host-leak finding that an {@code expect.cases} entry states (a pass, with that case's note).
 */
final class MatrixHtmlFixture {
    static final List<String> DESIGNS = List.of("pre-2019", "upstream-2024");
    static final List<String> MODES = List.of("none", "sev");

    static final String SCENARIO = "sev-vmwgfx-device-writes-user-reads";
    /** Would add an attribute to body if the message's markup ever ran. */
    static final String HOSTILE_SCENARIO = "evil <script>document.body.setAttribute('data-pwned','s')</script> & \"q\"";
    static final String HOSTILE_MESSAGE = "<img src=x onerror=\"document.body.setAttribute('data-pwned','m')\">";
    /** The note of the case that expects the hostile scenario's host-leak. */
    static final String HOSTILE_NOTE = "leaks <em onmouseover=\"document.body.setAttribute('data-pwned','n')\">by design</em>";

    static final String GARBAGE_MESSAGE = "cpu read of A at offset 0 returned ciphertext, expected \"frame 1\"";
    static final List<String> EVIDENCE = List.of(
            "[step 2] dma dma-write pfn=0x1200: device wrote 7 bytes, unencrypted",
            "[step 3] mm pte-insert pfn=0x1200: vaddr=0x7f0000000000 prot=WB C=1",
            "[step 4] cpu cpu-read pfn=0x1200 key=guest: 7 bytes through C=1");
    /** Events in the cpu-garbage cell's trace: 5 single ones and a prefault of 16 pte-inserts. */
    static final int TRACE_EVENTS = 21;
    static final byte[] GARBAGE = {(byte) 0x9c, 0x41, 0x00, (byte) 0xe3, 0x7f, 0x20, 0x31};

    private MatrixHtmlFixture() {
    }

    /** All eight runs in matrix order (scenario, mode, design). */
    static List<RunResult> results() {
        final List<RunResult> rs = new ArrayList<>();
        rs.add(pass(SCENARIO, "pre-2019", "none"));
        rs.add(pass(SCENARIO, "upstream-2024", "none"));
        rs.add(garbage("pre-2019", "sev"));
        rs.add(error(SCENARIO, "upstream-2024", "sev"));
        rs.add(pass(HOSTILE_SCENARIO, "pre-2019", "none"));
        rs.add(pass(HOSTILE_SCENARIO, "upstream-2024", "none"));
        rs.add(hostile("pre-2019", "sev"));
        rs.add(pass(HOSTILE_SCENARIO, "upstream-2024", "sev"));
        return rs;
    }

    static RunResult pass(final String scenario, final String design, final String mode) {
        return new RunResult(scenario, "builtin:" + scenario, design, mode, "v6.9", "pass", null, List.of(), List.of(),
                List.of(step(1, "create", null), read(4, "frame 1".getBytes(StandardCharsets.US_ASCII), true)),
                state(), costs(1), List.of(), List.of());
    }

    static RunResult garbage(final String design, final String mode) {
        final List<StepResult> steps = List.of(step(1, "create", "placement tt"),
                step(2, "device-write", "7 bytes to pfn 0x1200"), step(3, "mmap", "as a at 0x7f0000000000"),
                read(4, GARBAGE, false), new StepResult(5, "validate", "ok", "ENOMEM", null, null, "moved to vram"));
        final List<String> trace = new ArrayList<>(EVIDENCE);
        trace.add(0, "[step 1] ttm populate pfn=0x1200: 16 pages from the pool");
        trace.add(2, "[step 2] cpa conversion pfn=0x1200: set_memory_decrypted");
        for (int page = 15; page >= 1; page--) { // the rest of the prefault, after the evidence line
            trace.add(4, String.format("[step 3] mm pte-insert pfn=0x%x: vaddr=0x%x prot=WB C=1", 0x1200 + page,
                    0x7f0000000000L + page * 4096L));
        }
        trace.add("[step 5] ttm move: tt -> vram, 65536 bytes");
        final List<FrameInfo> frames = List.of(
                new FrameInfo(0x1200, "ram", "A", "private", List.of("p1:a WB C=1", "direct-map WB C=1")),
                new FrameInfo(0x1201, "ram", "A", "shared", List.of()),
                new FrameInfo(0x80000, "vram", "A", "shared", List.of("p1:a WC")),
                new FrameInfo(0x4000, "swiotlb", null, "shared", List.of()));
        return new RunResult(SCENARIO, "builtin:" + SCENARIO, design, mode, "v6.9", "fail", null,
                List.of("step 5: result ok, expected ENOMEM"),
                List.of(new Violation(Invariant.CPU_GARBAGE, 4, GARBAGE_MESSAGE, EVIDENCE)), steps, state(),
                costs(3), trace, frames);
    }

    static RunResult error(final String scenario, final String design, final String mode) {
        return new RunResult(scenario, "builtin:" + scenario, design, mode, "v6.9", "error",
                "model bug: no backing for A at step 2", List.of(), List.of(), List.of(step(1, "create", null)),
                state(), costs(0), List.of(), List.of());
    }

    static RunResult hostile(final String design, final String mode) {
        return new RunResult(HOSTILE_SCENARIO, "x<y>.yaml", design, mode, "v6.9", "pass", null, List.of(),
                List.of(new Violation(Invariant.HOST_LEAK, 1, HOSTILE_MESSAGE, List.of("<b>bold</b> & more"))),
                List.of(step(1, "create", "</script><script>document.body.setAttribute('data-pwned','d')</script>")),
                state(), costs(0), List.of("[step 1] mm fault: <i>x</i>"), List.of(), HOSTILE_NOTE);
    }

    /** {@code r} as it is when no expectation states its findings: verdict fail, saying why. */
    static RunResult unexpected(final RunResult r) {
        return new RunResult(r.scenario(), r.file(), r.design(), r.mode(), r.kernel(), "fail", null,
                List.of("expected violations [] (no expect.violations or expect.cases entry covers this design, mode"
                        + " and kernel), got " + r.violatedIds()),
                r.violations(), r.steps(), r.state(), r.costs(), r.trace(), r.frames());
    }

    private static StepResult step(final int index, final String op, final String detail) {
        return new StepResult(index, op, "ok", null, null, null, detail);
    }

    private static StepResult read(final int index, final byte[] data, final boolean held) {
        return new StepResult(index, "cpu-read", "ok", null, data, held, "through a");
    }

    private static Map<String, Object> state() {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("placement", "tt");
        a.put("size", 65536);
        a.put("pin_count", 0);
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("A", a);
        s.put("managers", Map.of("vram", Map.of("size", 268435456, "usage", 0)));
        return s;
    }

    private static Map<String, Long> costs(final long faults) {
        final Map<String, Long> c = new LinkedHashMap<>();
        c.put("faults", faults);
        c.put("ptes_inserted", faults * 16);
        c.put("tlb_shootdowns", 0L);
        c.put("simulated_ns", 1000 + faults * 250);
        return c;
    }
}
