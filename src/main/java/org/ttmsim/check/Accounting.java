package org.ttmsim.check;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmLruList;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPool;
import org.ttmsim.ttm.TtmPoolType;
import org.ttmsim.ttm.TtmResource;
import org.ttmsim.ttm.TtmResourceManager;

/**
 * {@code accounting}: after a step, the counts TTM keeps agree exactly with the objects they count.
 * {@code ttm_resource_init()} puts every resource on one list under the LRU lock (the device's
 * {@code unevictable} list when its buffer is pinned, else its manager's LRU of the buffer's priority;
 * a bulk move only tracks positions on those lists) and adds its size to {@code man->usage};
 * {@code ttm_resource_fini()} undoes both. So, per manager, usage equals the sizes on its lists exactly;
 * no resource is on two lists; each live buffer's resource is on the list its state asks for; and the
 * pool's page count equals the pages on its lists. Cannot see accounting the model does not keep
 * (cgroups, the shrinker's global counters).
 */
public final class Accounting extends Monitor {
    @Override
    public boolean listensTo(final org.ttmsim.hw.EventKind kind) {
        return false; // judged from state after each step
    }

    @Override
    public void onEvent(final org.ttmsim.hw.Event event) {
        // Judged from state after each step.
    }

    @Override
    public void afterStep(final int step, final SystemView view, final List<Violation> out) {
        final List<String> problems = problems(view.device(), view.liveBuffers(), view);
        if (!problems.isEmpty()) {
            out.add(new Violation(Invariant.ACCOUNTING, step, problems.get(0), problems));
        }
    }

    /**
     * Every disagreement, in a fixed order: managers by type, then buffers by name, then the pool.
     *
     * @param buffers the buffers the caller holds, by name
     * @param view    names buffers in messages
     */
    public static List<String> problems(final TtmDevice bdev, final Map<String, TtmBufferObject> buffers,
            final SystemView view) {
        final List<String> problems = new ArrayList<>();
        final Map<TtmResource, String> listed = new IdentityHashMap<>();
        for (int type = 0; type < TtmDevice.TTM_NUM_MEM_TYPES; type++) {
            final TtmResourceManager man = bdev.managerType(type);
            if (man == null) {
                continue;
            }
            long sum = 0;
            for (int prio = 0; prio < TtmResourceManager.TTM_MAX_BO_PRIORITY; prio++) {
                sum += listSizes(man.lru(prio), type, listed, problems, view);
            }
            sum += listSizes(bdev.unevictable(), type, listed, problems, view);
            if (sum != man.usage()) {
                problems.add(String.format("%s manager usage %d differs from the %d bytes of the resources on its"
                        + " lists", TtmPlace.memTypeName(type), man.usage(), sum));
            }
        }
        for (final Map.Entry<String, TtmBufferObject> e : buffers.entrySet()) {
            final TtmBufferObject bo = e.getValue();
            final TtmResource res = bo.resource();
            if (res == null) {
                continue;
            }
            final boolean unevictable = bo.pinCount() > 0 || bo.ttm() != null && bo.ttm().isSwapped();
            final TtmResourceManager man = bdev.managerType(res.memType());
            final TtmLruList expected = unevictable ? bdev.unevictable() : man.lru(bo.priority());
            if (!expected.contains(res)) {
                problems.add(String.format("%s's resource in %s is not on %s", e.getKey(),
                        TtmPlace.memTypeName(res.memType()), expected.name()));
            }
        }
        poolCount(bdev, problems);
        return problems;
    }

    /** The sizes of the resources of {@code type} on {@code list}, noting any resource listed twice. */
    private static long listSizes(final TtmLruList list, final int type, final Map<TtmResource, String> listed,
            final List<String> problems, final SystemView view) {
        long sum = 0;
        for (final TtmResource res : list.resources()) {
            if (res.memType() != type) {
                continue;
            }
            final String earlier = listed.put(res, list.name());
            if (earlier != null) {
                problems.add(String.format("a resource of %s is on %s and on %s", res.bo() == null ? "a freed buffer"
                        : view.name(res.bo()), earlier, list.name()));
            }
            sum += res.size();
        }
        return sum;
    }

    /** The pool's page count equals the pages on its lists (device pool and global pools). */
    private static void poolCount(final TtmDevice bdev, final List<String> problems) {
        final TtmGlobal glob = bdev.global();
        long listed = 0;
        for (int c = 0; c < TtmPool.TTM_NUM_CACHING_TYPES; c++) {
            for (int o = 0; o < TtmPool.NR_PAGE_ORDERS; o++) {
                listed += pages(bdev.pool().typeAt(c, o));
                listed += pages(glob.globalType(TtmPool.cachingOf(c), o, false));
                listed += pages(glob.globalType(TtmPool.cachingOf(c), o, true));
            }
        }
        if (listed != glob.allocatedPages()) {
            problems.add(String.format("the pool counts %d pooled pages but its lists hold %d",
                    glob.allocatedPages(), listed));
        }
    }

    private static long pages(final TtmPoolType pt) {
        return pt == null || !pt.initialised() ? 0 : (long) pt.blocks() << pt.order();
    }
}
