package org.ttmsim.design;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.scenario.Vocabulary;

/**
 * Tests the design registry's user side (docs/API.md): a design loaded by class name or registered by a program
 * joins the built-in ones under its own id, the scenario vocabulary follows the registry, and every wrong
 * class is refused with a message that says what is wrong. Each test leaves the registry as it found it.
 */
class DesignRegistryTest {
    private static final String FIXTURE = KernelRulesFixture.class.getName();

    @Test
    void shouldRunALoadedDesignUnderItsOwnIdAfterTheBuiltInOnes() throws Exception {
        final Design d = Designs.load(FIXTURE);
        try {
            assertThat(Designs.ids()).endsWith("stock", KernelRulesFixture.ID).startsWith("pre-2019");
            assertThat(Designs.byId(KernelRulesFixture.ID)).isSameAs(d);
            assertThat(Designs.load(FIXTURE)).as("loading it again").isSameAs(d);
            assertThat(Designs.source(d)).isEqualTo(FIXTURE + " (--design-class)");
            assertThat(Designs.source(Designs.byId("stock"))).isEqualTo("built-in");
            assertThat(Vocabulary.DESIGNS).as("the parser's words follow the registry").contains(KernelRulesFixture.ID);
            assertThat(new ScenarioParser(java.util.Set.of()).parse("t.yaml", "name: t\ndesign: "
                    + KernelRulesFixture.ID + "\nsteps:\n  - pool-shrink: {pages: 1}\n").design())
                    .isEqualTo(KernelRulesFixture.ID);
        } finally {
            assertThat(Designs.unregister(d)).isTrue();
        }
        assertThat(Designs.ids()).doesNotContain(KernelRulesFixture.ID);
        assertThat(Vocabulary.DESIGNS).doesNotContain(KernelRulesFixture.ID);
    }

    @Test
    void shouldRefuseAnIdABuiltInDesignHas() {
        assertThatThrownBy(() -> Designs.register(new KernelRulesFixture.TakenId()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has id 'stock', which a built-in design already has");
        assertThat(Designs.ids()).containsOnlyOnce("stock");
    }

    @Test
    void shouldSayWhatIsWrongWithAClassThatIsNotAUsableDesign() {
        assertThatThrownBy(() -> Designs.load("org.example.NoSuchDesign")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no class org.example.NoSuchDesign on the class path; add its jar with TTMSIM_CLASSPATH"
                        + " (the launcher) or -cp");
        assertThatThrownBy(() -> Designs.load(String.class.getName())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.String does not implement org.ttmsim.design.Design");
        assertThatThrownBy(() -> Designs.load(Prots.class.getName())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not implement");
        assertThatThrownBy(() -> Designs.load(KernelRulesFixture.TakenId.class.getName()))
                .hasMessageContaining("which a built-in design already has");
    }

    @Test
    void shouldNeverUnregisterABuiltInDesign() {
        assertThat(Designs.unregister(Designs.byId("upstream-2024"))).isFalse();
        assertThat(Designs.ids()).contains("upstream-2024");
    }
}
