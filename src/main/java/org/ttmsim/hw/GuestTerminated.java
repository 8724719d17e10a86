package org.ttmsim.hw;

/**
 * The guest was terminated: models {@code sev_es_terminate()} (arch/x86/kernel/sev-shared.c), which an
 * SEV-SNP guest calls when a page-state change or PVALIDATE fails, and which never returns. Thrown
 * through the model to the runner, which ends the run there: the step that caused it and every later
 * step report that they did not complete. Not a model error.
 */
public final class GuestTerminated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason the GHCB termination reason and what the guest was doing */
    public GuestTerminated(final String reason) {
        super(reason, null, false, false);
    }
}
