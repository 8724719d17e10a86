package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.TtmDecisions;

/**
 * One design of the fault and kernel-map paths (docs/DESIGNS.md): a patch over a kernel release's own TTM.
 * TTM computes the release's rule at each decision point of {@link TtmDecisions} (the tt flags at
 * creation, the VMA protection at mmap, each PTE's protection, the kernel-map protection) and the
 * design returns what its patch makes of it; {@code stock} changes nothing. Nothing else in the model
 * branches on the design. Implementations are final classes with no default methods, so each file
 * answers every decision.
 */
public interface Design extends TtmDecisions {
    /** The id scenario files and the command line use, e.g. {@code upstream-2024}. */
    String id();

    /** One line: what the design does. */
    String summary();

    /** Where it comes from: the mail, commit or release. */
    String origin();

    /**
     * The kernel release the design was written for: a run without {@code kernel:} or {@code --kernel}
     * uses it (docs/SCENARIOS.md, "design and kernel"), so the design meets the kernel it was proposed against.
     */
    KernelRelease ownRelease();
}
