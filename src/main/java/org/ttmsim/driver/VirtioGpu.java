package org.ttmsim.driver;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.DmaDirect;
import org.ttmsim.dma.DmaDirection;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Pte;
import org.ttmsim.release.Change;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBoUtil;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmDeviceFuncs;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;
import org.ttmsim.ttm.TtmResource;
import org.ttmsim.ttm.TtmTt;

/**
 * Models virtio-gpu in its TTM era (drivers/gpu/drm/virtio/virtgpu_ttm.c, virtgpu_object.c,
 * virtgpu_vq.c): no VRAM; a buffer bound into TT has its pages turned into a scatterlist
 * ({@code virtio_gpu_object_get_sg_table()}: physically contiguous pages merge into one segment) and,
 * when the virtio device uses the DMA API ({@code !virtio_has_iommu_quirk()}, which an SEV guest's
 * ACCESS_PLATFORM device does), {@code dma_map_sg()}ed {@code DMA_TO_DEVICE}; the host is handed the
 * segments as the resource's backing ({@code virtio_gpu_object_attach()}). A failed {@code dma_map_sg()}
 * returns 0 entries, which the driver does not check: the resource gets no backing and every transfer
 * fails. Transfers to the host sync the mapping for the device first; nothing syncs for the CPU.
 *
 * <p>Segment size: up to 4 GiB before v5.3; from v5.3 ({@link Change#VIRTIO_GPU_MAX_SEGMENT}) at most
 * {@code virtio_max_dma_size()} = {@code dma_max_mapping_size()}, 256 KiB when SWIOTLB bounces, and the
 * model's {@code device.max-segment} when the device states one. virtio-gpu left TTM in v5.7 (GEM shmem
 * helpers); the model keeps this shape on every release.
 */
final class VirtioGpu implements TtmDeviceFuncs, DeviceAddressing {
    /** {@code SCATTERLIST_MAX_SEGMENT}: UINT_MAX & PAGE_MASK. */
    static final long SCATTERLIST_MAX_SEGMENT = 0xFFFF_F000L;
    private static final TtmPlacement SYS = TtmPlacement.of(TtmPlace.of(TtmPlace.PL_SYSTEM, 0));

    /** One tt's backing as handed to the host: segments in page order. */
    private record Attachment(int[] firstPage, int[] pages, long[] dma, boolean mapped, long maxSegment) {
    }

    private final Kernel kernel;
    private final DmaDevice dev;
    private final boolean useDmaApi;
    private final Map<TtmTt, Attachment> attached = new IdentityHashMap<>();

    /**
     * @param useDmaApi whether the virtio device goes through the DMA API (false: the host is handed
     *                  physical addresses, {@code sg_phys()})
     */
    VirtioGpu(final Kernel kernel, final DmaDevice dev, final boolean useDmaApi) {
        this.kernel = kernel;
        this.dev = dev;
        this.useDmaApi = useDmaApi;
    }

    /** {@code virtio_gpu_ttm_tt_create()}: plain cached pages; the driver maps them itself at bind. */
    @Override
    public TtmTt ttmTtCreate(final TtmBufferObject bo, final int pageFlags) {
        return DriverBo.createPhysTt(bo, pageFlags, Caching.CACHED);
    }

    @Override
    public TtmPlacement evictFlags(final TtmBufferObject bo) {
        return SYS;
    }

    /** SYSTEM ↔ TT are binds and unbinds of the same pages; there is no VRAM to copy to. */
    @Override
    public int move(final TtmBufferObject bo, final boolean evict, final OperationCtx ctx, final TtmResource newMem,
            final TtmPlace[] hop) {
        final TtmResource old = bo.resource();
        if (old != null && old.memType() == TtmPlace.PL_TT && bo.ttm() != null) {
            detach(bo.ttm());
        }
        TtmBoUtil.moveNull(bo, newMem);
        if (newMem.memType() == TtmPlace.PL_TT && bo.ttm() != null && bo.ttm().isPopulated()) {
            attach(bo);
        }
        return Errno.OK;
    }

    /** {@code ttm_tt_unbind()} before the pages go: the scatterlist is unmapped. */
    @Override
    public void ttmTtUnpopulate(final TtmDevice bdev, final TtmTt ttm) {
        detach(ttm);
        TtmDeviceFuncs.super.ttmTtUnpopulate(bdev, ttm);
    }

    /** The segment limit the driver applies on this release. */
    long maxSegment() {
        if (!kernel.release().has(Change.VIRTIO_GPU_MAX_SEGMENT)) {
            return SCATTERLIST_MAX_SEGMENT;
        }
        long max = Math.min(kernel.dma().maxMappingSize(dev) & ~(Pte.PAGE_SIZE - 1), SCATTERLIST_MAX_SEGMENT);
        if (dev.maxSegmentBytes() > 0) {
            max = Math.min(max, dev.maxSegmentBytes());
        }
        return max;
    }

    /** {@code virtio_gpu_object_attach()}: scatterlist, {@code dma_map_sg()}, backing to the host. */
    private void attach(final TtmBufferObject bo) {
        final TtmTt tt = bo.ttm();
        detach(tt);
        final long[] pfns = tt.pages();
        final long max = maxSegment();
        final int[] first = new int[pfns.length];
        final int[] count = new int[pfns.length];
        int n = 0;
        for (int i = 0; i < pfns.length; i++) {
            final boolean joins = n > 0 && pfns[i] == pfns[i - 1] + 1
                    && ((long) count[n - 1] + 1) * Pte.PAGE_SIZE <= max;
            if (joins) {
                count[n - 1]++;
            } else {
                first[n] = i;
                count[n] = 1;
                n++;
            }
        }
        final long[] dma = new long[n];
        boolean mapped = true;
        for (int s = 0; s < n; s++) {
            final long pa = pfns[first[s]] << Pte.PAGE_SHIFT;
            final int len = count[s] << Pte.PAGE_SHIFT;
            dma[s] = useDmaApi ? kernel.dma().mapPage(dev, pa, len, DmaDirection.TO_DEVICE) : pa;
            if (dma[s] == DmaDirect.DMA_MAPPING_ERROR) {
                for (int u = 0; u < s; u++) {
                    kernel.dma().unmapPage(dev, dma[u], DmaDirection.TO_DEVICE);
                }
                mapped = false;
                break;
            }
        }
        final Attachment a = new Attachment(java.util.Arrays.copyOf(first, n), java.util.Arrays.copyOf(count, n),
                dma, mapped, max);
        attached.put(tt, a);
        kernel.machine().bus().emit(EventKind.DMA_MAP, pfns.length > 0 ? pfns[0] : -1, null, mapped
                ? String.format("virtio_gpu_object_attach %s: %d segment(s), largest %d bytes (max segment %d)%s",
                        bo.name(), n, largest(a), max, useDmaApi ? ", dma_map_sg" : ", physical addresses")
                : String.format("virtio_gpu_object_attach %s: dma_map_sg of %d segment(s) failed and returned 0:"
                        + " the host gets no backing", bo.name(), n));
    }

    private void detach(final TtmTt tt) {
        final Attachment a = attached.remove(tt);
        if (a == null || !a.mapped() || !useDmaApi) {
            return;
        }
        for (final long d : a.dma()) {
            kernel.dma().unmapPage(dev, d, DmaDirection.TO_DEVICE);
        }
    }

    @Override
    public long busAddress(final TtmBufferObject bo, final long page) {
        final Attachment a = attached.get(bo.ttm());
        if (a == null || !a.mapped()) {
            return DmaDirect.DMA_MAPPING_ERROR;
        }
        for (int s = 0; s < a.dma().length; s++) {
            if (page >= a.firstPage()[s] && page < a.firstPage()[s] + a.pages()[s]) {
                return a.dma()[s] + ((page - a.firstPage()[s]) << Pte.PAGE_SHIFT);
            }
        }
        return DmaDirect.DMA_MAPPING_ERROR;
    }

    /** {@code virtio_gpu_cmd_transfer_to_host_*()}: {@code dma_sync_sg_for_device()} before the host reads. */
    @Override
    public void beforeDeviceRead(final TtmBufferObject bo) {
        final Attachment a = attached.get(bo.ttm());
        if (a == null || !a.mapped() || !useDmaApi) {
            return;
        }
        for (final long d : a.dma()) {
            kernel.dma().sync(d, true);
        }
    }

    @Override
    public Map<String, Object> describe(final TtmBufferObject bo) {
        final Attachment a = attached.get(bo.ttm());
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("addresses", useDmaApi ? "dma" : "physical");
        m.put("segments", a == null || !a.mapped() ? 0L : (long) a.dma().length);
        m.put("largest", a == null || !a.mapped() ? 0L : largest(a));
        m.put("max_segment", maxSegment());
        return m;
    }

    private static long largest(final Attachment a) {
        long max = 0;
        for (final int p : a.pages()) {
            max = Math.max(max, (long) p << Pte.PAGE_SHIFT);
        }
        return max;
    }
}
