package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Data;
import org.ttmsim.scenario.Scenario;

/**
 * Tests {@link Session} and {@link Context}, the public library (docs/API.md): the typed operations run the
 * same steps the scenario runner runs, with the same results, violations and costs; bad arguments are
 * refused before anything runs; a concluded context is frozen.
 */
class SessionTest {
    /** Built-in scenario 01's configuration and steps: SEV guest, vmwgfx with vmw_force_coherent. */
    private static Context sevVmwgfx(final String design) {
        return new Context().encryption("sev").driver("vmwgfx").dmaAlloc(true).design(design);
    }

    private static void scenario01(final Session s) {
        s.create("A", 64 * 1024, "tt");
        s.deviceWrite("A", 0, Data.fill(0xAA, 4096));
        s.mmap("A", "a");
    }

    @Test
    void shouldReadWhatTheDeviceWroteWhenUpstream2024MapsTheDecryptedPagesDecrypted() {
        final Session s = Session.open(sevVmwgfx("upstream-2024"));
        scenario01(s);

        final SteppedRun.Outcome read = s.cpuRead("a", 0, 16);

        assertThat(read.ok()).isTrue();
        assertThat(read.data()).containsOnly((byte) 0xAA).hasSize(16);
        assertThat(read.result().index()).isEqualTo(4);
        assertThat(read.result().source()).isEqualTo("api");
        assertThat(s.violations()).isEmpty();
        assertThat(s.results()).extracting(StepResult::op).containsExactly("create", "device-write", "mmap",
                "cpu-read");
    }

    /** §4 A0 (F1): pre-2019 maps the decrypted coherent page with C=1: the CPU reads ciphertext as plaintext. */
    @Test
    void shouldReportCpuGarbageAtTheReadWhenPre2019MapsTheDecryptedPagesEncrypted() {
        final Session s = Session.open(sevVmwgfx("pre-2019"));
        scenario01(s);

        final SteppedRun.Outcome read = s.cpuRead("a", 0, Data.fill(0xAA, 16));

        assertThat(read.ok()).as("the read itself succeeds: the hardware returns garbage, not a fault").isTrue();
        assertThat(read.result().held()).isFalse();
        assertThat(read.violatedIds()).contains("cpu-garbage");
        assertThat(s.violatedIds()).containsExactlyInAnyOrder("cpu-garbage", "attribute-alias");
    }

    /** The session is the runner's engine: the same steps give the same results, violations and costs. */
    @Test
    void shouldGiveTheScenarioRunnersResultForTheSameSteps() {
        final Scenario builtin = BuiltinScenarios.byId("01-sev-device-writes-user-reads");
        final RunResult file = ScenarioRunner.run(builtin, new RunOptions("pre-2019", null, false));
        final Session s = Session.open(sevVmwgfx("pre-2019"));
        scenario01(s);
        s.cpuRead("a", 0, 16);

        assertThat(s.costs()).isEqualTo(file.costs());
        assertThat(s.violations()).extracting(v -> v.invariant().id() + "@" + v.step() + ": " + v.message())
                .isEqualTo(file.violations().stream().map(v -> v.invariant().id() + "@" + v.step() + ": "
                        + v.message()).toList());
        assertThat(s.results()).extracting(StepResult::result).isEqualTo(file.steps().stream()
                .map(StepResult::result).toList());
    }

    @Test
    void shouldReturnTheKernelsErrnoAsAResultNotAnException() {
        final Session s = Session.open(new Context().encryption("sev").driver("vmwgfx").design("refuse-dma"));

        final SteppedRun.Outcome create = s.create("A", 4096, "tt");
        final SteppedRun.Outcome write = s.kmapWrite("A", 0, Data.ofString("x"));

        assertThat(create.errno()).as("refuse-dma registers no GMR/MOB manager in a guest").isEqualTo("ENOMEM");
        assertThat(write.errno()).as("the buffer was never created").isEqualTo("ENOENT");
    }

    @Test
    void shouldRefuseAnOffsetBeyondTheBufferBeforeRunningAnything() {
        final Session s = Session.open(new Context());
        s.create("A", 8192, "tt");

        assertThatThrownBy(() -> s.kmapRead("A", 8000, 200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within A (8192 bytes)");
        assertThatThrownBy(() -> s.create("B", 100, "tt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 4096");
        assertThatThrownBy(() -> s.validate("A", "gtt")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("system, tt, vram");
        assertThat(s.results()).hasSize(1);
    }

    @Test
    void shouldFreezeTheContextOnceConcluded() {
        final Context ctx = new Context().encryption("sme").conclude();

        assertThat(ctx.machineConfig().mode().id()).isEqualTo("sme");
        assertThat(ctx.release().id()).as("upstream-2024's own release").isEqualTo("v6.9");
        assertThatThrownBy(() -> ctx.ram(1L << 32)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldNameTheWrongSettingWhenConcluding() {
        assertThatThrownBy(() -> new Context().driver("nouveau").conclude())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown driver 'nouveau'");
        assertThatThrownBy(() -> new Context().design("no-such").conclude())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown design 'no-such'");
        assertThatThrownBy(() -> new Context().encryption("sme").cbit(32).ram(8L << 30).conclude())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encryption bit");
        assertThatThrownBy(() -> new Context().cost("fault-ms", 1).conclude())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fault-ms");
    }

    @Test
    void shouldSayWhenTheReleaseCannotBootTheMode() {
        assertThatThrownBy(() -> Session.open(new Context().encryption("tdx").kernel("v5.4")))
                .isInstanceOf(Context.NotBootable.class).hasMessageContaining("v5.19");
    }

    @Test
    void shouldKeepTheTraceOnlyWhenAsked() {
        final Session quiet = Session.open(new Context());
        final Session traced = Session.open(new Context().keepTrace(true));
        for (final Session s : List.of(quiet, traced)) {
            s.create("A", 4096, "tt");
            s.kmapWrite("A", 0, Data.ofString("hello"));
        }

        assertThat(quiet.trace()).isEmpty();
        assertThat(traced.trace()).isNotEmpty().allSatisfy(e -> assertThat(e.step()).isBetween(0, 2));
        assertThat(traced.traceLines(0).get(0)).startsWith("[config] machine: encryption none");
    }

    @Test
    void shouldJudgeNothingWhenTheMonitorsAreOff() {
        final Session s = Session.open(sevVmwgfx("pre-2019").monitors(false));
        scenario01(s);

        final SteppedRun.Outcome read = s.cpuRead("a", 0, 16);

        assertThat(read.ok()).isTrue();
        assertThat(read.data()).as("the emulation is the same: the CPU reads ciphertext")
                .isNotEqualTo(Data.fill(0xAA, 16).bytes());
        assertThat(s.violations()).isEmpty();
    }

    /** A read that differs is one violation for the whole read, however many pages it streams over. */
    @Test
    void shouldReportOneViolationForAManyPageReadThatDiffers() {
        final Session s = Session.open(sevVmwgfx("pre-2019"));
        s.create("A", 64 * 1024, "tt");
        s.deviceWrite("A", 0, Data.fill(0xAA, 64 * 1024));
        s.mmap("A", "a");

        final SteppedRun.Outcome read = s.cpuRead("a", 0, 64 * 1024);

        assertThat(read.violations()).filteredOn(v -> v.invariant().id().equals("cpu-garbage")).singleElement()
                // Ciphertext read as plaintext: about 255 bytes in 256 differ from 0xaa, all 16 pages judged as one.
                .satisfies(v -> assertThat(v.message()).matches("user p1 via a of A at offset 0: 65[0-9]{3} of 65536"
                        + " written bytes differ; first at offset 0: expected 0xaa, read 0x[0-9a-f]{2} \\(read"
                        + " [0-9a-f]{32}\\.\\.\\.\\)"));
    }
}
