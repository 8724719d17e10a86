package org.ttmsim.sim;

import java.util.Arrays;
import org.ttmsim.dma.DmaDirect;
import org.ttmsim.hw.DeviceDma;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.MemoryController;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.Vma;
import org.ttmsim.scenario.Data;
import org.ttmsim.scenario.Step;
import org.ttmsim.ttm.TtmBo;
import org.ttmsim.ttm.TtmBoKmap;
import org.ttmsim.ttm.TtmBoUtil;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmResource;

/**
 * The agents' accesses to buffer contents: the user's CPU through a mapping, the kernel through
 * {@code ttm_bo_kmap}, the device by DMA to the current backing, and the host's raw view. Writes
 * update the oracle; reads are judged against it (the host's view is not judged: it is meant to see
 * ciphertext). The host's view is DRAM with the plaintext lines still dirty in the CPU caches written
 * back, as a hypervisor sees memory after a world switch that flushes (WBINVD).
 */
final class Accesses {
    private final World world;
    private final DeviceDma device;

    Accesses(final World world) {
        this.world = world;
        this.device = new DeviceDma(world.machine());
    }

    StepResult execute(final Step step) {
        if (step instanceof Step.CpuRead s) {
            return cpu(s, s.map(), s.offset(), new byte[s.length()], false, s.expect());
        }
        if (step instanceof Step.CpuWrite s) {
            return cpu(s, s.map(), s.offset(), s.data().bytes(), true, null);
        }
        if (step instanceof Step.PageRead s) {
            return pages(s, s.alloc(), s.offset(), new byte[s.length()], false, s.expect());
        }
        if (step instanceof Step.PageWrite s) {
            return pages(s, s.alloc(), s.offset(), s.data().bytes(), true, null);
        }
        final Step.OnBo onBo = (Step.OnBo) step;
        final TtmBufferObject bo = world.bos().get(onBo.bo());
        if (bo == null) {
            return StepExecutor.done(step, Errno.ENOENT, onBo.bo() + " does not exist");
        }
        if (step instanceof Step.KmapRead s) {
            return kmap(s, bo, s.offset(), new byte[s.length()], false, s.expect());
        }
        if (step instanceof Step.KmapWrite s) {
            return kmap(s, bo, s.offset(), s.data().bytes(), true, null);
        }
        if (step instanceof Step.DeviceRead s) {
            return device(s, bo, s.offset(), new byte[s.length()], false, s.expect());
        }
        if (step instanceof Step.DeviceWrite s) {
            return device(s, bo, s.offset(), s.data().bytes(), true, null);
        }
        if (step instanceof Step.HostWrite s) {
            return hostWrite(s, bo);
        }
        final Step.HostRead s = (Step.HostRead) step;
        return hostRead(s, bo);
    }

    private StepResult cpu(final Step step, final String map, final long offset, final byte[] buf,
            final boolean write, final Data expect) {
        final Vma vma = world.maps().get(map);
        if (vma == null) {
            // The mmap failed at run time: the address was never mapped.
            return StepExecutor.done(step, Errno.SIGSEGV, map + " was never mapped");
        }
        final TtmBufferObject bo = (TtmBufferObject) vma.privateData();
        final String boName = world.name(bo);
        final int r = world.kernel().cpuAccess().access(vma.mm(), vma.start() + offset, buf, 0, buf.length, write,
                null);
        return finish(step, r, boName, offset, buf, write, expect, true, "user " + vma.mm().name() + " via " + map);
    }

    /** The oracle's key for a page user's content (a namespace apart from buffers). */
    static String pagesKey(final String alloc) {
        return "pages:" + alloc;
    }

    /**
     * A plain kernel user's load or store through the direct map, {@code page_address(page) + offset}:
     * whatever attribute the linear map has for the frame now decides the key.
     */
    private StepResult pages(final Step step, final String alloc, final long offset, final byte[] buf,
            final boolean write, final Data expect) {
        final long[] a = world.pageAllocs().get(alloc);
        if (a == null) {
            return StepExecutor.done(step, Errno.ENOENT, alloc + " is not held (never allocated, failed, or freed)");
        }
        final long va = org.ttmsim.mm.DirectMap.va((a[0] << Pte.PAGE_SHIFT) + offset);
        final int r = world.kernel().cpuAccess().access(world.kernel().initMm(), va, buf, 0, buf.length, write, null);
        return finish(step, r, pagesKey(alloc), offset, buf, write, expect, true, "page user " + alloc
                + " via the direct map");
    }

    private StepResult kmap(final Step step, final TtmBufferObject bo, final long offset, final byte[] buf,
            final boolean write, final Data expect) {
        final long first = offset >>> Pte.PAGE_SHIFT;
        final int pages = (int) (((offset + buf.length - 1) >>> Pte.PAGE_SHIFT) - first + 1);
        TtmBo.reserve(bo, false, false, null);
        int r;
        try {
            final TtmBoKmap.KmapObj[] map = new TtmBoKmap.KmapObj[1];
            r = TtmBoKmap.kmap(bo, first, pages, map);
            if (r == Errno.OK) {
                r = kernelAccess(map[0], offset, buf, write);
                TtmBoKmap.kunmap(map[0]);
            }
        } finally {
            TtmBo.unreserve(bo);
        }
        return finish(step, r, world.name(bo), offset, buf, write, expect, true, "kernel map");
    }

    /** Accesses through a kmap page by page (a linear map is contiguous only within a page). */
    private int kernelAccess(final TtmBoKmap.KmapObj map, final long offset, final byte[] buf, final boolean write) {
        int done = 0;
        while (done < buf.length) {
            final long off = offset + done;
            final int n = (int) Math.min(buf.length - done, Pte.PAGE_SIZE - (off & (Pte.PAGE_SIZE - 1)));
            final int r = world.kernel().cpuAccess().access(world.kernel().initMm(), map.va(off), buf, done, n, write,
                    null);
            if (r != Errno.OK) {
                return r;
            }
            done += n;
        }
        return Errno.OK;
    }

    /**
     * The device's DMA to the BO's backing: VRAM directly, a tt through its DMA addresses (which may be
     * SWIOTLB slots). A BO in SYSTEM, or with no backing, is not device-reachable: EFAULT.
     */
    private StepResult device(final Step step, final TtmBufferObject bo, final long offset, final byte[] buf,
            final boolean write, final Data expect) {
        final TtmResource res = bo.resource();
        if (res != null) {
            TtmBoUtil.memIoReserve(bo.bdev(), res); // the driver's io_mem_reserve: where VRAM is on the bus
        }
        if (res == null || res.memType() == TtmPlace.PL_SYSTEM || (!res.busIsIomem() && (bo.ttm() == null
                || !bo.ttm().isPopulated()))) {
            return finish(step, Errno.EFAULT, world.name(bo), offset, buf, write, expect, false, "device");
        }
        if (!write && !res.busIsIomem()) {
            world.driver().addressing().beforeDeviceRead(bo);
        }
        int done = 0;
        int r = Errno.OK;
        while (done < buf.length && r == Errno.OK) {
            final long off = offset + done;
            final long page = off >>> Pte.PAGE_SHIFT;
            final int in = (int) (off & (Pte.PAGE_SIZE - 1));
            final int n = (int) Math.min(buf.length - done, Pte.PAGE_SIZE - in);
            final long bus = busAddress(bo, res, page);
            if (bus == DmaDirect.DMA_MAPPING_ERROR) {
                world.machine().bus().emit(EventKind.DMA_MAP, -1, null, "device: page " + page + " of "
                        + world.name(bo) + " has no DMA mapping: the access fails");
                r = Errno.EIO;
                break;
            }
            if (bus == org.ttmsim.driver.DeviceAddressing.IOMMU_FAULT) {
                world.machine().bus().emit(EventKind.DMA_MAP, world.backingPfn(bo, page), null, "IOMMU: IO page fault:"
                        + " the device used the physical address of page " + page + " of " + world.name(bo)
                        + ", which its DMA domain does not map");
                r = Errno.EIO;
                break;
            }
            final int hw = write ? device.write(bus + in, buf, done, n) : device.read(bus + in, buf, done, n);
            r = hw == MemoryController.GUEST_FATAL ? Errno.EIO : Errno.OK;
            done += n;
        }
        return finish(step, r, world.name(bo), offset, buf, write, expect, false, "device");
    }

    /** VRAM at its bus address; system pages where the driver told the device they are. */
    private long busAddress(final TtmBufferObject bo, final TtmResource res, final long page) {
        if (res.busIsIomem()) {
            return res.busOffset() + (page << Pte.PAGE_SHIFT);
        }
        return world.driver().addressing().busAddress(bo, page);
    }

    private StepResult hostRead(final Step.HostRead s, final TtmBufferObject bo) {
        final byte[] buf = new byte[s.length()];
        for (int done = 0; done < buf.length; ) {
            final long off = s.offset() + done;
            final long pfn = world.backingPfn(bo, off >>> Pte.PAGE_SHIFT);
            final int in = (int) (off & (Pte.PAGE_SIZE - 1));
            final int n = (int) Math.min(buf.length - done, Pte.PAGE_SIZE - in);
            if (pfn < 0) {
                return StepExecutor.done(s, Errno.EFAULT, "page " + (off >>> Pte.PAGE_SHIFT) + " has no backing");
            }
            world.machine().hostReadSnooped((pfn << Pte.PAGE_SHIFT) + in, buf, done, n);
            done += n;
        }
        world.machine().bus().emit(EventKind.HOST_READ, world.backingPfn(bo, s.offset() >>> Pte.PAGE_SHIFT), null,
                "host reads " + buf.length + " raw bytes of " + s.bo() + " at offset " + s.offset());
        final Boolean held = s.expect() == null ? null : Arrays.equals(buf, s.expect().bytes());
        return new StepResult(s.index(), s.op(), "ok", s.expectedResult(), buf, held, "the host's raw view");
    }

    /**
     * {@code host-write}: the host stores raw bytes into the backing frames. Under SEV-SNP (the RMP) and
     * TDX (private memory is not mapped to the host) a store to a private frame is stopped: EPERM, and no
     * byte of the range changes. Under SEV and SME nothing stops it: a private frame then holds bytes the
     * guest will decrypt to garbage. The bytes become the buffer's content: the host is an agent.
     */
    private StepResult hostWrite(final Step.HostWrite s, final TtmBufferObject bo) {
        final byte[] buf = s.data().bytes();
        final boolean integrity = world.machine().mode().hasIntegrity();
        for (long page = s.offset() >>> Pte.PAGE_SHIFT; page <= (s.offset() + buf.length - 1) >>> Pte.PAGE_SHIFT;
                page++) {
            final long pfn = world.backingPfn(bo, page);
            if (pfn < 0) {
                return StepExecutor.done(s, Errno.EFAULT, "page " + page + " has no backing");
            }
            if (integrity && world.machine().frameStates().isPrivate(pfn)) {
                return StepExecutor.done(s, Errno.EPERM, String.format("page %d (pfn 0x%x) is guest-private: the %s"
                        + " stops the host's write", page, pfn, world.machine().mode().id().equals("tdx")
                        ? "TDX module" : "RMP check"));
            }
        }
        for (int done = 0; done < buf.length; ) {
            final long off = s.offset() + done;
            final long pfn = world.backingPfn(bo, off >>> Pte.PAGE_SHIFT);
            final int in = (int) (off & (Pte.PAGE_SIZE - 1));
            final int n = (int) Math.min(buf.length - done, Pte.PAGE_SIZE - in);
            world.machine().hostWrite((pfn << Pte.PAGE_SHIFT) + in, buf, done, n);
            done += n;
        }
        world.machine().bus().emit(EventKind.HOST_WRITE, world.backingPfn(bo, s.offset() >>> Pte.PAGE_SHIFT), null,
                "host writes " + buf.length + " raw bytes into " + s.bo() + " at offset " + s.offset());
        world.oracle().write(world.name(bo), s.offset(), buf);
        return StepExecutor.done(s, Errno.OK, "host wrote " + buf.length + " raw bytes");
    }

    private StepResult finish(final Step step, final int r, final String boName, final long offset, final byte[] buf,
            final boolean write, final Data expect, final boolean cpu, final String how) {
        if (r != Errno.OK) {
            return StepExecutor.done(step, r, how + ": " + Errno.name(r));
        }
        if (write) {
            world.oracle().write(boName, offset, buf);
            return StepExecutor.done(step, r, how + " wrote " + buf.length + " bytes");
        }
        if (cpu) {
            world.cpuGarbage().judge(step.index(), boName, offset, buf, how);
        } else {
            world.deviceGarbage().judge(step.index(), boName, offset, buf, how);
        }
        final Boolean held = expect == null ? null : Arrays.equals(buf, expect.bytes());
        return new StepResult(step.index(), step.op(), "ok", step.expectedResult(), buf, held, how + " read "
                + buf.length + " bytes");
    }
}
