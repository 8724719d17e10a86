package org.ttmsim.check;

/** The invariants of docs/SCENARIOS.md "Invariants", in that order, with their stable ids and the matrix's one-letter codes. */
public enum Invariant {
    CPU_GARBAGE("cpu-garbage", "G", "a CPU read returned bytes other than the logical content"),
    DEVICE_GARBAGE("device-garbage", "D", "a device read returned bytes other than the logical content"),
    HOST_LEAK("host-leak", "L", "guest data written in plaintext to a frame not converted to shared"),
    STALE_MAPPING("stale-mapping", "S", "a PTE or TLB entry still reaches a frame that no longer backs its object"),
    ATTRIBUTE_ALIAS("attribute-alias", "A", "one frame mapped with conflicting encryption or caching attributes"),
    CACHE_CORRUPTION("cache-corruption", "C", "a stale cache line written back overwrote newer data"),
    GUEST_FATAL("guest-fatal", "F", "an access SEV-SNP or TDX hardware stops"),
    ACCOUNTING("accounting", "$", "a manager's usage, an LRU or the pool disagrees with the objects");

    private final String id;
    private final String letter;
    private final String description;

    Invariant(final String id, final String letter, final String description) {
        this.id = id;
        this.letter = letter;
        this.description = description;
    }

    public String id() {
        return id;
    }

    /** The one-letter code the matrix shows for a cell where this invariant broke. */
    public String letter() {
        return letter;
    }

    public String description() {
        return description;
    }

    public static Invariant fromId(final String id) {
        for (final Invariant i : values()) {
            if (i.id.equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown invariant '" + id + "'");
    }
}
