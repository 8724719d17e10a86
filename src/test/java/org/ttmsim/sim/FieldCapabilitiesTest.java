package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.parse;
import static org.ttmsim.sim.SimFixtures.run;
import static org.ttmsim.sim.SimFixtures.step;

import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Scenario;

/**
 * What field reports need (issue #13), run on the model: repeated blocks, targeted injections, the
 * host as a writer, a plain page-allocator user, SWIOTLB at boot, devices outside the DMA API,
 * segment limits and probe refusals.
 */
final class FieldCapabilitiesTest {

    @Test
    void shouldNameTheSourceLineOfEveryExpandedStep() throws Exception {
        final Scenario s = parse("f.yaml", """
                name: t
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - repeat:
                      times: 2
                      steps:
                        - kmap-write: {bo: A, data: "x"}
                  - kmap-read: {bo: A, expect: "x"}
                """);

        final RunResult r = run(s, null, null);

        assertThat(r.steps()).extracting(StepResult::source)
                .containsExactly("f.yaml:3", "f.yaml:7", "f.yaml:7", "f.yaml:8");
        assertThat(r.steps()).extracting(StepResult::index).containsExactly(1, 2, 3, 4);
        assertThat(org.ttmsim.report.ResultJson.toMap(r).toString()).contains("source=f.yaml:7");
    }

    /**
     * Two moves of a mapped buffer. The create's first placement is a move too
     * ({@code ttm_bo_handle_move_mem()} from no resource), so the moves are occurrences 2 and 3.
     */
    private static final String TWO_MOVES = """
            name: t
            inject: [%s]
            steps:
              - create: {bo: A, size: 4KiB, placement: [tt]}
              - mmap: {bo: A, as: a}
              - cpu-write: {map: a, data: "one"}
              - validate: {bo: A, placement: [vram]}
              - cpu-read: {map: a, expect: "one"}
              - validate: {bo: A, placement: [tt]}
              - cpu-read: {map: a, expect: "one"}
            """;

    @Test
    void shouldFireAnInjectionOnlyAtItsNthOccurrence() throws Exception {
        final RunResult second = run(parse("f.yaml", TWO_MOVES.formatted("{id: skip-zap-on-move, nth: 3}")),
                null, null);
        final RunResult every = run(parse("f.yaml", TWO_MOVES.formatted("skip-zap-on-move")), null, null);

        assertThat(second.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .contains("stale-mapping@6").doesNotContain("stale-mapping@4");
        assertThat(every.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .contains("stale-mapping@4");
    }

    @Test
    void shouldFireAnInjectionOnlyWithinItsStepRange() throws Exception {
        final RunResult r = run(parse("f.yaml", TWO_MOVES.formatted(
                "{id: skip-zap-on-move, from-step: 4, to-step: 4}")), null, null);

        assertThat(r.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .contains("stale-mapping@4");
        assertThat(r.steps()).extracting(StepResult::result).containsOnly("ok");
    }

    /** A host write, then the guest's CPU reads the buffer (host-write, docs/SCENARIOS.md). */
    private static final String HOST_WRITES = """
            name: t
            machine: {encryption: %s}
            device: {driver: %s}
            steps:
              - create: {bo: A, size: 8KiB, placement: [tt]}
              - host-write: {bo: A, offset: 4096, data: "from the host"}
              - kmap-read: {bo: A, offset: 4096, length: 13}
              - host-read: {bo: A, offset: 4096, expect: "from the host"}
            """;

    @Test
    void shouldLetTheHostWriteSharedPagesThatTheGuestThenReads() throws Exception {
        // vmwgfx under SEV on upstream-2024: coherent DMA pages, decrypted, mapped decrypted.
        final RunResult r = run(parse("h.yaml", HOST_WRITES.formatted("sev", "vmwgfx")), null, null);

        assertThat(step(r, 2).result()).isEqualTo("ok");
        assertThat(new String(step(r, 3).data())).isEqualTo("from the host");
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void shouldShowAHostWriteToAPrivateSevPageAsGarbageToTheGuest() throws Exception {
        // generic: plain pool pages, private (encrypted) under SEV; nothing stops the host.
        final RunResult r = run(parse("h.yaml", HOST_WRITES.formatted("sev", "generic")), null, null);

        assertThat(step(r, 2).result()).isEqualTo("ok");
        assertThat(step(r, 4).held()).isTrue();
        assertThat(new String(step(r, 3).data())).isNotEqualTo("from the host");
        assertThat(r.violatedIds()).contains("cpu-garbage");
    }

    @Test
    void shouldStopAHostWriteToAPrivateFrameUnderSnpAndTdx() throws Exception {
        for (final String mode : new String[] {"sev-snp", "tdx"}) {
            final RunResult r = run(parse("h.yaml", HOST_WRITES.formatted(mode, "generic")), null, null);

            assertThat(step(r, 2).result()).as(mode).isEqualTo("EPERM");
            assertThat(step(r, 4).held()).as(mode + ": nothing changed").isFalse();
            assertThat(r.violations()).as(mode).isEmpty();
        }
    }

    /**
     * A 1 MiB coherent chunk is freed to the page allocator by the pool shrinker; a plain user then takes
     * four of its pages and writes a secret through the direct map.
     */
    private static final String REUSE = """
            name: t
            machine: {encryption: sev}
            device: {driver: amdgpu}
            kernel: %s
            steps:
              - create: {bo: A, size: 1MiB, placement: [tt]}
              - destroy: {bo: A}
              - pool-shrink: {pages: 1000}
              - page-alloc: {as: P, pages: 4}
              - page-write: {alloc: P, data: {fill: 0x53, length: 16KiB}}
              - page-read: {alloc: P, offset: 4096, length: 4, expect: "SSSS"}
              - page-free: {alloc: P}
              - page-read: {alloc: P, length: 1}
            """;

    @Test
    void shouldLeakToTheHostThroughPagesAFreeLeftSharedOnV517Only() throws Exception {
        // dma_direct_free() re-encrypted one page of the chunk on v5.17-v5.18 (DMA_FREE_REENCRYPTS_ONE_PAGE).
        final RunResult v517 = run(parse("p.yaml", REUSE.formatted("v5.17")), null, null);
        final RunResult v519 = run(parse("p.yaml", REUSE.formatted("v5.19")), null, null);

        assertThat(step(v517, 4).detail()).contains("3 of 4 page(s) decrypted");
        assertThat(v517.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .containsExactly("host-leak@5");
        assertThat(org.ttmsim.sim.SimFixtures.violation(v517, "host-leak").evidence()).hasSize(3);
        assertThat(step(v517, 6).held()).isTrue();
        assertThat(step(v519, 4).detail()).contains("direct map encrypted");
        assertThat(v519.violations()).isEmpty();
        assertThat(step(v519, 8).result()).as("a freed allocation is not held").isEqualTo("ENOENT");
    }

    /** TDX: every conversion of step 1 is refused; then a plain user takes pages (field case c4). */
    private static final String TDX_REFUSED = """
            name: t
            machine: {encryption: tdx}
            device: {driver: amdgpu}
            kernel: %s
            inject: [{id: conversion-fails, from-step: 1, to-step: 1}]
            steps:
              - create: {bo: A, size: 64KiB, placement: [tt]}
              - page-alloc: {as: P, pages: 16}
              - page-write: {alloc: P, data: {fill: 0x53, length: 64KiB}}
            """;

    @Test
    void shouldMakePagesFreedAfterARefusedConversionFatalToTheirNextUserBeforeV69() throws Exception {
        final RunResult v68 = run(parse("t.yaml", TDX_REFUSED.formatted("v6.8")), null, null);
        final RunResult v69 = run(parse("t.yaml", TDX_REFUSED.formatted("v6.9")), null, null);

        assertThat(step(v68, 1).result()).isEqualTo("ENOMEM");
        assertThat(v68.violatedIds()).containsExactly("guest-fatal");
        assertThat(step(v69, 1).result()).isEqualTo("ENOMEM");
        assertThat(step(v69, 3).result()).isEqualTo("ok");
        assertThat(v69.violations()).isEmpty();
    }

    /** A device outside the DMA API reads a buffer the CPU filled (docs/SCENARIOS.md device keys). */
    private static final String PHYSICAL = """
            name: t
            machine: {encryption: %s}
            device: {driver: generic, dma-api: false, iommu: %s}
            steps:
              - create: {bo: A, size: 16KiB, placement: [tt]}
              - kmap-write: {bo: A, data: "plain"}
              - device-read: {bo: A, length: 5}
            """;

    @Test
    void shouldFaultInTheIommuWhenADriverOutsideTheDmaApiUsesPhysicalAddressesBehindADmaDomain() throws Exception {
        final RunResult translated = run(parse("d.yaml", PHYSICAL.formatted("none", "translated")), null, null);
        final RunResult passthrough = run(parse("d.yaml", PHYSICAL.formatted("none", "passthrough")), null, null);
        final RunResult none = run(parse("d.yaml", PHYSICAL.formatted("none", "none")), null, null);

        assertThat(step(translated, 3).result()).isEqualTo("EIO");
        assertThat(step(passthrough, 3).result()).isEqualTo("ok");
        assertThat(new String(step(passthrough, 3).data())).isEqualTo("plain");
        assertThat(new String(step(none, 3).data())).isEqualTo("plain");
        assertThat(org.ttmsim.report.ResultJson.toMap(passthrough).toString()).contains("addresses=physical");
    }

    @Test
    void shouldLetTheDeviceReadCiphertextWhenItIsHandedPhysicalAddressesInAnSevGuest() throws Exception {
        final RunResult r = run(parse("d.yaml", PHYSICAL.formatted("sev", "none")), null, null);

        assertThat(step(r, 3).result()).isEqualTo("ok");
        assertThat(new String(step(r, 3).data())).isNotEqualTo("plain");
        assertThat(r.violatedIds()).containsExactly("device-garbage");
    }

    /** virtio-gpu's scatterlist of a 2 MiB buffer whose pages are one contiguous block. */
    private static final String VIRTIO = """
            name: t
            machine: {encryption: sev}
            device: {driver: virtio-gpu%s}
            kernel: %s
            steps:
              - create: {bo: A, size: 2MiB, placement: [tt]}
            """;

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> ttDma(final RunResult r) {
        final java.util.Map<String, Object> a = (java.util.Map<String, Object>) r.state().get("A");
        return (java.util.Map<String, Object>) ((java.util.Map<String, Object>) a.get("tt")).get("dma");
    }

    @Test
    void shouldSplitVirtioGpuSegmentsAtTheMappingLimitFromV53AndAtTheDevicesOwnLimitWhenGiven() throws Exception {
        final RunResult v52 = run(parse("v.yaml", VIRTIO.formatted("", "v5.2")), null, null);
        final RunResult v53 = run(parse("v.yaml", VIRTIO.formatted("", "v5.3")), null, null);
        final RunResult own = run(parse("v.yaml", VIRTIO.formatted(", max-segment: 64KiB", "v5.3")), null, null);

        assertThat(ttDma(v52)).containsEntry("segments", 0L).containsEntry("max_segment", 0xFFFF_F000L);
        assertThat(ttDma(v53)).containsEntry("segments", 8L).containsEntry("largest", 262144L);
        assertThat(ttDma(own)).containsEntry("segments", 32L).containsEntry("largest", 65536L)
                .containsEntry("max_segment", 65536L);
    }
}
