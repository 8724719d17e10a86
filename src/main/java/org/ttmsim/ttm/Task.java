package org.ttmsim.ttm;

/**
 * Models the part of {@code struct task_struct} a sleeping lock reads: whether a signal is pending.
 * An interruptible sleep of a task with a pending signal returns -EINTR at once, as
 * {@code signal_pending_state()} makes it do.
 */
public final class Task {
    public static final int SIGTERM = 15;
    private final String name;
    private int pendingSignal;

    public Task(final String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** {@code send_sig()}: the signal stays pending until handled. */
    public void sendSignal(final int sig) {
        pendingSignal = sig;
    }

    public boolean signalPending() {
        return pendingSignal != 0;
    }

    public void clearSignal() {
        pendingSignal = 0;
    }
}
