package org.ttmsim.design;

import java.util.List;

/**
 * The registry of designs: the ten of docs/DESIGNS.md in its order, then {@code stock} (the release with no
 * patch); feeds {@code ttmsim designs} and the scenario parser's vocabulary.
 */
public final class Designs {
    private static final List<Design> ALL = List.of(new Pre2019(), new V1SevActive(), new V2PerFault(),
            new MmapTime(), new InsertPfn(), new DmaMmapCoherent(), new DmaPgprot(), new RefuseDma(),
            new AlwaysDecrypted(), new Upstream2024(), new Stock());

    private Designs() {
    }

    public static List<Design> all() {
        return ALL;
    }

    /** The design with this id; throws naming the valid ids. */
    public static Design byId(final String id) {
        for (final Design d : ALL) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown design '" + id + "'");
    }

    public static List<String> ids() {
        return ALL.stream().map(Design::id).toList();
    }
}
