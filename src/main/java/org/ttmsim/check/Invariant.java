package org.ttmsim.check;

/** The invariants of docs/SCENARIOS.md "Invariants", with their stable ids. */
public enum Invariant {
    CPU_GARBAGE("cpu-garbage", "a CPU read returned bytes other than the logical content"),
    DEVICE_GARBAGE("device-garbage", "a device read returned bytes other than the logical content"),
    HOST_LEAK("host-leak", "guest data written in plaintext to a frame not converted to shared"),
    STALE_MAPPING("stale-mapping", "a PTE or TLB entry still reaches a frame that no longer backs its object"),
    ATTRIBUTE_ALIAS("attribute-alias", "one frame mapped with conflicting encryption or caching attributes"),
    CACHE_CORRUPTION("cache-corruption", "a stale cache line written back overwrote newer data"),
    GUEST_FATAL("guest-fatal", "an access SEV-SNP or TDX hardware stops"),
    ACCOUNTING("accounting", "a manager's usage, an LRU or the pool disagrees with the objects");

    private final String id;
    private final String description;

    Invariant(final String id, final String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
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
