package org.ttmsim.driver;

import org.ttmsim.design.Design;
import org.ttmsim.design.VmwDmaMode;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.mm.AddressSpace;
import org.ttmsim.scenario.DeviceSpec;
import org.ttmsim.ttm.DrmVmaOffsetManager;
import org.ttmsim.ttm.TtmBuddyManager;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmDeviceFuncs;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPolicy;
import org.ttmsim.ttm.TtmPool;

/**
 * Probes a driver for a scenario's device, as each driver's {@code *_ttm_init()} does: initialises the
 * TTM device with the driver's callbacks and pool flags, registers its TT (GTT / GMR) and VRAM
 * managers, and installs the design as the device's policy.
 *
 * <p>Pool DMA allocation ({@code use_dma_alloc}) per driver: {@code generic} as the KUnit device (off);
 * {@code amdgpu} when memory encryption is active ({@code drm_need_swiotlb()}); {@code vmwgfx} by the
 * DMA mode of the design's era. {@code device.dma-alloc} overrides all three.
 */
public final class Drivers {
    private Drivers() {
    }

    public static Driver create(final Kernel kernel, final DeviceSpec spec, final Design design) {
        final EncryptionMode mode = kernel.machine().mode();
        final long vramBase = kernel.machine().config().vramBase();
        final DmaDevice dev = new DmaDevice(spec.driver(), spec.dmaMaskBits(), spec.iommu());
        final TtmDeviceFuncs funcs;
        boolean dmaAlloc;
        String dmaMode;
        boolean registerTt = true;
        switch (spec.driver()) {
            case "vmwgfx": {
                final VmwDmaMode vmw = design.vmwgfxDmaMode(mode);
                funcs = new Vmwgfx(vramBase);
                dmaAlloc = vmw == VmwDmaMode.ALLOC_COHERENT;
                registerTt = vmw != VmwDmaMode.REFUSE;
                dmaMode = vmw.id();
                break;
            }
            case "amdgpu":
                funcs = new Amdgpu(vramBase);
                dmaAlloc = mode.memEncrypt();
                dmaMode = dmaAlloc ? "dma-alloc (drm_need_swiotlb)" : "alloc_pages + dma_map_page";
                break;
            default:
                funcs = new Generic(vramBase);
                dmaAlloc = false;
                dmaMode = "alloc_pages + dma_map_page";
                break;
        }
        if (spec.dmaAlloc() != null) {
            dmaAlloc = spec.dmaAlloc();
            dmaMode = (dmaAlloc ? "dma-alloc" : "alloc_pages + dma_map_page") + " (device.dma-alloc)";
        }
        final TtmDevice bdev = initDevice(new TtmGlobal(kernel), funcs, dev, dmaAlloc, design, registerTt);
        return new Driver(spec.driver(), bdev, dev, dmaMode);
    }

    /**
     * {@code ttm_device_init()} plus the driver's managers: TT (GTT / GMR) over half of RAM, TTM's
     * default page limit, backed by tt pages, unless the driver refuses guest-backed memory; VRAM, if the
     * machine has any, as one contiguous range (bus offsets are linear from its start).
     */
    static TtmDevice initDevice(final TtmGlobal glob, final TtmDeviceFuncs funcs, final DmaDevice dev,
            final boolean dmaAlloc, final TtmPolicy policy, final boolean registerTt) {
        final MachineConfig config = glob.kernel().machine().config();
        final TtmDevice bdev = new TtmDevice(glob);
        final int err = bdev.init(funcs, dev, new AddressSpace(), new DrmVmaOffsetManager(),
                dmaAlloc ? TtmPool.USE_DMA_ALLOC : 0);
        if (err != Errno.OK) {
            throw new IllegalStateException("ttm_device_init failed: " + Errno.name(err));
        }
        bdev.setPolicy(policy);
        if (registerTt) {
            TtmBuddyManager.init(bdev, TtmPlace.PL_TT, config.ramBytes() / 2, true, false);
        }
        if (config.vramBytes() > 0) {
            TtmBuddyManager.init(bdev, TtmPlace.PL_VRAM, config.vramBytes(), false, true);
        }
        return bdev;
    }
}
