package org.ttmsim.scenario;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import org.ttmsim.check.Invariant;
import org.ttmsim.design.Designs;
import org.ttmsim.driver.Drivers;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Injection;

/**
 * The closed sets of words a scenario file may use (docs/SCENARIOS.md, docs/DESIGNS.md), in the order the docs list
 * them; the parser rejects anything else and suggests the nearest word.
 *
 * <p>The sets that name things the model has are read from the registries that have them, never copied:
 * modes from {@link EncryptionMode}, drivers from {@link Drivers#ids()}, designs from {@link Designs#ids()}
 * (built-in, found on the class path, or registered: the list follows the registry as it grows), faults from
 * {@link Injection}, invariants from {@link Invariant}, caching types from {@link Caching}, results from
 * {@link org.ttmsim.hw.Errno}. The others are the scenario language's own words.
 */
public final class Vocabulary {

    /** {@code machine.encryption}: {@link EncryptionMode}'s ids. */
    public static final List<String> ENCRYPTIONS = Arrays.stream(EncryptionMode.values()).map(EncryptionMode::id)
            .toList();

    /** {@code device.driver}: the drivers {@link Drivers#create} can probe. */
    public static final List<String> DRIVERS = Drivers.ids();

    /** {@code device.iommu} (also {@code true} = translated, {@code false} = none). */
    public static final List<String> IOMMUS = List.of("none", "translated", "passthrough");

    /** {@code device.chip}: chips a probe treats apart. */
    public static final List<String> CHIPS = List.of("other", "raven");

    /** {@code design}: the design registry's ids, as the registry holds them when the list is read. */
    public static final List<String> DESIGNS = new AbstractList<>() {
        @Override
        public String get(final int index) {
            return Designs.ids().get(index);
        }

        @Override
        public int size() {
            return Designs.ids().size();
        }
    };

    /** {@code inject} (docs/SCENARIOS.md, "inject"): {@link Injection}'s ids. */
    public static final List<String> INJECTIONS = Arrays.stream(Injection.values()).map(Injection::id).toList();

    /** {@code expect.violations} (docs/SCENARIOS.md, "Invariants"): {@link Invariant}'s ids. */
    public static final List<String> INVARIANTS = Arrays.stream(Invariant.values()).map(Invariant::id).toList();

    /** A step's {@code result:}: {@code ok}, or an errno or signal the modelled kernel can return. */
    public static final List<String> RESULTS = org.ttmsim.hw.Errno.names();

    /** {@code create.caching}: ttm_caching, {@link Caching}'s ids. */
    public static final List<String> CACHINGS = Arrays.stream(Caching.values()).map(Caching::id).toList();

    /** {@code create.type}: ttm_bo_type. */
    public static final List<String> BO_TYPES = List.of("device", "kernel", "sg");

    /** {@code mmap.prot}, {@code mprotect.prot}. */
    public static final List<String> PROTS = List.of("rw", "ro");

    /** A place's memory type. */
    public static final List<String> MEM_TYPES = List.of("system", "tt", "vram");

    /** A place's flags: TTM_PL_FLAG_*. */
    public static final List<String> PLACE_FLAGS = List.of("contiguous", "topdown", "desired", "fallback");

    private Vocabulary() {
    }
}
