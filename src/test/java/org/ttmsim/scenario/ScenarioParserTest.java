package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttmsim.driver.DeviceSpec;

/** Happy paths of {@link ScenarioParser}: the example of docs/SCENARIOS.md, defaults, every operation, data forms. */
final class ScenarioParserTest {

    static final Set<String> COSTS = new LinkedHashSet<>(List.of("tlbShootdownNs", "cacheFlushPageNs", "hypercallNs"));

    private final ScenarioParser parser = new ScenarioParser(COSTS);

    static String resource(final String name) throws IOException {
        try (InputStream in = ScenarioParserTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Scenario parse(final String text) throws ScenarioException {
        return parser.parse("t.yaml", text);
    }

    private static SourcePos at(final int line, final int col) {
        return new SourcePos("spec.yaml", line, col);
    }

    @Test
    void shouldReadTheSpecExampleWithExactValues() throws Exception {
        final Scenario s = parser.parse("spec.yaml", resource("/scenario-examples/spec-example.yaml"));

        assertThat(s.name()).isEqualTo("sev-vmwgfx-device-writes-user-reads");
        assertThat(s.description()).isEqualTo("free text");
        assertThat(s.file()).isEqualTo("spec.yaml");
        assertThat(s.machine()).isEqualTo(new MachineSpec("sev", 47, false, 4L << 30, 4, 64L << 20, null));
        assertThat(s.device()).isEqualTo(new DeviceSpec("vmwgfx", 44, false, 256L << 20, true));
        assertThat(s.design()).isEqualTo("upstream-2024");
        assertThat(s.inject()).isEmpty();
        assertThat(s.costs()).isEmpty();
        final Data frame = Data.ofString("frame 1");
        assertThat(s.steps()).containsExactly(
                new Step.Create(new Step.Meta(1, null, at(20, 5)), "A", 65536, List.of(PlaceSpec.of("tt")),
                        "cached", "device", 0),
                new Step.DeviceWrite(new Step.Meta(2, null, at(21, 5)), "A", 0, frame),
                new Step.Mmap(new Step.Meta(3, null, at(22, 5)), "A", "a", "p1", false, "rw"),
                new Step.CpuRead(new Step.Meta(4, null, at(23, 5)), "a", 0, 7, frame),
                new Step.Validate(new Step.Meta(5, null, at(24, 5)), "A", List.of(PlaceSpec.of("vram"))),
                new Step.CpuRead(new Step.Meta(6, null, at(25, 5)), "a", 0, 7, frame));
        assertThat(s.steps()).extracting(Step::op)
                .containsExactly("create", "device-write", "mmap", "cpu-read", "validate", "cpu-read");
        assertThat(s.steps()).extracting(Step::index).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(s.expect().violations()).isEmpty();
        assertThat(s.expect().state()).containsExactly(Map.entry("A", Map.of("placement", "vram")));
    }

    @Test
    void shouldFillDefaultsWhenSectionsAreAbsent() throws Exception {
        final Scenario s = parse("name: minimal\nsteps:\n  - pool-shrink: {pages: 16}\n");

        assertThat(s.description()).isEmpty();
        assertThat(s.machine()).isEqualTo(new MachineSpec("none", 47, false, 1L << 30, 4, null, null));
        assertThat(s.device()).isEqualTo(new DeviceSpec("generic", 64, false, 256L << 20, null));
        assertThat(s.design()).isEqualTo("upstream-2024");
        assertThat(s.inject()).isEmpty();
        assertThat(s.costs()).isEmpty();
        assertThat(s.expect()).isEqualTo(Expect.none());
        assertThat(s.expect().violations()).isNull();
        assertThat(s.steps()).containsExactly(new Step.PoolShrink(new Step.Meta(1, null, new SourcePos("t.yaml", 3, 5)), 16));
    }

    @Test
    void shouldReadEveryOperationWithItsDefaults() throws Exception {
        final Scenario s = parse("""
                name: all-ops
                steps:
                  - create: {bo: A, size: 8KiB, placement: [system, {type: vram, flags: [contiguous, topdown]}],
                             caching: wc, type: kernel, priority: 3}
                  - validate: {bo: A, placement: [{type: tt, flags: [desired]}, {type: system, flags: [fallback]}]}
                  - evict: {bo: A}
                  - pin: {bo: A}
                  - unpin: {bo: A}
                  - swapout: {bo: A}
                  - mmap: {bo: A, as: a}
                  - mmap: {bo: A, as: b, process: p2, private: true, prot: ro}
                  - mprotect: {map: b, prot: rw}
                  - cpu-write: {map: a, offset: 4KiB, data: {hex: "de ad be ef"}}
                  - cpu-read: {map: a, offset: 4096, length: 4}
                  - kmap-write: {bo: A, data: {fill: 0xAA, length: 16}}
                  - kmap-read: {bo: A, length: 16, expect: {fill: 170, length: 16}}
                  - device-write: {bo: A, offset: 100, data: "x"}
                  - device-read: {bo: A, offset: 100, expect: "x"}
                  - host-read: {bo: A, offset: 0, length: 8KiB}
                  - munmap: {map: a}
                  - pool-shrink: {pages: 0x10}
                  - destroy: {bo: A}
                """);
        final List<Step> st = s.steps();

        assertThat(st).hasSize(19);
        assertThat(st.get(0)).isInstanceOfSatisfying(Step.Create.class, c -> {
            assertThat(c.size()).isEqualTo(8192);
            assertThat(c.placement()).containsExactly(PlaceSpec.of("system"),
                    new PlaceSpec("vram", List.of("contiguous", "topdown")));
            assertThat(c.caching()).isEqualTo("wc");
            assertThat(c.type()).isEqualTo("kernel");
            assertThat(c.priority()).isEqualTo(3);
        });
        assertThat(((Step.Validate) st.get(1)).placement()).containsExactly(
                new PlaceSpec("tt", List.of("desired")), new PlaceSpec("system", List.of("fallback")));
        assertThat(st.subList(2, 6)).extracting(Step::op).containsExactly("evict", "pin", "unpin", "swapout");
        assertThat(st.get(6)).isEqualTo(new Step.Mmap(st.get(6).meta(), "A", "a", "p1", false, "rw"));
        assertThat(st.get(7)).isEqualTo(new Step.Mmap(st.get(7).meta(), "A", "b", "p2", true, "ro"));
        assertThat(st.get(8)).isEqualTo(new Step.Mprotect(st.get(8).meta(), "b", "rw"));
        assertThat(st.get(9)).isEqualTo(new Step.CpuWrite(st.get(9).meta(), "a", 4096, Data.ofHex("deadbeef")));
        assertThat(st.get(10)).isEqualTo(new Step.CpuRead(st.get(10).meta(), "a", 4096, 4, null));
        assertThat(st.get(11)).isEqualTo(new Step.KmapWrite(st.get(11).meta(), "A", 0, Data.fill(0xaa, 16)));
        assertThat(st.get(12)).isEqualTo(new Step.KmapRead(st.get(12).meta(), "A", 0, 16, Data.fill(0xaa, 16)));
        assertThat(st.get(13)).isEqualTo(new Step.DeviceWrite(st.get(13).meta(), "A", 100, Data.ofString("x")));
        assertThat(st.get(14)).isEqualTo(new Step.DeviceRead(st.get(14).meta(), "A", 100, 1, Data.ofString("x")));
        assertThat(st.get(15)).isEqualTo(new Step.HostRead(st.get(15).meta(), "A", 0, 8192, null));
        assertThat(st.get(16)).isEqualTo(new Step.Munmap(st.get(16).meta(), "a"));
        assertThat(st.get(17)).isEqualTo(new Step.PoolShrink(st.get(17).meta(), 16));
        assertThat(st.get(18)).isEqualTo(new Step.Destroy(st.get(18).meta(), "A"));
        assertThat(st).extracting(Step::op).containsExactly("create", "validate", "evict", "pin", "unpin", "swapout",
                "mmap", "mmap", "mprotect", "cpu-write", "cpu-read", "kmap-write", "kmap-read", "device-write",
                "device-read", "host-read", "munmap", "pool-shrink", "destroy");
    }

    /** vmap-read/vmap-write (ttm_bo_vmap() of the whole buffer) take kmap-read/kmap-write's keys. */
    @Test
    void shouldReadTheWholeObjectVmapOperationsWithTheKmapKeys() throws Exception {
        final Scenario s = parse("""
                name: vmap-ops
                steps:
                  - create: {bo: A, size: 8KiB, placement: [tt]}
                  - vmap-write: {bo: A, offset: 4090, data: "twelve bytes"}
                  - vmap-read: {bo: A, offset: 4090, expect: "twelve bytes"}
                  - vmap-read: {bo: A, length: 8}
                """);
        final List<Step> st = s.steps();

        assertThat(st.get(1)).isEqualTo(new Step.VmapWrite(st.get(1).meta(), "A", 4090, Data.ofString("twelve bytes")));
        assertThat(st.get(2)).isEqualTo(new Step.VmapRead(st.get(2).meta(), "A", 4090, 12,
                Data.ofString("twelve bytes")));
        assertThat(st.get(3)).isEqualTo(new Step.VmapRead(st.get(3).meta(), "A", 0, 8, null));
        assertThat(st).extracting(Step::op).containsExactly("create", "vmap-write", "vmap-read", "vmap-read");
    }

    @Test
    void shouldCarryResultAndPositionOnEveryStep() throws Exception {
        final Scenario s = parse("""
                name: results
                steps:
                  - create: {bo: A, size: 4096, placement: [vram]}
                    result: ENOSPC
                  - {result: ok, pin: {bo: A}}
                  - mmap: {bo: A, as: a, private: true}
                    result: EINVAL
                """);

        assertThat(s.steps()).extracting(Step::expectedResult).containsExactly("ENOSPC", "ok", "EINVAL");
        assertThat(s.steps()).extracting(Step::pos).containsExactly(new SourcePos("t.yaml", 3, 5),
                new SourcePos("t.yaml", 5, 5), new SourcePos("t.yaml", 6, 5));
    }

    @Test
    void shouldLetTheKernelJudgeUseAfterDestroyAndMunmap() throws Exception {
        final Scenario s = parse("""
                name: runtime-errors-are-not-bad-input
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - mmap: {bo: A, as: a}
                  - munmap: {map: a}
                  - cpu-read: {map: a, length: 1}
                    result: SIGSEGV
                  - destroy: {bo: A}
                  - pin: {bo: A}
                    result: ENOENT
                  - create: {bo: A, size: 8KiB, placement: [tt]}
                  - kmap-read: {bo: A, offset: 4KiB, length: 4KiB}
                  - cpu-read: {map: a, offset: 0, length: 4KiB}
                """);

        assertThat(s.steps()).hasSize(9);
        assertThat(((Step.KmapRead) s.steps().get(7)).offset()).isEqualTo(4096);
    }

    @Test
    void shouldRefuseAModeTheFilesOwnKernelCannotBootAtItsKernelKey() {
        final Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> parse("""
                name: old-tdx
                machine: {encryption: tdx}
                kernel: v5.10
                steps:
                  - pool-shrink: {pages: 1}
                """));

        assertThat(t).isInstanceOf(ScenarioException.class).hasMessageStartingWith("t.yaml:3:9: kernel: v5.10 cannot"
                + " boot as a tdx guest");
    }

    @Test
    void shouldRefuseAKernelOutsideTheKnownRangeNamingTheRange() {
        final Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> parse("""
                name: far
                kernel: v3.10
                steps:
                  - pool-shrink: {pages: 1}
                """));

        assertThat(t).isInstanceOf(ScenarioException.class).hasMessageContaining("t.yaml:2:9: kernel:")
                .hasMessageContaining("v4.19 to v6.18");
    }

    @Test
    void shouldReadInjectCostsAndDesignInOrder() throws Exception {
        final Scenario s = parse("""
                name: knobs
                design: dma-pgprot
                kernel: v6.12
                inject: [skip-tlb-flush, no-pool]
                costs: {hypercallNs: 1_500, tlbShootdownNs: 2000}
                machine: {encryption: sev-snp, cbit: 51, sme-coherent: yes, ram: 64TiB, cpus: 1024}
                device: {driver: amdgpu, dma-mask-bits: 24, iommu: true, vram: 0, dma-alloc: false}
                steps:
                  - pool-shrink: {pages: 1}
                """);

        assertThat(s.design()).isEqualTo("dma-pgprot");
        assertThat(s.kernel()).isEqualTo("v6.12");
        assertThat(s.injectIds()).containsExactly("skip-tlb-flush", "no-pool");
        assertThat(s.costs()).containsExactly(Map.entry("hypercallNs", 1500L), Map.entry("tlbShootdownNs", 2000L));
        assertThat(s.machine()).isEqualTo(new MachineSpec("sev-snp", 51, true, 64L << 40, 1024, null, null));
        assertThat(s.device()).isEqualTo(new DeviceSpec("amdgpu", 24, true, 0, false));
    }

    @Test
    void shouldKeepExpectedStateAsAnOrderedTree() throws Exception {
        final Scenario s = parse("""
                name: state
                steps:
                  - create: {bo: B, size: 64KiB, placement: [vram]}
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                expect:
                  violations: [stale-mapping, cpu-garbage]
                  state:
                    B: {placement: vram, size: 64KiB, pin_count: 0}
                    managers: {vram: {size: 256MiB, usage: 65536}}
                    A: {tt: {populated: true, caching: cached, flags: [zero-alloc]}, ratio: 0.5, note: ~}
                """);

        assertThat(s.expect().violations()).containsExactly("stale-mapping", "cpu-garbage");
        final Map<String, Map<String, Object>> state = s.expect().state();
        assertThat(state.keySet()).containsExactly("B", "managers", "A");
        assertThat(state.get("B")).containsExactly(Map.entry("placement", "vram"), Map.entry("size", 65536L),
                Map.entry("pin_count", 0L));
        assertThat(state.get("managers")).isEqualTo(Map.of("vram", Map.of("size", 256L << 20, "usage", 65536L)));
        assertThat(state.get("A")).containsEntry("tt", Map.of("populated", true, "caching", "cached",
                "flags", List.of("zero-alloc"))).containsEntry("ratio", 0.5).containsEntry("note", null);
    }

    @Test
    void shouldTakeTheReadLengthFromExpectAndAcceptSizeSpellings() throws Exception {
        final Scenario s = parse("""
                name: lengths
                steps:
                  - create: {bo: A, size: 1048576, placement: [tt]}
                  - create: {bo: B, size: "1 MiB", placement: [tt]}
                  - create: {bo: C, size: 0x100000, placement: [tt]}
                  - device-read: {bo: A, offset: 1MiB, expect: {hex: "00"}}
                    result: ok
                """.replace("offset: 1MiB", "offset: 1_048_575"));

        assertThat(s.steps().subList(0, 3)).extracting(st -> ((Step.Create) st).size())
                .containsOnly(1L << 20);
        assertThat(s.steps().get(3)).isEqualTo(new Step.DeviceRead(s.steps().get(3).meta(), "A", (1 << 20) - 1, 1,
                Data.ofHex("00")));
    }

    @Test
    void shouldResolveAnchorsAndAliases() throws Exception {
        final Scenario s = parse("""
                name: aliases
                description:
                steps:
                  - create: {bo: A, size: 4KiB, placement: &both [vram, tt]}
                  - &pin {pin: {bo: A}}
                  - validate: {bo: A, placement: *both}
                  - *pin
                  - device-write: {bo: A, data: &frame "frame 1"}
                  - device-read: {bo: A, expect: *frame}
                """);

        assertThat(s.description()).isEmpty();
        assertThat(((Step.Validate) s.steps().get(2)).placement()).containsExactly(PlaceSpec.of("vram"),
                PlaceSpec.of("tt"));
        assertThat(s.steps().get(3)).isInstanceOf(Step.Pin.class).extracting(Step::index).isEqualTo(4);
        assertThat(((Step.DeviceRead) s.steps().get(5)).length()).isEqualTo(7);
    }

    @Test
    void shouldAllowAnEmptyPlacementForValidateToGutTheBo() throws Exception {
        final Scenario s = parse("""
                name: gutting
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - validate: {bo: A, placement: []}
                """);

        assertThat(((Step.Validate) s.steps().get(1)).placement()).isEmpty();
    }

    @Test
    void shouldIgnoreAByteOrderMarkAndReadCrLfLines() throws Exception {
        final Scenario s = parse("\uFEFFname: bom\r\nsteps:\r\n  - pool-shrink: {pages: 1}\r\n");

        assertThat(s.steps().get(0).pos()).isEqualTo(new SourcePos("t.yaml", 3, 5));
    }

    @Test
    void shouldReadAFileAndNameItAsGiven(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("spec.yaml");
        Files.writeString(file, resource("/scenario-examples/spec-example.yaml"));

        final Scenario s = parser.parse(file);

        assertThat(s.file()).isEqualTo(file.toString());
        assertThat(s.steps().get(0).pos()).isEqualTo(new SourcePos(file.toString(), 20, 5));
    }

    @Test
    void shouldOfferTheSameListsAsTheSpec() {
        assertThat(Vocabulary.DESIGNS).hasSize(11).contains("upstream-2024", "pre-2019", "stock");
        assertThat(Vocabulary.INVARIANTS).hasSize(8);
        assertThat(Vocabulary.INJECTIONS).hasSize(5);
        assertThat(Vocabulary.RESULTS).startsWith("ok").contains("SIGBUS", "SIGSEGV", "EMULTIHOP");
    }

    @Test
    void shouldReportAMissingFileWithoutALine(@TempDir final Path dir) {
        final Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> parser.parse(file)).isInstanceOfSatisfying(ScenarioException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(file + ": no such file");
            assertThat(e.line()).isZero();
            assertThat(e.pos().hasLine()).isFalse();
        });
    }

    @Test
    void shouldGiveEqualScenariosForEqualInput() throws Exception {
        final String text = resource("/scenario-examples/spec-example.yaml");

        assertThat(parser.parse("spec.yaml", text)).isEqualTo(parser.parse("spec.yaml", text));
    }

    @Test
    void shouldReturnUnmodifiableCollections() throws Exception {
        final Scenario s = parser.parse("spec.yaml", resource("/scenario-examples/spec-example.yaml"));

        assertThatThrownBy(() -> s.steps().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.costs().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.expect().state().get("A").put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Step.Create) s.steps().get(0)).placement().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldPrintDataReadably() {
        assertThat(Data.ofString("frame 1")).hasToString("\"frame 1\"");
        assertThat(Data.ofString("say \"hi\"")).hasToString("\"say \\\"hi\\\"\"");
        assertThat(Data.fill(0xaa, 4096)).hasToString("{fill: 0xaa, length: 4096}");
        assertThat(Data.ofHex("00ff10")).hasToString("{hex: \"00ff10\"}");
        assertThat(Data.fill(0, 40)).hasToString("{fill: 0x00, length: 40}");
        final byte[] ramp = new byte[40];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) i;
        }
        assertThat(new Data(ramp).toString()).startsWith("{hex: \"000102").endsWith("…\", length: 40}");
    }

    @Test
    void shouldKeepDataImmutableAndCompareByContent() {
        final byte[] bytes = {1, 2, 3};
        final Data data = new Data(bytes);
        bytes[0] = 9;
        data.bytes()[1] = 9;

        assertThat(data.bytes()).containsExactly(1, 2, 3);
        assertThat(data).isEqualTo(Data.ofHex("010203")).hasSameHashCodeAs(Data.ofHex("010203"));
        assertThat(data.hex()).isEqualTo("010203");
    }

    /**
     * A fill costs nothing to describe (two numbers, no array), so its only bound is its buffer: 4 TiB into a
     * 4 TiB buffer, and seventeen 16 MiB fills (once refused as over 256 MiB of data), parse. Reads too are
     * bounded only by their buffer. This replaces the corpus cases that refused a 32 MiB read of a 64 MiB
     * buffer and a 32 MiB fill: both are now accepted, and the corpus refuses them beyond a 16 MiB buffer.
     */
    @Test
    void shouldAcceptFillsAndReadsAsLongAsTheirBufferWithoutSpellingThemOut() throws ScenarioException {
        final StringBuilder text = new StringBuilder("name: t\nsteps:\n"
                + "  - create: {bo: A, size: 4TiB, placement: [tt]}\n"
                + "  - kmap-write: {bo: A, data: {fill: 0x5a, length: 4TiB}}\n"
                + "  - kmap-read: {bo: A, offset: 1TiB, length: 3TiB}\n");
        for (int i = 0; i < 17; i++) {
            text.append("  - device-write: {bo: A, offset: ").append(i).append("MiB, data: {fill: 1, length: 16MiB}}\n");
        }

        final Scenario s = parse(text.toString());

        final Data fill = ((Step.KmapWrite) s.steps().get(1)).data();
        assertThat(fill.isFill()).isTrue();
        assertThat(fill.length()).isEqualTo(4L << 40);
        assertThat(fill.byteAt((4L << 40) - 1)).isEqualTo(0x5a);
        assertThat(((Step.KmapRead) s.steps().get(2)).length()).isEqualTo(3L << 40);
        assertThat(s.steps()).hasSize(20);
    }

    @Test
    void shouldCompareAFillWithTheSameBytesSpelledOut() {
        final Data fill = Data.fill(0xaa, 3);
        final byte[] page = {0, (byte) 0xaa, (byte) 0xaa, (byte) 0xaa, 0};

        assertThat(fill).isEqualTo(Data.ofHex("aaaaaa")).hasSameHashCodeAs(Data.ofHex("aaaaaa"));
        assertThat(Data.ofHex("aaaaaa")).isEqualTo(fill);
        assertThat(fill).isNotEqualTo(Data.ofHex("aaaaab")).isNotEqualTo(Data.fill(0xaa, 4));
        assertThat(fill.matches(0, page, 1, 3)).isTrue();
        assertThat(fill.matches(1, page, 2, 3)).as("beyond the data").isFalse();
        final byte[] out = new byte[4];
        Data.ofHex("01020304").copyTo(1, out, 1, 3);
        assertThat(out).containsExactly(0, 2, 3, 4);
    }
}
