package org.ttmsim.scenario;

import java.util.List;

/**
 * The closed sets of words a scenario file may use (SPEC §2, §4, §5, §6), in the order the SPEC lists
 * them; the parser rejects anything else and suggests the nearest word.
 */
public final class Vocabulary {

    /** {@code machine.encryption}. */
    public static final List<String> ENCRYPTIONS = List.of("none", "sme", "sev", "sev-snp", "tdx");

    /** {@code device.driver}. */
    public static final List<String> DRIVERS = List.of("generic", "vmwgfx", "amdgpu", "virtio-gpu");

    /** {@code device.iommu} (also {@code true} = translated, {@code false} = none). */
    public static final List<String> IOMMUS = List.of("none", "translated", "passthrough");

    /** {@code device.chip}: chips a probe treats apart. */
    public static final List<String> CHIPS = List.of("other", "raven");

    /** {@code design}: the design registry's ids (SPEC §5, then {@code stock}). */
    public static final List<String> DESIGNS = org.ttmsim.design.Designs.ids();

    /** {@code inject} (SPEC §6). */
    public static final List<String> INJECTIONS = List.of("skip-zap-on-move", "skip-cache-flush", "skip-tlb-flush",
            "conversion-fails", "no-pool");

    /** {@code expect.violations} (SPEC §4). */
    public static final List<String> INVARIANTS = List.of("cpu-garbage", "device-garbage", "host-leak",
            "stale-mapping", "attribute-alias", "cache-corruption", "guest-fatal", "accounting");

    /** A step's {@code result:}: {@code ok}, or an errno or signal the modelled kernel can return. */
    public static final List<String> RESULTS = org.ttmsim.hw.Errno.names();

    /** {@code create.caching}: ttm_caching. */
    public static final List<String> CACHINGS = List.of("cached", "wc", "uncached");

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
