package org.ttmsim.check;

import java.util.List;

/**
 * {@code accounting}: after a step, every resource manager's usage equals the sizes of the resources
 * it holds, every LRU holds exactly the unpinned resources of its manager, and the pool's counts match
 * its lists. The cross-check itself lives with the objects ({@link SystemView#accountingProblems()});
 * this monitor only reports. Cannot see accounting the model does not keep (cgroups, the shrinker's
 * global counters).
 */
public final class Accounting implements Monitor {
    @Override
    public void onEvent(final org.ttmsim.hw.Event event) {
        // Judged from state after each step.
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        final List<String> problems = view.accountingProblems();
        if (!problems.isEmpty()) {
            out.add(new Violation(Invariant.ACCOUNTING, step, problems.get(0), problems));
        }
    }
}
