package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ttmsim.check.Accounting;
import org.ttmsim.check.AttributeAlias;
import org.ttmsim.check.CacheCorruption;
import org.ttmsim.check.CpuGarbage;
import org.ttmsim.check.DeviceGarbage;
import org.ttmsim.check.GuestFatal;
import org.ttmsim.check.HostLeak;
import org.ttmsim.check.Monitor;
import org.ttmsim.check.Oracle;
import org.ttmsim.check.StaleMapping;
import org.ttmsim.check.SystemView;
import org.ttmsim.check.Violation;
import org.ttmsim.design.Design;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.Driver;
import org.ttmsim.driver.Drivers;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmLruList;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPool;
import org.ttmsim.ttm.TtmPoolType;
import org.ttmsim.ttm.TtmResource;
import org.ttmsim.ttm.TtmResourceManager;
import org.ttmsim.ttm.TtmTt;

/**
 * Everything one run owns: the machine, the booted kernel, the driver's TTM device, the named objects
 * (buffers, processes, mappings, page-allocator users), the oracle and the monitors. Implements the
 * monitors' {@link SystemView}. A {@link Session} owns one.
 */
final class World implements SystemView {
    private final Context context;
    private final Machine machine;
    private final Kernel kernel;
    private final Design design;
    private final Driver driver;
    private final Oracle oracle = new Oracle();
    private final CpuGarbage cpuGarbage = new CpuGarbage(oracle);
    private final DeviceGarbage deviceGarbage = new DeviceGarbage(oracle);
    private final List<Monitor> monitors = new ArrayList<>();
    private final Map<String, TtmBufferObject> bos = new LinkedHashMap<>();
    private final Map<TtmBufferObject, String> names = new java.util.IdentityHashMap<>();
    private final Map<String, MmStruct> processes = new LinkedHashMap<>();
    private final Map<String, Vma> maps = new LinkedHashMap<>();
    /** Page-allocator users' allocations by name: first PFN and order (alloc_pages()). */
    private final Map<String, long[]> pageAllocs = new LinkedHashMap<>();

    /** Boots the concluded context's machine, kernel and driver; the monitors listen unless it says not to. */
    World(final Context context) {
        this.context = context;
        this.machine = new Machine(context.machineConfig(), context.keepTrace());
        this.kernel = new Kernel(machine, context.release());
        this.design = context.design();
        this.driver = Drivers.create(kernel, context.device(), design);
        if (!context.monitors()) {
            return; // the emulation alone: nothing listens, nothing is judged
        }
        monitors.add(cpuGarbage);
        monitors.add(deviceGarbage);
        monitors.add(new HostLeak(machine, this::heldByPageUser));
        monitors.add(new StaleMapping(machine));
        monitors.add(new AttributeAlias(kernel, this));
        monitors.add(new CacheCorruption(machine));
        monitors.add(new GuestFatal());
        monitors.add(new Accounting());
        monitors.forEach(machine.bus()::subscribe);
        // Kernel copies of buffer contents (memcpy moves, swapout) are reads like any other.
        driver.bdev().setCopyReads((bo, offset, data, how) -> cpuGarbage.judgeCopy(machine.bus().step(), name(bo),
                offset, data, how));
    }

    Context context() {
        return context;
    }

    /** Whether the oracle and the monitors judge this run ({@link Context#monitors}). */
    boolean judging() {
        return !monitors.isEmpty();
    }

    Machine machine() {
        return machine;
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    Design design() {
        return design;
    }

    Driver driver() {
        return driver;
    }

    TtmDevice bdev() {
        return driver.bdev();
    }

    Oracle oracle() {
        return oracle;
    }

    CpuGarbage cpuGarbage() {
        return cpuGarbage;
    }

    DeviceGarbage deviceGarbage() {
        return deviceGarbage;
    }

    Map<String, TtmBufferObject> bos() {
        return bos;
    }

    Map<String, Vma> maps() {
        return maps;
    }

    /**
     * A buffer created under {@code name}. Its content key (what reports and the oracle call it) is the
     * name, or {@code name#2}, {@code name#3}... while an earlier buffer of that name is still alive
     * (destroyed but mapped).
     */
    void addBo(final String name, final TtmBufferObject bo) {
        bos.put(name, bo);
        String key = name;
        for (int n = 2; names.containsValue(key); n++) {
            key = name + "#" + n;
        }
        names.put(bo, key);
    }

    /**
     * The scenario's handle to {@code name} is gone (the GEM handle closed). The buffer itself lives on
     * while a mapping holds it ({@code ttm_bo_mmap_obj()} took a reference) until {@link #released}.
     */
    void removeBo(final String name) {
        bos.remove(name);
    }

    /** The buffer's last reference went ({@code ttm_bo_release()} done): its content is gone too. */
    void released(final TtmBufferObject bo) {
        final String key = names.remove(bo);
        if (key != null) {
            oracle.forget(key);
        }
    }

    /** Live page-allocator allocations by name: {first PFN, order}. */
    Map<String, long[]> pageAllocs() {
        return pageAllocs;
    }

    /** Whether a plain page-allocator user holds {@code pfn}: that user meant it to be private memory. */
    boolean heldByPageUser(final long pfn) {
        for (final long[] a : pageAllocs.values()) {
            if (pfn >= a[0] && pfn < a[0] + (1L << a[1])) {
                return true;
            }
        }
        return false;
    }

    /** The process's mm, created on first use. */
    MmStruct process(final String name) {
        return processes.computeIfAbsent(name, kernel::newProcess);
    }

    void judgeAfterStep(final int step, final List<Violation> out) {
        for (final Monitor m : monitors) {
            m.afterStep(step, this, out);
        }
    }

    @Override
    public List<MmStruct> processes() {
        return List.copyOf(processes.values());
    }

    @Override
    public long backingPfn(final Object o, final long objPage) {
        final TtmBufferObject bo = (TtmBufferObject) o;
        final TtmResource res = bo.resource();
        if (res == null || objPage < 0 || objPage >= bo.numPages()) {
            return -1;
        }
        if (res.busIsIomem()) {
            return (res.busOffset() >>> Pte.PAGE_SHIFT) + objPage;
        }
        final TtmTt tt = bo.ttm();
        if (tt == null || !tt.isPopulated()) {
            return -1;
        }
        final long pfn = tt.pages()[(int) objPage];
        return pfn > 0 ? pfn : -1;
    }

    @Override
    public long pgoffBase(final Object bo) {
        return ((TtmBufferObject) bo).vmaNodeStart();
    }

    @Override
    public String name(final Object bo) {
        final String n = names.get(bo);
        return n != null ? n : ((TtmBufferObject) bo).name();
    }

    @Override
    public TtmDevice device() {
        return bdev();
    }

    @Override
    public Map<String, TtmBufferObject> liveBuffers() {
        return java.util.Collections.unmodifiableMap(bos);
    }

    /** The result's {@code state}: each live BO, then {@code managers}. */
    Map<String, Object> finalState() {
        final Map<String, Object> state = new LinkedHashMap<>();
        bos.forEach((name, bo) -> state.put(name, FinalState.of(bo, driver.addressing())));
        state.put("managers", driver.probed() ? FinalState.managers(bdev()) : new LinkedHashMap<>());
        state.put("boot", boot());
        return state;
    }

    /** The result's {@code state.boot}: what the boot did (SWIOTLB, the driver's probe). */
    private Map<String, Object> boot() {
        final Map<String, Object> boot = new LinkedHashMap<>();
        final org.ttmsim.dma.SwiotlbBoot s = kernel.swiotlbBoot();
        boot.put("swiotlb_requested", s.requestedBytes());
        boot.put("swiotlb_bytes", s.bytes());
        boot.put("swiotlb", s.outcome());
        boot.put("driver", driver.probe());
        return boot;
    }

    /** The frames backing live BOs, with who maps them, for the report's picture (bounded). */
    List<RunResult.FrameInfo> frames() {
        return FinalState.frames(this, new TreeMap<>());
    }
}
