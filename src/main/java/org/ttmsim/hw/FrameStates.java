package org.ttmsim.hw;

import org.agrona.collections.LongHashSet;

/**
 * Which guest frames are shared with the host: models the SEV-SNP RMP (assigned/validated vs
 * hypervisor-owned) and TDX's private/shared GPA state, and for plain SEV the guest kernel's own
 * bookkeeping of converted pages (which the hardware does not enforce).
 *
 * <p>In guest modes all RAM starts private-validated; conversions flip frames. Device memory is never
 * guest-private. Without a guest mode every frame counts as the host's own (not "shared").
 *
 * <p>Shared frames are kept as ranges ({@link LongRangeSet}): the SWIOTLB pool shared at boot costs one
 * range whatever the RAM size.
 */
public final class FrameStates {
    private final PhysicalMemory memory;
    private final boolean guest;
    private final LongRangeSet shared = new LongRangeSet();
    private final LongHashSet quarantined = new LongHashSet();

    public FrameStates(final PhysicalMemory memory, final EncryptionMode mode) {
        this.memory = memory;
        this.guest = mode.guestMemEncrypt();
    }

    /** Whether the frame is guest-private (only meaningful in guest modes). */
    public boolean isPrivate(final long pfn) {
        return guest && memory.isRam(pfn) && !shared.contains(pfn);
    }

    public boolean isShared(final long pfn) {
        return !isPrivate(pfn);
    }

    public void markShared(final long pfn) {
        shared.add(pfn);
    }

    /** {@link #markShared} of {@code pages} frames from {@code pfn}. */
    public void markShared(final long pfn, final long pages) {
        shared.addRange(pfn, pfn + pages);
    }

    public void markPrivate(final long pfn) {
        shared.remove(pfn);
    }

    /** A frame whose failed conversion left its state unknown: never to be reused. */
    public void quarantine(final long pfn) {
        quarantined.add(pfn);
    }

    public boolean isQuarantined(final long pfn) {
        return quarantined.contains(pfn);
    }
}
