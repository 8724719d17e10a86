package org.ttmsim.ttm;

import java.util.ArrayDeque;

/**
 * Models the device's workqueue ({@code bdev->wq}, drivers/gpu/drm/ttm/ttm_device.c) on which TTM
 * queues the delayed destruction of buffers that were busy when released (ghost objects included).
 *
 * <p>There are no worker threads: work runs when somebody calls {@link #run()} (the scenario runner
 * does so between steps) or {@link #drain()} (device teardown). A work item whose wait cannot finish
 * yet (a hung fence, a lock somebody holds) stays queued, as a kworker would stay asleep.
 */
public final class TtmWorkqueue {
    /** One work item ({@code struct work_struct}). */
    public interface Work {
        /** Runs the item; false if it must wait and be retried later. */
        boolean run();
    }

    private final String name;
    private final ArrayDeque<Work> pending = new ArrayDeque<>();

    public TtmWorkqueue(final String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** {@code queue_work()}. */
    public void queue(final Work work) {
        pending.addLast(work);
    }

    /** Runs every queued item once, in order; returns how many completed. */
    public int run() {
        int done = 0;
        final int n = pending.size();
        for (int i = 0; i < n; i++) {
            final Work w = pending.pollFirst();
            if (w.run()) {
                done++;
            } else {
                pending.addLast(w);
            }
        }
        return done;
    }

    /**
     * {@code drain_workqueue()}: runs until nothing is queued or nothing more can complete.
     *
     * @return the items left (0 unless some wait can never finish)
     */
    public int drain() {
        while (!pending.isEmpty() && run() > 0) {
            continue;
        }
        return pending.size();
    }

    public int pending() {
        return pending.size();
    }
}
