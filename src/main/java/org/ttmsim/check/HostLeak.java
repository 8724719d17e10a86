package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;

/**
 * {@code host-leak}: in a guest mode, the guest's CPU stored plaintext (no key) into a frame the guest
 * had not converted to shared, so the host reads it in the clear (reference F5, I5). Judged at the
 * moment of the write from the frame's state. Cannot see leaks through channels the model lacks
 * (registers, page-table walks); SEV-SNP and TDX stop such writes, which {@link GuestFatal} reports.
 */
public final class HostLeak implements Monitor {
    private final Machine machine;
    private final List<String> pending = new ArrayList<>();

    public HostLeak(final Machine machine) {
        this.machine = machine;
    }

    @Override
    public void onEvent(final Event event) {
        if (event.kind() != EventKind.CPU_WRITE || event.key() != KeyId.NONE
                || !machine.mode().guestMemEncrypt()) {
            return;
        }
        if (machine.frameStates().isPrivate(event.pfn())) {
            pending.add(event.traceLine() + " -- frame is guest-private: the host sees this plaintext");
        }
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        if (!pending.isEmpty()) {
            out.add(new Violation(Invariant.HOST_LEAK, step, String.format(
                    "%d plaintext write(s) to guest-private frames; first: %s", pending.size(),
                    pending.get(0).replaceFirst("^\\[step \\d+\\] ", "")), pending));
            pending.clear();
        }
    }
}
