package org.ttmsim.design;

import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.TtmMapPolicy;
import org.ttmsim.ttm.TtmPolicy;

/**
 * One design of the fault and kernel-map paths (SPEC §5): a small strategy consulted at the same
 * decision points in every run — the VMA protection at mmap, each PTE's protection, the kernel-map
 * protection, the tt flags at creation, mprotect's era, and vmwgfx's DMA mode. Nothing else in the
 * model branches on the design. Implementations are final classes with no default methods, so each
 * file answers every decision.
 */
public interface Design extends TtmPolicy, TtmMapPolicy {
    /** The SPEC id, e.g. {@code upstream-2024}. */
    String id();

    /** One line: what the design does. */
    String summary();

    /** Where it comes from: the mail, commit or release. */
    String origin();

    /**
     * The kernel release the design was written for: a run without {@code kernel:} or {@code --kernel}
     * uses it (SPEC §7), so the design meets the kernel it was proposed against.
     */
    KernelRelease ownRelease();

    /** How vmwgfx reaches guest-backed memory in this design's era, per mode. */
    VmwDmaMode vmwgfxDmaMode(EncryptionMode mode);
}
