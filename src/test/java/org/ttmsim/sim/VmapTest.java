package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.describe;
import static org.ttmsim.sim.SimFixtures.parse;
import static org.ttmsim.sim.SimFixtures.replace;
import static org.ttmsim.sim.SimFixtures.run;
import static org.ttmsim.sim.SimFixtures.step;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Data;
import org.ttmsim.scenario.ScenarioException;

/**
 * {@code vmap-read}: {@code ttm_bo_vmap()} (drivers/gpu/drm/ttm/ttm_bo_util.c, 43676605f890, v5.11) maps
 * every page of the buffer, a tt through {@code vmap(ttm->pages, num_pages, 0, ttm_io_prot(bo, mem,
 * PAGE_KERNEL))}, never the linear map; before v5.11 the driver's {@code ttm_bo_kmap(bo, 0, num_pages)}
 * (vmwgfx's {@code vmw_bo_map_and_cache()}), the same vmap for two pages or more. So an 8-byte read that
 * a {@code kmap-read} serves from one page through the linear map (C=0 after
 * {@code set_memory_decrypted()}) is, as a vmap-read, C=1 over the decrypted DMA-coherent pages under
 * TTM before the 2019 patches (design pre-2019, v5.3). SEV guest, vmwgfx with vmw_force_coherent
 * ({@code dma-alloc: true}), a two-page tt.
 */
class VmapTest {
    private static final String DEVICE_WRITES = """
            name: vmap-whole-object
            description: an 8-byte kernel read through the page it touches, then through the whole object
            machine: {encryption: sev}
            device: {driver: vmwgfx, dma-alloc: true}
            design: pre-2019
            steps:
              - create: {bo: A, size: 8KiB, placement: [tt]}
              - device-write: {bo: A, offset: 0, data: "scanout"}
              - kmap-read: {bo: A, offset: 0, length: 8}
              - vmap-read: {bo: A, offset: 0, length: 8}
            """;
    private static final byte[] WRITTEN = "scanout".getBytes(StandardCharsets.UTF_8);

    private static RunResult runText(final String text, final String design) throws ScenarioException {
        return run(parse("vmap-test.yaml", text), design, null);
    }

    private static List<String> idsAt(final RunResult r, final int step) {
        return r.violations().stream().filter(v -> v.step() == step).map(v -> v.invariant().id()).toList();
    }

    /**
     * ttm_bo_vmap() of the two-page tt is C=1 (PAGE_KERNEL through ttm_io_prot) over frames the device
     * wrote through their shared (C=0) DMA mapping: the read decrypts garbage, and its PTEs alias the C=0
     * direct map. The one-page kmap-read of the same 8 bytes takes the linear map and reads them right.
     */
    @Test
    void shouldReportGarbageAndAliasForTheWholeObjectVmapWhereTheOnePageKmapIsClean() throws Exception {
        final RunResult r = runText(DEVICE_WRITES, null);

        assertThat(idsAt(r, 3)).as("kmap-read: the linear map. " + describe(r)).isEmpty();
        assertThat(step(r, 3).data()).startsWith(WRITTEN);
        assertThat(idsAt(r, 4)).as("vmap-read: C=1 over the decrypted pages")
                .containsExactlyInAnyOrder("cpu-garbage", "attribute-alias");
        assertThat(SimFixtures.violation(r, "attribute-alias").message()).startsWith("2 aliased frame(s)")
                .as("every page of the buffer is mapped, not only the one read").contains("vmap va=0x")
                .contains("C=1(private)");
        assertThat(java.util.Arrays.copyOf(step(r, 4).data(), WRITTEN.length)).isNotEqualTo(WRITTEN);
    }

    /** TTM_TT_FLAG_DECRYPTED (71ce046327cf, v6.9): ttm_io_prot() decrypts the vmap of such a tt. */
    @Test
    void shouldReadTheDeviceBytesThroughTheVmapWhenUpstream2024MarksTheTtDecrypted() throws Exception {
        final RunResult r = runText(DEVICE_WRITES, "upstream-2024");

        assertThat(r.violations()).as(describe(r)).isEmpty();
        assertThat(step(r, 4).data()).startsWith(WRITTEN);
    }

    /**
     * When the user wrote through its mmap instead, pre-2019's fault path maps the pages C=1 too
     * (vm_page_prot): the vmap agrees with the user's key and reads the bytes back (the alias of the
     * user's PTEs was reported when they were inserted), while the one-page kmap's C=0 linear map reads
     * the user's ciphertext. So the garbage of a whole-object vmap shows with data the device wrote.
     */
    @Test
    void shouldAgreeWithTheUsersC1MappingWhileTheLinearKmapReadsItsCiphertext() throws Exception {
        final String text = replace(DEVICE_WRITES, "  - device-write: {bo: A, offset: 0, data: \"scanout\"}\n",
                "  - mmap: {bo: A, as: a}\n  - cpu-write: {map: a, offset: 0, data: \"scanout\"}\n");

        final RunResult r = runText(text, null);

        assertThat(idsAt(r, 3)).as("the user's C=1 PTEs over C=0 frames. " + describe(r))
                .containsExactly("attribute-alias");
        assertThat(idsAt(r, 4)).as("kmap-read through the C=0 linear map").containsExactly("cpu-garbage");
        assertThat(idsAt(r, 5)).as("vmap-read, C=1 like the user's mapping").isEmpty();
        assertThat(step(r, 5).data()).startsWith(WRITTEN);
    }

    /** The typed operation is the step. */
    @Test
    void shouldGiveTheSameResultFromTheSessionsVmapRead() throws Exception {
        final RunResult file = runText(DEVICE_WRITES, null);
        final Session s = Session.open(new Context().encryption("sev").driver("vmwgfx").dmaAlloc(true)
                .design("pre-2019"));

        s.create("A", 8192, "tt");
        s.deviceWrite("A", 0, Data.ofString("scanout"));
        s.kmapRead("A", 0, 8);
        final SteppedRun.Outcome read = s.vmapRead("A", 0, 8);

        assertThat(read.result().data()).isEqualTo(step(file, 4).data());
        assertThat(s.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .isEqualTo(file.violations().stream().map(v -> v.invariant().id() + "@" + v.step()).toList());
    }

    /** vmap-write then vmap-read across a page boundary of VRAM: one ioremap of the whole object, decrypted. */
    @Test
    void shouldWriteAndReadVramThroughTheWholeObjectIoremap() throws Exception {
        final RunResult r = runText("""
                name: vmap-vram
                description: ttm_bo_vmap() of iomem
                machine: {encryption: sev}
                device: {driver: amdgpu}
                design: upstream-2024
                steps:
                  - create: {bo: V, size: 8KiB, placement: [vram]}
                  - vmap-write: {bo: V, offset: 4090, data: "across VRAM pages"}
                  - vmap-read: {bo: V, offset: 4090, length: 17, expect: "across VRAM pages"}
                  - kmap-read: {bo: V, offset: 4090, length: 17, expect: "across VRAM pages"}
                """, null);

        assertThat(r.violations()).as(describe(r)).isEmpty();
        assertThat(r.failures()).isEmpty();
        assertThat(step(r, 3).held()).isTrue();
    }
}
