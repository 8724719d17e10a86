package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.builtinText;
import static org.ttmsim.sim.SimFixtures.describe;
import static org.ttmsim.sim.SimFixtures.parse;
import static org.ttmsim.sim.SimFixtures.replace;
import static org.ttmsim.sim.SimFixtures.run;
import static org.ttmsim.sim.SimFixtures.step;
import static org.ttmsim.sim.SimFixtures.violation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ttmsim.hw.EncryptionEngine;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Pte;
import org.ttmsim.scenario.ScenarioException;

/**
 * A verdict follows from the emulated hardware, not from a table of expected outcomes: the same
 * scenario under the same design changes verdict when one hardware fact changes (the device's DMA
 * mask against the C-bit, an IOMMU, cache coherence across C-bit aliases, the encryption mode). Each
 * test edits a built-in's YAML text, so the scenario's own {@code expect.cases} no longer describe the
 * run: only the violations reported are judged here.
 */
class HardwareFactTest {
    private static final String SME_LIMITED = "04-sme-limited-device.yaml";
    private static final String CACHE_ALIAS = "16b-cache-alias-with-flush.yaml";
    private static final String VRAM = "05-vram-mapped.yaml";
    private static final byte[] GPU_BYTES = "written by the GPU".getBytes(StandardCharsets.UTF_8);
    /** 04's user read of the bytes the GPU wrote. */
    private static final int SME_READ = 4;

    // (a) SME host, amdgpu: force_dma_unencrypted() iff the coherent mask cannot carry the C-bit.

    @Test
    void shouldGiveCpuGarbageWhenA44BitMaskForcesDecryptedCoherentPagesUnderUpstream2024() throws Exception {
        final RunResult r = run(parse("04.yaml", builtinText(SME_LIMITED)), "upstream-2024", "sme");

        assertThat(r.violatedIds()).as(describe(r)).contains("cpu-garbage");
        assertThat(violation(r, "cpu-garbage").step()).isEqualTo(SME_READ);
        assertThat(step(r, SME_READ).data()).isNotEqualTo(GPU_BYTES);
    }

    @Test
    void shouldReadTheGpuPlaintextDecryptedWithTheHostKeyWhenTheMaskIsLimited() throws Exception {
        final RunResult r = run(parse("04.yaml", builtinText(SME_LIMITED)), "upstream-2024", "sme");
        final long pfn = r.frames().stream().filter(f -> f.owner().equals("A page 0")).findFirst()
                .orElseThrow().pfn();

        // The page was zeroed and decrypted at allocation; the GPU wrote plaintext; the user's C=1 PTE
        // makes the memory controller decrypt that line with the host's SME key.
        final byte[] stored = Arrays.copyOf(GPU_BYTES, EncryptionEngine.LINE);
        final byte[] seen = new byte[EncryptionEngine.LINE];
        new EncryptionEngine().decrypt(KeyId.HOST, pfn << Pte.PAGE_SHIFT, stored, 0, seen, 0, seen.length);
        assertThat(step(r, SME_READ).data()).isEqualTo(Arrays.copyOf(seen, GPU_BYTES.length));
    }

    @Test
    void shouldReadCorrectlyWhenA48BitMaskCarriesTheCBit() throws Exception {
        final String text = replace(builtinText(SME_LIMITED), "dma-mask-bits: 44", "dma-mask-bits: 48");
        final RunResult r = run(parse("04-mask48.yaml", text), "upstream-2024", "sme");

        assertThat(r.violations()).as(describe(r)).isEmpty();
        assertThat(step(r, SME_READ).data()).isEqualTo(GPU_BYTES);
    }

    @Test
    void shouldReadCorrectlyWhenTheLimitedDeviceSitsBehindAnIommu() throws Exception {
        final String text = replace(builtinText(SME_LIMITED), "dma-mask-bits: 44", "dma-mask-bits: 44, iommu: true");
        final RunResult r = run(parse("04-iommu.yaml", text), "upstream-2024", "sme");

        assertThat(r.violations()).as(describe(r)).isEmpty();
        assertThat(step(r, SME_READ).data()).isEqualTo(GPU_BYTES);
    }

    /** DMA_BIT_MASK(mask) <= DMA_BIT_MASK(cbit) decides: the outcome moves with the C-bit, not the mask alone. */
    @ParameterizedTest(name = "mask {0} bits, C-bit {1}: garbage {2}")
    @CsvSource({
        "32, 47, true",
        "44, 47, true",
        "47, 47, true",
        "48, 47, false",
        "64, 47, false",
        "44, 44, true",
        "44, 43, false",
        "40, 40, true",
        "40, 39, false",
    })
    void shouldGiveGarbageExactlyWhenTheMaskCannotReachTheCBit(final int maskBits, final int cbit,
            final boolean garbage) throws ScenarioException {
        String text = replace(builtinText(SME_LIMITED), "dma-mask-bits: 44", "dma-mask-bits: " + maskBits);
        text = replace(text, "machine: {encryption: sme}", "machine: {encryption: sme, cbit: " + cbit + "}");
        final RunResult r = run(parse("04-table.yaml", text), "upstream-2024", "sme");

        if (garbage) {
            assertThat(r.violatedIds()).as(describe(r)).contains("cpu-garbage");
        } else {
            assertThat(r.violations()).as(describe(r)).isEmpty();
            assertThat(step(r, SME_READ).data()).isEqualTo(GPU_BYTES);
        }
    }

    // (b) Cache lines tagged by (line, C-bit) unless the CPU has SME_COHERENT.

    @Test
    void shouldReportCacheCorruptionFromAStaleGuestKeyLineUnderPre2019() throws Exception {
        final RunResult r = run(parse("16b.yaml", builtinText(CACHE_ALIAS)), "pre-2019", "sev");

        assertThat(r.violatedIds()).as(describe(r)).contains("cache-corruption", "attribute-alias");
    }

    @Test
    void shouldReportNoCacheCorruptionWhenCachesAreCoherentAcrossCBitAliases() throws Exception {
        final String text = replace(builtinText(CACHE_ALIAS), "sme-coherent: false", "sme-coherent: true");
        final RunResult r = run(parse("16b-coherent.yaml", text), "pre-2019", "sev");

        assertThat(r.violatedIds()).as(describe(r)).doesNotContain("cache-corruption")
                .as("docs/SCENARIOS.md Invariants: an encryption alias counts only without sme-coherent").doesNotContain("attribute-alias");
        assertThat(r.costs().get("cache_flush_pages")).as("SME_COHERENT skips the conversion flush").isZero();
    }

    /**
     * Field case c6 (d45829b351ee, v5.18): a user store through the C=1 mapping of a decrypted coherent
     * page, a device write of the same line, an eviction (B's populate and kernel writes), a device read.
     */
    private static final String C6 = """
            name: sme-coherent-dma
            description: field case c6, d45829b351ee
            machine: {encryption: sev, sme-coherent: true}
            device: {driver: vmwgfx, dma-alloc: true}
            design: pre-2019
            steps:
              - create: {bo: A, size: 4KiB, placement: [tt]}
              - mmap: {bo: A, as: a}
              - cpu-write: {map: a, offset: 0, data: {fill: 0x11, length: 64}}
              - device-write: {bo: A, offset: 0, data: {fill: 0x22, length: 64}}
              - create: {bo: B, size: 64KiB, placement: [tt]}
              - kmap-write: {bo: B, offset: 0, data: {fill: 0x33, length: 65536}}
              - device-read: {bo: A, offset: 0, length: 64}
            """;

    @Test
    void shouldReportCacheCorruptionAndDeviceGarbageWhenSmeCoherentCachesMeetDma() throws Exception {
        final RunResult r = run(parse("c6.yaml", C6), null, null);

        assertThat(r.violatedIds()).as(describe(r)).containsExactlyInAnyOrder("cache-corruption", "device-garbage");
        assertThat(violation(r, "cache-corruption").message()).contains("key guest", "device/uncached write key none");
        assertThat(step(r, 7).data()).as("the guest-key line went back over the device's bytes")
                .isNotEqualTo(filled(0x22, 64));
    }

    @Test
    void shouldChangeOnlyTheCpuSideAliasWhenOnlySmeCoherentFlips() throws Exception {
        final RunResult coherent = run(parse("c6.yaml", C6), null, null);
        final RunResult tagged = run(parse("c6-tagged.yaml", replace(C6, "sme-coherent: true", "sme-coherent: false")),
                null, null);

        assertThat(tagged.violatedIds()).as(describe(tagged))
                .containsExactlyInAnyOrder("attribute-alias", "cache-corruption", "device-garbage");
        assertThat(coherent.violatedIds()).as("docs/SCENARIOS.md Invariants: an encryption alias counts only without sme-coherent")
                .doesNotContain("attribute-alias");
        assertThat(coherent.violations().stream().filter(v -> !v.invariant().id().equals("attribute-alias"))
                .map(v -> v.invariant().id() + "@" + v.step()))
                .as("the DMA corruption is the same with and without SME_COHERENT")
                .containsExactlyElementsOf(tagged.violations().stream()
                        .filter(v -> !v.invariant().id().equals("attribute-alias"))
                        .map(v -> v.invariant().id() + "@" + v.step()).toList());
        assertThat(step(coherent, 7).data()).isEqualTo(step(tagged, 7).data());
    }

    private static byte[] filled(final int value, final int n) {
        final byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    // (c) iomem: insert-pfn gives VRAM the VMA's vm_page_prot, which carries C=1 only when encryption is on.

    @Test
    void shouldGiveGarbageForVramMappedByInsertPfnUnderSme() throws Exception {
        final RunResult r = run(parse("05.yaml", builtinText(VRAM)), "insert-pfn", "sme");

        assertThat(r.violatedIds()).as(describe(r)).contains("cpu-garbage", "device-garbage");
    }

    @Test
    void shouldGiveNothingForVramMappedByInsertPfnWithoutEncryption() throws Exception {
        final String text = replace(builtinText(VRAM), "encryption: sme", "encryption: none");
        final RunResult r = run(parse("05-none.yaml", text), "insert-pfn", "none");

        assertThat(r.violations()).as(describe(r)).isEmpty();
        assertThat(step(r, 4).data()).isEqualTo("in device memory".getBytes(StandardCharsets.UTF_8));
        assertThat(step(r, 6).data()).isEqualTo("from the CPU".getBytes(StandardCharsets.UTF_8));
    }
}
