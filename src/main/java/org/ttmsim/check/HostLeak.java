package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;

/**
 * {@code host-leak}: in a guest mode, the guest's CPU stored plaintext (no key) into a frame the guest
 * had not converted to shared, so the host reads it in the clear (under SEV, SEV-SNP and TDX only pages meant to be
 * shared may be mapped decrypted). Judged at the
 * moment of the write from the frame's state, and from who holds the frame: a plain page-allocator
 * user got it as ordinary (private) memory, so plaintext there leaks even when an earlier owner's free
 * left the frame shared (dma-direct re-encrypting one page of many, v5.17-v5.18). Cannot see leaks
 * through channels the model lacks (registers, page-table walks); SEV-SNP and TDX stop plaintext
 * writes to private frames, which {@link GuestFatal} reports.
 */
public final class HostLeak extends Monitor {
    private final Machine machine;
    private final java.util.function.LongPredicate meantPrivate;
    private final List<String> pending = new ArrayList<>();

    public HostLeak(final Machine machine) {
        this(machine, pfn -> false);
    }

    /**
     * @param meantPrivate whether a frame's current holder meant it private whatever its state (a plain
     *                     page-allocator user's pages)
     */
    public HostLeak(final Machine machine, final java.util.function.LongPredicate meantPrivate) {
        this.machine = machine;
        this.meantPrivate = meantPrivate;
    }

    @Override
    public boolean listensTo(final EventKind kind) {
        // Without guest memory encryption there is no private frame to leak (about 1.2 million CPU writes
        // a round of the bench's cells would be delivered to return at once).
        return kind == EventKind.CPU_WRITE && machine.mode().guestMemEncrypt();
    }

    @Override
    public void onEvent(final Event event) {
        if (event.kind() != EventKind.CPU_WRITE || event.key() != KeyId.NONE
                || !machine.mode().guestMemEncrypt()) {
            return;
        }
        if (machine.frameStates().isPrivate(event.pfn())) {
            pending.add(event.traceLine() + " -- frame is guest-private: the host sees this plaintext");
        } else if (meantPrivate.test(event.pfn())) {
            pending.add(event.traceLine() + " -- frame was left shared by its previous owner, and its new owner, a "
                    + "plain page-allocator user, meant it private: the host sees this plaintext");
        }
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        if (!pending.isEmpty()) {
            out.add(new Violation(Invariant.HOST_LEAK, step, String.format(
                    "%d plaintext write(s) to frames the guest did not mean to share; first: %s", pending.size(),
                    pending.get(0).replaceFirst("^\\[step \\d+\\] ", "")), pending));
            pending.clear();
        }
    }
}
