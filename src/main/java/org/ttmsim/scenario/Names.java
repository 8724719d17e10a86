package org.ttmsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The BOs and mappings a scenario has defined so far, step by step, so that every reference can be
 * checked before anything runs.
 *
 * <p>A BO is defined by {@code create}; {@code destroy} makes its name free for another
 * {@code create} but does not undefine it (a later use is the kernel's ENOENT at run time, not bad
 * input). Likewise {@code munmap} leaves its mapping defined (touching it is a SIGSEGV at run time)
 * and frees its name for a later {@code mmap}, so a {@code repeat:} block may map and unmap.
 */
final class Names {

    /** A BO's latest definition; {@code live} until destroyed. */
    record Bo(String name, long size, int step, SourcePos createdAt, boolean live) {
    }

    /** A mapping of the whole of {@code bo} as it was at mmap time. */
    record Mapping(String name, Bo bo, int step, SourcePos definedAt, boolean live) {
    }

    /** BO name reserved for the resource managers in {@code state}. */
    static final String MANAGERS = "managers";
    /** BO name reserved for the boot's outcome (SWIOTLB, driver probe) in {@code state}. */
    static final String BOOT = "boot";
    /** Names {@code state} uses for itself, in the order it lists them. */
    static final java.util.List<String> RESERVED = java.util.List.of(MANAGERS, BOOT);

    private final Map<String, Bo> bos = new LinkedHashMap<>();
    private final Map<String, Mapping> maps = new LinkedHashMap<>();
    /** Page-allocator allocations ({@code page-alloc as:}), a namespace of their own; size in bytes. */
    private final Map<String, Bo> allocs = new LinkedHashMap<>();

    /** Defines BO {@code name}; it must not be live. */
    void create(final Located at, final String name, final long size, final int step) throws ScenarioException {
        if (RESERVED.contains(name)) {
            throw at.fail("the BO name '" + name + "' is reserved (it names " + (MANAGERS.equals(name)
                    ? "the resource managers" : "the boot's outcome") + " in expect.state); choose another name");
        }
        final Bo old = bos.get(name);
        if (old != null && old.live()) {
            throw at.fail("BO '" + name + "' already exists (created by step " + old.step() + " at line "
                    + old.createdAt().line() + "); destroy it before creating it again, or choose another name");
        }
        bos.put(name, new Bo(name, size, step, at.pos(), true));
    }

    /** Marks BO {@code name} destroyed, freeing its name. */
    void destroy(final String name) {
        bos.computeIfPresent(name, (n, bo) -> new Bo(n, bo.size(), bo.step(), bo.createdAt(), false));
    }

    /** The BO named at {@code at}; it must have been created by an earlier step. */
    Bo bo(final Located at, final String name) throws ScenarioException {
        final Bo bo = bos.get(name);
        if (bo == null) {
            throw at.fail("BO '" + name + "' is not created by any step before this one"
                    + Suggest.didYouMean(name, bos.keySet()) + known("a BO created earlier", "creates a BO", bos.keySet()));
        }
        return bo;
    }

    /** Defines mapping {@code name} of {@code bo}; the name must not name a mapping still mapped. */
    void mmap(final Located at, final String name, final Bo bo, final int step) throws ScenarioException {
        final Mapping old = maps.get(name);
        if (old != null && old.live()) {
            throw at.fail("mapping '" + name + "' is already defined (by step " + old.step() + " at line "
                    + old.definedAt().line() + "); give each mmap its own name, or munmap it first");
        }
        maps.put(name, new Mapping(name, bo, step, at.pos(), true));
    }

    /** Marks mapping {@code name} unmapped, freeing its name for another mmap. */
    void munmap(final String name) {
        maps.computeIfPresent(name, (n, m) -> new Mapping(n, m.bo(), m.step(), m.definedAt(), false));
    }

    /** The mapping named at {@code at}; it must have been defined by an earlier mmap. */
    Mapping map(final Located at, final String name) throws ScenarioException {
        final Mapping map = maps.get(name);
        if (map == null) {
            throw at.fail("mapping '" + name + "' is not defined by any step before this one"
                    + Suggest.didYouMean(name, maps.keySet()) + known("a mapping defined earlier by mmap {as: …}",
                    "defines a mapping", maps.keySet()));
        }
        return map;
    }

    /** Defines allocation {@code name} of {@code size} bytes; it must not be held still. */
    void pageAlloc(final Located at, final String name, final long size, final int step) throws ScenarioException {
        final Bo old = allocs.get(name);
        if (old != null && old.live()) {
            throw at.fail("allocation '" + name + "' is already held (allocated by step " + old.step() + " at line "
                    + old.createdAt().line() + "); page-free it first, or choose another name");
        }
        allocs.put(name, new Bo(name, size, step, at.pos(), true));
    }

    /** The allocation named at {@code at}; an earlier page-alloc must have made it. */
    Bo alloc(final Located at, final String name) throws ScenarioException {
        final Bo a = allocs.get(name);
        if (a == null) {
            throw at.fail("allocation '" + name + "' is not made by any page-alloc before this one"
                    + Suggest.didYouMean(name, allocs.keySet()) + known("an allocation made earlier by page-alloc "
                    + "{as: …}", "makes one", allocs.keySet()));
        }
        return a;
    }

    /** Marks allocation {@code name} freed; using it later is the kernel's business (ENOENT here). */
    void pageFree(final String name) {
        allocs.computeIfPresent(name, (n, a) -> new Bo(n, a.size(), a.step(), a.createdAt(), false));
    }

    /** Every BO name any step created, in order of first creation. */
    Set<String> boNames() {
        return bos.keySet();
    }

    private static String known(final String expected, final String verb, final Set<String> names) {
        return names.isEmpty() ? " (no step before this one " + verb + ")"
                : " (expected " + expected + ": " + String.join(", ", names) + ")";
    }
}
