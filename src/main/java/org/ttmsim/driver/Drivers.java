package org.ttmsim.driver;

import org.ttmsim.design.Design;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.mm.AddressSpace;
import org.ttmsim.ttm.DrmVmaOffsetManager;
import org.ttmsim.ttm.TtmBuddyManager;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmDeviceFuncs;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmDecisions;
import org.ttmsim.release.Change;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.TtmPool;

/**
 * Probes a driver for a scenario's device, as each driver's probe and {@code *_ttm_init()} do: decides
 * whether the driver binds at all (amdgpu refuses a Raven APU under memory encryption), initialises the
 * TTM device with the driver's callbacks and pool flags, registers its TT (GTT / GMR) and VRAM
 * managers, and installs the design's decisions on the device. {@code device.dma-api: false} makes any
 * driver hand its device physical addresses, as drivers outside the DMA API do.
 *
 * <p>Pool DMA allocation ({@code use_dma_alloc}) per driver, as each driver's probe decides it on the
 * booted release: {@code generic} as the KUnit device (off); {@code amdgpu} when
 * {@code drm_need_swiotlb()} is true, which from v5.2 includes memory encryption
 * ({@link Change#DRM_NEED_SWIOTLB_MEM_ENCRYPT}); {@code vmwgfx} by its DMA mode
 * ({@link VmwDmaMode#select}). {@code device.dma-alloc} overrides the choice (for vmwgfx, {@code true} is
 * {@code vmw_force_coherent}, which the v5.7–v6.8 refusal still overrides).
 */
public final class Drivers {
    /** The drivers {@link #create} can probe, in docs/SCENARIOS.md order: the registry {@code device.driver} names. */
    private static final java.util.List<String> IDS = java.util.List.of("generic", "vmwgfx", "amdgpu", "virtio-gpu");

    private Drivers() {
    }

    /** The driver ids, in docs/SCENARIOS.md order ({@code generic}, {@code vmwgfx}, {@code amdgpu}, {@code virtio-gpu}). */
    public static java.util.List<String> ids() {
        return IDS;
    }

    public static Driver create(final Kernel kernel, final DeviceSpec spec, final Design design) {
        final EncryptionMode mode = kernel.machine().mode();
        final KernelRelease release = kernel.release();
        final long vramBase = kernel.machine().config().vramBase();
        final DmaDevice dev = new DmaDevice(spec.driver(), spec.dmaMaskBits(), spec.translated(),
                spec.maxSegmentBytes() == null ? 0 : spec.maxSegmentBytes());
        // device.dma-api: false: the driver hands the device physical addresses, whatever it would choose.
        final boolean physical = !spec.dmaApi();
        final String outsideDmaApi = " (device.dma-api: false: physical addresses)";
        final TtmDeviceFuncs funcs;
        DeviceAddressing addressing = DeviceAddressing.ofTt(physical && spec.translated());
        boolean dmaAlloc;
        String dmaMode;
        boolean registerTt = true;
        boolean registerVram = true;
        String probe = "probed";
        String probeError = null;
        switch (spec.driver()) {
            case "vmwgfx": {
                VmwDmaMode vmw = physical ? VmwDmaMode.PHYS
                        : VmwDmaMode.select(release, mode, Boolean.TRUE.equals(spec.dmaAlloc()));
                if (Boolean.FALSE.equals(spec.dmaAlloc()) && vmw == VmwDmaMode.ALLOC_COHERENT) {
                    vmw = VmwDmaMode.MAP_POPULATE; // device.dma-alloc: false asks for plain pages
                }
                funcs = new Vmwgfx(vramBase, vmw);
                dmaAlloc = vmw == VmwDmaMode.ALLOC_COHERENT;
                registerTt = vmw != VmwDmaMode.REFUSE;
                dmaMode = vmw.id() + (physical ? outsideDmaApi : spec.dmaAlloc() != null ? " (device.dma-alloc)" : "");
                if (vmw == VmwDmaMode.REFUSE) {
                    probe = "vmwgfx: Restricting capabilities due to IOMMU setup: no GMR/MOB (guest-backed) memory";
                }
                break;
            }
            case "amdgpu":
                funcs = new Amdgpu(vramBase, release, physical);
                dmaAlloc = !physical && (spec.dmaAlloc() != null ? spec.dmaAlloc() : drmNeedSwiotlb(release, mode));
                dmaMode = physical ? "alloc_pages" + outsideDmaApi : dmaAlloc ? "dma-alloc (" + (spec.dmaAlloc() != null
                        ? "device.dma-alloc" : "drm_need_swiotlb") + ")" : "alloc_pages + dma_map_page";
                probeError = Amdgpu.probeRefusal(release, mode, spec.chip());
                break;
            case "virtio-gpu": {
                final VirtioGpu virtio = new VirtioGpu(kernel, dev, !physical);
                funcs = virtio;
                addressing = virtio;
                dmaAlloc = false;
                registerVram = false;
                dmaMode = physical ? "scatterlist" + outsideDmaApi : "scatterlist + dma_map_sg (max segment "
                        + virtio.maxSegment() + ")";
                break;
            }
            case "generic":
                funcs = new Generic(vramBase); // the KUnit device: physical addresses whatever dma-api says
                dmaAlloc = !physical && spec.dmaAlloc() != null && spec.dmaAlloc();
                dmaMode = physical ? "alloc_pages" + outsideDmaApi : (dmaAlloc ? "dma-alloc" : "alloc_pages + dma_map_page")
                        + (spec.dmaAlloc() != null ? " (device.dma-alloc)" : "");
                break;
            default:
                throw new IllegalArgumentException("unknown driver '" + spec.driver() + "' (" + String.join(", ", IDS)
                        + ")");
        }
        if (probeError != null) {
            probe = probeError;
        }
        final TtmDevice bdev = initDevice(new TtmGlobal(kernel), funcs, dev, dmaAlloc, design, registerTt,
                registerVram);
        return new Driver(spec.driver(), bdev, dev, dmaMode, addressing, probe, probeError);
    }

    /**
     * {@code drm_need_swiotlb()} (drivers/gpu/drm/drm_cache.c) for a device whose iomem lies within its
     * mask: true under memory encryption from v5.2 ("for the same reasons as for Xen paravirtual hosts").
     */
    static boolean drmNeedSwiotlb(final KernelRelease release, final EncryptionMode mode) {
        return release.has(Change.DRM_NEED_SWIOTLB_MEM_ENCRYPT) && mode.memEncrypt();
    }

    /**
     * {@code ttm_device_init()} plus the driver's managers: TT (GTT / GMR) over half of RAM, TTM's
     * default page limit, backed by tt pages, unless the driver refuses guest-backed memory; VRAM, if the
     * machine has any, as one contiguous range (bus offsets are linear from its start).
     */
    static TtmDevice initDevice(final TtmGlobal glob, final TtmDeviceFuncs funcs, final DmaDevice dev,
            final boolean dmaAlloc, final TtmDecisions decisions, final boolean registerTt) {
        return initDevice(glob, funcs, dev, dmaAlloc, decisions, registerTt, true);
    }

    /** The same; a device without VRAM of its own (virtio-gpu) registers no VRAM manager. */
    static TtmDevice initDevice(final TtmGlobal glob, final TtmDeviceFuncs funcs, final DmaDevice dev,
            final boolean dmaAlloc, final TtmDecisions decisions, final boolean registerTt,
            final boolean registerVram) {
        final MachineConfig config = glob.kernel().machine().config();
        final TtmDevice bdev = new TtmDevice(glob);
        final int err = bdev.init(funcs, dev, new AddressSpace(), new DrmVmaOffsetManager(),
                dmaAlloc ? TtmPool.USE_DMA_ALLOC : 0);
        if (err != Errno.OK) {
            throw new IllegalStateException("ttm_device_init failed: " + Errno.name(err));
        }
        bdev.setDecisions(decisions);
        if (registerTt) {
            TtmBuddyManager.init(bdev, TtmPlace.PL_TT, config.ramBytes() / 2, true, false);
        }
        if (registerVram && config.vramBytes() > 0) {
            TtmBuddyManager.init(bdev, TtmPlace.PL_VRAM, config.vramBytes(), false, true);
        }
        return bdev;
    }
}
