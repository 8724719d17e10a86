package org.example.ttmdesign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.ttmsim.design.Designs;
import org.ttmsim.scenario.Data;
import org.ttmsim.sim.Context;
import org.ttmsim.sim.Session;
import org.ttmsim.sim.SteppedRun.Outcome;

/**
 * Runs {@link DecryptDmaPool} through ttmsim's library in each of the five modes, on amdgpu with its pool on
 * {@code dma_alloc_coherent()} (the {@code dma-alloc: true} of a scenario file; a device that reaches memory
 * through the DMA API: the generic driver is the KUnit device, handed physical addresses): the device writes
 * a page, user space reads it through a mapping, the kernel reads it through a kernel map. The verdicts are
 * the model's; each assertion says why the model is right to give it.
 */
class DecryptDmaPoolTest {
    private static final int PAGE = 4096;
    private static final Data FRAME = Data.fill(0xAA, PAGE);

    /** The design is found on the class path (META-INF/services) and listed under its own id. */
    @Test
    void shouldBeFoundOnTheClassPathUnderItsOwnId() {
        assertThat(Designs.ids()).contains("dma-pool-decrypted").startsWith("pre-2019");
        assertThat(Designs.byId("dma-pool-decrypted")).isInstanceOf(DecryptDmaPool.class);
    }

    /** The device writes a page, the CPU reads it through a user mapping and through a kernel map. */
    private static Session run(final String mode, final String design) {
        final Session s = Session.open(new Context().encryption(mode).driver("amdgpu").dmaAlloc(true)
                .design(design));
        assertThat(s.create("A", 16 * PAGE, "tt").ok()).isTrue();
        assertThat(s.deviceWrite("A", 0, FRAME).ok()).isTrue();
        assertThat(s.mmap("A", "a").ok()).isTrue();
        final Outcome user = s.cpuRead("a", 0, FRAME);
        final Outcome kernel = s.kmapRead("A", 0, FRAME);
        assertThat(List.of(user.errno(), kernel.errno())).containsOnly("ok");
        return s;
    }

    /**
     * Without encryption a decrypted protection is the plain one; in SEV, SEV-SNP and TDX guests
     * {@code force_dma_unencrypted()} holds, so {@code dma_alloc_coherent()} returns pages it converted to
     * shared, and mapping them decrypted is what they need: the CPU reads the device's bytes, and every
     * mapping agrees with the direct map. Here the design does what upstream-2024 does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "sev", "sev-snp", "tdx"})
    void shouldReadTheDevicesBytesWhereTheCoherentPagesAreDecrypted(final String mode) {
        final Session s = run(mode, "dma-pool-decrypted");

        assertThat(s.violatedIds()).as(mode).isEmpty();
        assertThat(s.results().get(3).held()).as("the user's read").isTrue();
        assertThat(s.results().get(4).held()).as("the kernel's read").isTrue();
    }

    /**
     * On an SME host a device whose mask reaches the C-bit needs no decrypted memory:
     * {@code force_dma_unencrypted()} is false, {@code dma_alloc_coherent()} returns encrypted pages and the
     * device reaches them with the C-bit in its DMA address, so its write lands as host-key ciphertext. The
     * design still decrypts the CPU's mappings (the pool used DMA allocation), so the user and the kernel
     * read that ciphertext as plaintext ({@code cpu-garbage}), through PTEs whose encryption bit disagrees with
     * the direct map's ({@code attribute-alias}). The guest condition of upstream-2024 is what keeps SME
     * right: the same run under upstream-2024 is clean.
     */
    @Test
    void shouldReadCiphertextOnAnSmeHostWhereTheCoherentPagesStayEncrypted() {
        final Session s = run("sme", "dma-pool-decrypted");

        assertThat(s.violatedIds()).containsExactlyInAnyOrder("cpu-garbage", "attribute-alias");
        assertThat(s.results().get(3).held()).as("the user's read").isFalse();
        assertThat(run("sme", "upstream-2024").violatedIds()).isEmpty();
    }
}
