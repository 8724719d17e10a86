package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.describe;
import static org.ttmsim.sim.SimFixtures.parse;
import static org.ttmsim.sim.SimFixtures.replace;
import static org.ttmsim.sim.SimFixtures.run;
import static org.ttmsim.sim.SimFixtures.step;
import static org.ttmsim.sim.SimFixtures.violation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.check.Violation;
import org.ttmsim.scenario.ScenarioException;

/**
 * Tests {@link World}'s monitors end to end: invariants judged at the moment they break. A kernel map
 * made, used and torn down inside one step is judged for {@code attribute-alias} when it is made; the
 * bytes a kernel copy reads from a buffer's backing (a memcpy move's source, a swapout) are judged for
 * {@code cpu-garbage} when they are read. SEV guest, vmwgfx with vmw_force_coherent ({@code dma-alloc:
 * true}): pre-2019 (v5.3) maps the decrypted coherent pages C=1, upstream-2024 (v6.9) marks the tt
 * DECRYPTED and maps it decrypted.
 */
class WorldTest {
    /** A two-page kernel read: a 29-byte access at 4080 spans two pages, so ttm_bo_kmap vmaps. */
    private static final String KMAP_TWO_PAGES = """
            name: kmap-two-pages
            description: a kernel map of two pages, judged when it happens
            machine: {encryption: sev}
            device: {driver: vmwgfx, dma-alloc: true}
            design: pre-2019
            steps:
              - create: {bo: A, size: 8KiB, placement: [tt]}
              - kmap-write: {bo: A, offset: 4080, data: "spans two pages of the buffer"}
              - kmap-read: {bo: A, offset: 4080, length: 29}
            """;
    private static final byte[] TWO_PAGES = "spans two pages of the buffer".getBytes(StandardCharsets.UTF_8);

    private static RunResult runText(final String text, final String design) throws ScenarioException {
        return run(parse("world-test.yaml", text), design, null);
    }

    private static List<String> idsAt(final RunResult r, final int step) {
        return r.violations().stream().filter(v -> v.step() == step).map(v -> v.invariant().id()).toList();
    }

    // ---------------------------------------------------------------- kernel maps

    /**
     * The two-page vmap is PAGE_KERNEL (C=1) over frames whose direct map is C=0: an alias the moment it
     * is made, although kunmap tears it down in the same step. The read through the second C=1 vmap
     * returns the bytes the first one stored: both use the guest key, and the dirty guest-key lines are
     * still cached, so the read is right and cpu-garbage is not reported (the garbage is for the device
     * and the host, which see the shared frame's DRAM).
     */
    @Test
    void shouldReportTheAliasAtTheKmapWriteAndNoGarbageWhenPre2019VmapsBothPagesC1() throws Exception {
        final RunResult r = runText(KMAP_TWO_PAGES, null);

        assertThat(r.violatedIds()).as(describe(r)).containsExactly("attribute-alias");
        final Violation alias = violation(r, "attribute-alias");
        assertThat(alias.step()).as("when the kmap-write's vmap was made").isEqualTo(2);
        assertThat(alias.message()).startsWith("2 aliased frame(s)").contains("vmap va=0x")
                .contains("C=1(private) cached").contains("direct map C=0(shared) (at kmap, step 2)");
        assertThat(step(r, 3).data()).isEqualTo(TWO_PAGES);
    }

    @Test
    void shouldReportNothingWhenUpstream2024MapsTheDecryptedTtDecrypted() throws Exception {
        final RunResult r = runText(KMAP_TWO_PAGES, "upstream-2024");

        assertThat(r.violations()).as(describe(r)).isEmpty();
        assertThat(step(r, 3).data()).isEqualTo(TWO_PAGES);
    }

    @Test
    void shouldReportCpuGarbageWhenTheC1VmapReadsWhatTheDeviceWrote() throws Exception {
        final String text = replace(KMAP_TWO_PAGES, "kmap-write:", "device-write:");

        final RunResult r = runText(text, null);

        assertThat(idsAt(r, 3)).as(describe(r)).containsExactlyInAnyOrder("attribute-alias", "cpu-garbage");
    }

    @Test
    void shouldReportTheAliasAtTheKmapWriteAndDeviceGarbageWhenTheDeviceReadsWhatItStored() throws Exception {
        final String text = replace(KMAP_TWO_PAGES, "kmap-read:", "device-read:");

        final RunResult r = runText(text, null);

        assertThat(idsAt(r, 2)).as(describe(r)).containsExactly("attribute-alias");
        assertThat(idsAt(r, 3)).containsExactly("device-garbage");
    }

    @Test
    void shouldNotReportTheLingeringAliasAgainWhenTheNextKmapReusesTheFrames() throws Exception {
        final String text = KMAP_TWO_PAGES + "  - kmap-read: {bo: A, offset: 4080, length: 29}\n";

        final RunResult r = runText(text, null);

        assertThat(r.violations()).as(describe(r)).extracting(Violation::step).containsExactly(2);
        assertThat(r.costs().get("tlb_shootdowns")).as("two conversions x two cpa_flush rounds x 4 cpus; the"
                + " vunmaps flush nothing").isEqualTo(16L);
    }

    // ---------------------------------------------------------------- kernel copies

    private static final String MOVE_TT_TO_VRAM = """
            name: move-tt-to-vram
            description: a memcpy move whose source read is judged
            machine: {encryption: sev}
            device: {driver: vmwgfx, dma-alloc: true}
            design: pre-2019
            steps:
              - create: {bo: A, size: 8KiB, placement: [tt]}
              - mmap: {bo: A, as: a}
              - cpu-write: {map: a, offset: 0, data: "stored through the C=1 PTE"}
              - validate: {bo: A, placement: [vram]}
            """;

    /**
     * The user's store went into a guest-key line through the C=1 PTE; ttm_bo_move_memcpy reads the
     * source tt page through the linear map, C=0, and copies what it got into VRAM: garbage, reported at
     * the move although no scenario read follows.
     */
    @Test
    void shouldReportCpuGarbageAtTheMoveWhenItsSourceReadMissesWhatTheUserStoredThroughC1() throws Exception {
        final RunResult r = runText(MOVE_TT_TO_VRAM, null);

        assertThat(idsAt(r, 3)).as(describe(r)).containsExactly("attribute-alias");
        assertThat(idsAt(r, 4)).contains("cpu-garbage");
        assertThat(violation(r, "cpu-garbage").message()).startsWith(
                "ttm_bo_move_memcpy source read (tt pages via the linear map) of A: 26 of 26 written bytes differ in 1"
                        + " page(s); first at offset 0");
    }

    @Test
    void shouldReportNoGarbageAtTheMoveWhenUpstream2024MapsTheUserDecrypted() throws Exception {
        assertThat(runText(MOVE_TT_TO_VRAM, "upstream-2024").violations()).isEmpty();
    }

    /**
     * VRAM to TT of the coherent buffer: the iomem side is an ioremap (decrypted) and the tt side the
     * linear map (kmap_atomic_prot/kmap_local_page_prot are page_address() on x86-64, every release), so
     * the move itself has no C=1 map and copies right; the user's C=1 mapping reads garbage later.
     */
    @Test
    void shouldJudgeNothingAtAVramToTtMoveBecauseBothOfItsMapsAreDecrypted() throws Exception {
        final String text = """
                name: move-vram-to-tt
                description: VRAM to TT of a coherent buffer
                machine: {encryption: sev}
                device: {driver: vmwgfx, dma-alloc: true}
                design: pre-2019
                steps:
                  - create: {bo: A, size: 8KiB, placement: [vram]}
                  - device-write: {bo: A, offset: 0, data: "written by the device"}
                  - validate: {bo: A, placement: [tt]}
                  - mmap: {bo: A, as: a}
                  - cpu-read: {map: a, offset: 0, length: 21}
                """;

        final RunResult r = runText(text, null);

        assertThat(idsAt(r, 3)).as(describe(r)).isEmpty();
        assertThat(idsAt(r, 5)).containsExactlyInAnyOrder("cpu-garbage", "attribute-alias");
    }

    /**
     * generic in a SEV guest streams its tt through SWIOTLB: the device's write lands in the bounce slot,
     * and the copy back (swiotlb_tbl_unmap_single) comes only at unpopulate, after the move has copied
     * the stale original into VRAM. The move's read is judged; the bounce copies are not reads of the
     * buffer's backing (TtmCopyReads) and report nothing themselves.
     */
    @Test
    void shouldReportCpuGarbageAtTheMoveWhenTheDevicesDataIsStillInTheBounceSlot() throws Exception {
        final String text = """
                name: bounce
                description: generic streams its tt through SWIOTLB
                machine: {encryption: sev}
                device: {driver: generic}
                steps:
                  - create: {bo: A, size: 8KiB, placement: [tt]}
                  - device-write: {bo: A, offset: 0, data: "in the bounce slot"}
                  - validate: {bo: A, placement: [vram]}
                  - device-read: {bo: A, offset: 0, length: 18}
                """;

        final RunResult r = runText(text, null);

        assertThat(idsAt(r, 1)).as("the map-time bounce copies fresh pages: not judged").isEmpty();
        assertThat(idsAt(r, 3)).as(describe(r)).containsExactly("cpu-garbage");
        assertThat(violation(r, "cpu-garbage").message()).startsWith("ttm_bo_move_memcpy source read");
        assertThat(idsAt(r, 4)).containsExactly("device-garbage");
    }

    @Test
    void shouldReportCpuGarbageAtTheSwapoutWhenItReadsThroughTheLinearMap() throws Exception {
        final String text = replace(MOVE_TT_TO_VRAM, "  - validate: {bo: A, placement: [vram]}\n",
                "  - swapout: {bo: A}\n");

        final RunResult r = runText(text, null);

        assertThat(idsAt(r, 4)).as(describe(r)).contains("cpu-garbage");
        assertThat(violation(r, "cpu-garbage").message()).startsWith("ttm_tt_swapout read (tt pages via the linear"
                + " map) of A: 26 of 26 written bytes differ");
        assertThat(runText(text, "upstream-2024").violations()).isEmpty();
    }
}
