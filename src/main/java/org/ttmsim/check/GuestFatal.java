package org.ttmsim.check;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;

/**
 * {@code guest-fatal}: an access SEV-SNP or TDX hardware stops (#VC, #VE, RMP #NPF), as the memory
 * controller reported it on the bus. Cannot see accesses the model does not perform (instruction
 * fetches, page-table walks).
 */
public final class GuestFatal extends Monitor {
    private final List<String> pending = new ArrayList<>();

    @Override
    public boolean listensTo(final EventKind kind) {
        return kind == EventKind.GUEST_FATAL;
    }

    @Override
    public void onEvent(final Event event) {
        if (event.kind() == EventKind.GUEST_FATAL) {
            pending.add(event.traceLine());
        }
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        if (!pending.isEmpty()) {
            out.add(new Violation(Invariant.GUEST_FATAL, step, pending.get(0).replaceFirst("^\\[step \\d+\\] ", ""),
                    pending));
            pending.clear();
        }
    }
}
