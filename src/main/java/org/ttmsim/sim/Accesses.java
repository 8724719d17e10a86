package org.ttmsim.sim;

import org.ttmsim.check.ReadJudge;
import org.ttmsim.dma.DmaDirect;
import org.ttmsim.hw.DeviceDma;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.MemoryController;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.scenario.Data;
import org.ttmsim.scenario.Step;
import org.ttmsim.ttm.TtmBo;
import org.ttmsim.ttm.TtmBoKmap;
import org.ttmsim.ttm.TtmBoVmap;
import org.ttmsim.ttm.TtmBoUtil;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmResource;

/**
 * The agents' accesses to buffer contents: the user's CPU through a mapping, the kernel through
 * {@code ttm_bo_kmap} of the pages touched or {@code ttm_bo_vmap} of the whole buffer, the device by DMA to the current backing, and the host's raw view. Writes
 * update the oracle; reads are judged against it (the host's view is not judged: it is meant to see
 * ciphertext). The host's view is DRAM with the plaintext lines still dirty in the CPU caches written
 * back, as a hypervisor sees memory after a world switch that flushes (WBINVD).
 *
 * <p>Every access streams a page at a time through one page-sized buffer, as the hardware moves it: a
 * write takes each page's bytes from the step's {@link Data} (a fill is never spelled out), a read judges
 * each page and compares it with {@code expect:} as it arrives, and keeps only the first
 * {@link Context#readBytesKept} bytes for the result. So memory and time grow with the bytes an access
 * moves, and nothing else bounds it but its buffer. An access is split where a page ends, the pieces
 * the CPU, the kernel map and the device take one by one anyway.
 */
final class Accesses {
    private final World world;
    private final DeviceDma device;
    /** The page of the step's data being moved. */
    private final byte[] page = new byte[(int) Pte.PAGE_SIZE];

    Accesses(final World world) {
        this.world = world;
        this.device = new DeviceDma(world.machine());
    }

    /** One agent's access to the page-sized piece at {@code off} (bytes into the target); an errno. */
    @FunctionalInterface
    private interface Piece {
        int access(long off, byte[] buf, int n);
    }

    /** What one access moves: a write's data, or a read's length and {@code expect:}. */
    private record Span(long offset, long length, Data data, Data expect, boolean write) {
        static Span read(final Step.Read s) {
            return new Span(s.offset(), s.length(), null, s.expect(), false);
        }

        static Span write(final Step.Write s) {
            return new Span(s.offset(), s.data().length(), s.data(), null, true);
        }
    }

    StepResult execute(final Step step) {
        if (step instanceof Step.CpuRead s) {
            return cpu(s, s.map(), Span.read(s));
        }
        if (step instanceof Step.CpuWrite s) {
            return cpu(s, s.map(), Span.write(s));
        }
        if (step instanceof Step.PageRead s) {
            return pages(s, s.alloc(), Span.read(s));
        }
        if (step instanceof Step.PageWrite s) {
            return pages(s, s.alloc(), Span.write(s));
        }
        final Step.OnBo onBo = (Step.OnBo) step;
        final TtmBufferObject bo = world.bos().get(onBo.bo());
        if (bo == null) {
            return StepExecutor.done(step, Errno.ENOENT, onBo.bo() + " does not exist");
        }
        if (step instanceof Step.KmapRead s) {
            return kmap(s, bo, Span.read(s));
        }
        if (step instanceof Step.KmapWrite s) {
            return kmap(s, bo, Span.write(s));
        }
        if (step instanceof Step.VmapRead s) {
            return vmap(s, bo, Span.read(s));
        }
        if (step instanceof Step.VmapWrite s) {
            return vmap(s, bo, Span.write(s));
        }
        if (step instanceof Step.DeviceRead s) {
            return device(s, bo, Span.read(s));
        }
        if (step instanceof Step.DeviceWrite s) {
            return device(s, bo, Span.write(s));
        }
        if (step instanceof Step.HostWrite s) {
            return hostWrite(s, bo);
        }
        return hostRead((Step.HostRead) step, bo);
    }

    private StepResult cpu(final Step step, final String map, final Span span) {
        final Vma vma = world.maps().get(map);
        if (vma == null) {
            // The mmap failed at run time: the address was never mapped.
            return StepExecutor.done(step, Errno.SIGSEGV, map + " was never mapped");
        }
        final TtmBufferObject bo = (TtmBufferObject) vma.privateData();
        final MmStruct mm = vma.mm();
        final long start = vma.start();
        return access(step, span, world.name(bo), true, "user " + mm.name() + " via " + map,
                (off, buf, n) -> world.kernel().cpuAccess().access(mm, start + off, buf, 0, n, span.write(), null));
    }

    /** The oracle's key for a page user's content (a namespace apart from buffers). */
    static String pagesKey(final String alloc) {
        return "pages:" + alloc;
    }

    /**
     * A plain kernel user's load or store through the direct map, {@code page_address(page) + offset}:
     * whatever attribute the linear map has for the frame now decides the key.
     */
    private StepResult pages(final Step step, final String alloc, final Span span) {
        final long[] a = world.pageAllocs().get(alloc);
        if (a == null) {
            return StepExecutor.done(step, Errno.ENOENT, alloc + " is not held (never allocated, failed, or freed)");
        }
        final long base = a[0] << Pte.PAGE_SHIFT;
        final MmStruct initMm = world.kernel().initMm();
        return access(step, span, pagesKey(alloc), true, "page user " + alloc + " via the direct map",
                (off, buf, n) -> world.kernel().cpuAccess().access(initMm, org.ttmsim.mm.DirectMap.va(base + off), buf, 0,
                        n, span.write(), null));
    }

    /** {@code ttm_bo_kmap()} of the pages the access covers, the access through it, then {@code kunmap}. */
    private StepResult kmap(final Step step, final TtmBufferObject bo, final Span span) {
        final long first = span.offset() >>> Pte.PAGE_SHIFT;
        final int pages = (int) (((span.offset() + span.length() - 1) >>> Pte.PAGE_SHIFT) - first + 1);
        final MmStruct initMm = world.kernel().initMm();
        final Streamed streamed;
        TtmBo.reserve(bo, false, false, null);
        try {
            final TtmBoKmap.KmapObj[] map = new TtmBoKmap.KmapObj[1];
            final int r = TtmBoKmap.kmap(bo, first, pages, map);
            if (r != Errno.OK) {
                return StepExecutor.done(step, r, "kernel map: " + Errno.name(r));
            }
            // A linear map is contiguous only within a page: each piece is one page's.
            streamed = stream(step, span, world.name(bo), true, "kernel map", (off, buf, n) ->
                    world.kernel().cpuAccess().access(initMm, map[0].va(off), buf, 0, n, span.write(), null));
            TtmBoKmap.kunmap(map[0]);
        } finally {
            TtmBo.unreserve(bo);
        }
        return streamed.finish();
    }

    /**
     * {@code ttm_bo_vmap()} of the whole buffer (as {@code drm_gem_ttm_vmap()} gives fbdev emulation and
     * dma-buf vmap; before v5.11 the driver's {@code ttm_bo_kmap(bo, 0, num_pages)}), the access through
     * it, then {@code ttm_bo_vunmap()}. The map covers every page however few the access touches.
     */
    private StepResult vmap(final Step step, final TtmBufferObject bo, final Span span) {
        final MmStruct initMm = world.kernel().initMm();
        final Streamed streamed;
        TtmBo.reserve(bo, false, false, null);
        try {
            final TtmBoKmap.KmapObj[] map = new TtmBoKmap.KmapObj[1];
            final int r = TtmBoVmap.vmap(bo, map);
            if (r != Errno.OK) {
                return StepExecutor.done(step, r, "kernel vmap: " + Errno.name(r));
            }
            streamed = stream(step, span, world.name(bo), true, "kernel vmap", (off, buf, n) ->
                    world.kernel().cpuAccess().access(initMm, map[0].va(off), buf, 0, n, span.write(), null));
            TtmBoVmap.vunmap(map[0]);
        } finally {
            TtmBo.unreserve(bo);
        }
        return streamed.finish();
    }

    /**
     * The device's DMA to the BO's backing: VRAM directly, a tt through its DMA addresses (which may be
     * SWIOTLB slots). A BO in SYSTEM, or with no backing, is not device-reachable: EFAULT.
     */
    private StepResult device(final Step step, final TtmBufferObject bo, final Span span) {
        final TtmResource res = bo.resource();
        if (res != null) {
            TtmBoUtil.memIoReserve(bo.bdev(), res); // the driver's io_mem_reserve: where VRAM is on the bus
        }
        if (res == null || res.memType() == TtmPlace.PL_SYSTEM || (!res.busIsIomem() && (bo.ttm() == null
                || !bo.ttm().isPopulated()))) {
            return StepExecutor.done(step, Errno.EFAULT, "device: " + Errno.name(Errno.EFAULT));
        }
        if (!span.write() && !res.busIsIomem()) {
            world.driver().addressing().beforeDeviceRead(bo);
        }
        return access(step, span, world.name(bo), false, "device", (off, buf, n) -> {
            final long page = off >>> Pte.PAGE_SHIFT;
            final long bus = busAddress(bo, res, page);
            if (bus == DmaDirect.DMA_MAPPING_ERROR) {
                world.machine().bus().emit(EventKind.DMA_MAP, -1, null, "device: page " + page + " of "
                        + world.name(bo) + " has no DMA mapping: the access fails");
                return Errno.EIO;
            }
            if (bus == org.ttmsim.driver.DeviceAddressing.IOMMU_FAULT) {
                world.machine().bus().emit(EventKind.DMA_MAP, world.backingPfn(bo, page), null, "IOMMU: IO page fault:"
                        + " the device used the physical address of page " + page + " of " + world.name(bo)
                        + ", which its DMA domain does not map");
                return Errno.EIO;
            }
            final int in = (int) (off & (Pte.PAGE_SIZE - 1));
            final int hw = span.write() ? device.write(bus + in, buf, 0, n) : device.read(bus + in, buf, 0, n);
            return hw == MemoryController.GUEST_FATAL ? Errno.EIO : Errno.OK;
        });
    }

    /** VRAM at its bus address; system pages where the driver told the device they are. */
    private long busAddress(final TtmBufferObject bo, final TtmResource res, final long page) {
        if (res.busIsIomem()) {
            return res.busOffset() + (page << Pte.PAGE_SHIFT);
        }
        return world.driver().addressing().busAddress(bo, page);
    }

    /** {@code host-read}: the raw bytes of the backing frames, page by page; not judged. */
    private StepResult hostRead(final Step.HostRead s, final TtmBufferObject bo) {
        final Streamed streamed = stream(s, Span.read(s), null, true, "the host's raw view", (off, buf, n) -> {
            final long pfn = world.backingPfn(bo, off >>> Pte.PAGE_SHIFT);
            if (pfn < 0) {
                return Errno.EFAULT;
            }
            world.machine().hostReadSnooped((pfn << Pte.PAGE_SHIFT) + (off & (Pte.PAGE_SIZE - 1)), buf, 0, n);
            return Errno.OK;
        });
        if (streamed.errno != Errno.OK) {
            return StepExecutor.done(s, streamed.errno, "page " + (streamed.failedAt >>> Pte.PAGE_SHIFT)
                    + " has no backing");
        }
        world.machine().bus().emit(EventKind.HOST_READ, world.backingPfn(bo, s.offset() >>> Pte.PAGE_SHIFT), null,
                "host reads " + s.length() + " raw bytes of " + s.bo() + " at offset " + s.offset());
        return new StepResult(s.index(), s.op(), "ok", s.expectedResult(), streamed.kept, streamed.held(),
                "the host's raw view", s.length(), null);
    }

    /**
     * {@code host-write}: the host stores raw bytes into the backing frames. Under SEV-SNP (the RMP) and
     * TDX (private memory is not mapped to the host) a store to a private frame is stopped: EPERM, and no
     * byte of the range changes. Under SEV and SME nothing stops it: a private frame then holds bytes the
     * guest will decrypt to garbage. The bytes become the buffer's content: the host is an agent.
     */
    private StepResult hostWrite(final Step.HostWrite s, final TtmBufferObject bo) {
        final Data data = s.data();
        final boolean integrity = world.machine().mode().hasIntegrity();
        for (long page = s.offset() >>> Pte.PAGE_SHIFT; page <= (s.offset() + data.length() - 1) >>> Pte.PAGE_SHIFT;
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
        stream(s, Span.write(s), null, true, "host", (off, buf, n) -> {
            final long pfn = world.backingPfn(bo, off >>> Pte.PAGE_SHIFT);
            world.machine().hostWrite((pfn << Pte.PAGE_SHIFT) + (off & (Pte.PAGE_SIZE - 1)), buf, 0, n);
            return Errno.OK;
        });
        world.machine().bus().emit(EventKind.HOST_WRITE, world.backingPfn(bo, s.offset() >>> Pte.PAGE_SHIFT), null,
                "host writes " + data.length() + " raw bytes into " + s.bo() + " at offset " + s.offset());
        remember(world.name(bo), s.offset(), data);
        return StepExecutor.done(s, Errno.OK, "host wrote " + data.length() + " raw bytes");
    }

    /** The oracle learns {@code data} as {@code key}'s content at {@code offset}, a page at a time (judged runs). */
    private void remember(final String key, final long offset, final Data data) {
        if (!world.judging()) {
            return;
        }
        final byte[] buf = page;
        for (long done = 0; done < data.length(); ) {
            final int n = (int) Math.min(data.length() - done, Pte.PAGE_SIZE);
            data.copyTo(done, buf, 0, n);
            world.oracle().write(key, offset + done, buf, 0, n);
            done += n;
        }
    }

    /** A judged access: streamed, then its result (the oracle learns a write that succeeded). */
    private StepResult access(final Step step, final Span span, final String key, final boolean cpu,
            final String how, final Piece piece) {
        return stream(step, span, key, cpu, how, piece).finish();
    }

    /**
     * Moves the span a page-sized piece at a time. A write copies each piece's bytes from the data into the
     * page buffer first; a read hands each piece to the judge (when {@code key} is not null and the run is
     * judged), to the {@code expect:} comparison and to the bytes kept. Stops at the first piece that fails.
     */
    private Streamed stream(final Step step, final Span span, final String key, final boolean cpu, final String how,
            final Piece piece) {
        final Streamed st = new Streamed(step, span, key, how, !span.write() && key != null && world.judging()
                ? (cpu ? world.cpuGarbage() : world.deviceGarbage()).begin(step.index(), key, span.offset(), how)
                : null);
        final byte[] buf = page;
        long done = 0;
        while (done < span.length()) {
            final long off = span.offset() + done;
            final int n = (int) Math.min(span.length() - done, Pte.PAGE_SIZE - (off & (Pte.PAGE_SIZE - 1)));
            if (span.write()) {
                span.data().copyTo(done, buf, 0, n);
            }
            final int r = piece.access(off, buf, n);
            if (r != Errno.OK) {
                st.errno = r;
                st.failedAt = off;
                return st;
            }
            if (!span.write()) {
                st.read(done, buf, n);
            }
            done += n;
        }
        return st;
    }

    /** What a streamed access did so far: its errno, the bytes kept, whether {@code expect:} still holds. */
    private final class Streamed {
        private final Step step;
        private final Span span;
        private final String key;
        private final String how;
        private final ReadJudge.Read judge;
        private final byte[] kept;
        private boolean matches = true;
        private int errno = Errno.OK;
        private long failedAt = -1;

        Streamed(final Step step, final Span span, final String key, final String how, final ReadJudge.Read judge) {
            this.step = step;
            this.span = span;
            this.key = key;
            this.how = how;
            this.judge = judge;
            this.kept = span.write() ? null : new byte[(int) Math.min(span.length(), world.context().readBytesKept())];
        }

        void read(final long done, final byte[] buf, final int n) {
            if (judge != null) {
                judge.piece(span.offset() + done, buf, 0, n);
            }
            if (span.expect() != null && matches) {
                matches = span.expect().matches(done, buf, 0, n);
            }
            if (done < kept.length) {
                System.arraycopy(buf, 0, kept, (int) done, (int) Math.min(n, kept.length - done));
            }
        }

        Boolean held() {
            return span.expect() == null ? null : matches;
        }

        /** The step's result: an errno, or what was written or read (a read's judgement goes in now). */
        StepResult finish() {
            if (errno != Errno.OK) {
                return StepExecutor.done(step, errno, how + ": " + Errno.name(errno));
            }
            if (span.write()) {
                remember(key, span.offset(), span.data());
                return StepExecutor.done(step, errno, how + " wrote " + span.length() + " bytes");
            }
            if (judge != null) {
                judge.finish();
            }
            return new StepResult(step.index(), step.op(), "ok", step.expectedResult(), kept, held(), how + " read "
                    + span.length() + " bytes", span.length(), null);
        }
    }
}
