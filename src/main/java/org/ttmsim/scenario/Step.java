package org.ttmsim.scenario;

import java.util.List;
import java.util.Objects;

/**
 * One step of a scenario: an operation of docs/SCENARIOS.md's table with its arguments, defaults filled in.
 *
 * <p>Every step has a {@link Meta} (1-based index, expected {@code result:} and source position);
 * {@link #op()} is the YAML key that names the operation. Offsets and lengths are in bytes and have
 * been checked against the size of the BO they reach.
 */
public sealed interface Step {

    /**
     * What every step carries besides its arguments.
     *
     * @param index          1-based position in {@code steps:}
     * @param expectedResult {@code ok} or an errno/signal name from {@code result:}; null when not given
     * @param pos            where the step starts in the file
     */
    record Meta(int index, String expectedResult, SourcePos pos) {
        public Meta {
            if (index < 1) {
                throw new IllegalArgumentException("step index is 1-based, got " + index);
            }
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** Index, expected result and position. */
    Meta meta();

    /** The operation's YAML key, e.g. {@code cpu-read}. */
    String op();

    /** 1-based position in {@code steps:}. */
    default int index() {
        return meta().index();
    }

    /** {@code ok} or an errno/signal name; null when the step has no {@code result:}. */
    default String expectedResult() {
        return meta().expectedResult();
    }

    /** Where the step starts in the file. */
    default SourcePos pos() {
        return meta().pos();
    }

    /** A step that names a buffer object. */
    sealed interface OnBo extends Step {
        String bo();
    }

    /** A step that names a user mapping made by {@code mmap ... as:}. */
    sealed interface OnMap extends Step {
        String map();
    }

    /** A read of {@code length} bytes at {@code offset}, optionally checked against {@code expect}. */
    sealed interface Read extends Step {
        long offset();

        long length();

        /** The bytes the read must return, or null when not checked. */
        Data expect();
    }

    /** A write of {@code data} at {@code offset}. */
    sealed interface Write extends Step {
        long offset();

        Data data();
    }

    /** Models ttm_bo_init_reserved() followed by ttm_bo_validate(), drivers/gpu/drm/ttm/ttm_bo.c. */
    record Create(Meta meta, String bo, long size, List<PlaceSpec> placement, String caching, String type,
                  int priority) implements OnBo {
        public static final String DEFAULT_CACHING = "cached";
        public static final String DEFAULT_TYPE = "device";
        public static final int DEFAULT_PRIORITY = 0;

        public Create {
            placement = List.copyOf(placement);
        }

        @Override
        public String op() {
            return "create";
        }
    }

    /** Models ttm_bo_validate(): may move, evict others, multihop; an empty placement guts the BO. */
    record Validate(Meta meta, String bo, List<PlaceSpec> placement) implements OnBo {
        public Validate {
            placement = List.copyOf(placement);
        }

        @Override
        public String op() {
            return "validate";
        }
    }

    /** Eviction through the driver's evict_flags. */
    record Evict(Meta meta, String bo) implements OnBo {
        @Override
        public String op() {
            return "evict";
        }
    }

    /** Models ttm_bo_pin(). */
    record Pin(Meta meta, String bo) implements OnBo {
        @Override
        public String op() {
            return "pin";
        }
    }

    /** Models ttm_bo_unpin(). */
    record Unpin(Meta meta, String bo) implements OnBo {
        @Override
        public String op() {
            return "unpin";
        }
    }

    /** Models ttm_tt_swapout(); the next populate swaps in. */
    record Swapout(Meta meta, String bo) implements OnBo {
        @Override
        public String op() {
            return "swapout";
        }
    }

    /** The last reference to the BO dropped. */
    record Destroy(Meta meta, String bo) implements OnBo {
        @Override
        public String op() {
            return "destroy";
        }
    }

    /**
     * drm mmap of the BO's offset by {@code process}, naming the mapping {@code as}; private and
     * writable together is EINVAL at run time.
     */
    record Mmap(Meta meta, String bo, String as, String process, boolean isPrivate, String prot) implements OnBo {
        public static final String DEFAULT_PROCESS = "p1";
        public static final boolean DEFAULT_PRIVATE = false;
        public static final String DEFAULT_PROT = "rw";

        @Override
        public String op() {
            return "mmap";
        }
    }

    /** munmap of a whole mapping. */
    record Munmap(Meta meta, String map) implements OnMap {
        @Override
        public String op() {
            return "munmap";
        }
    }

    /** mprotect of a whole mapping to {@code rw} or {@code ro}. */
    record Mprotect(Meta meta, String map, String prot) implements OnMap {
        @Override
        public String op() {
            return "mprotect";
        }
    }

    /** A user read through the page tables; faults as needed. */
    record CpuRead(Meta meta, String map, long offset, long length, Data expect) implements OnMap, Read {
        @Override
        public String op() {
            return "cpu-read";
        }
    }

    /** A user write through the page tables; faults as needed. */
    record CpuWrite(Meta meta, String map, long offset, Data data) implements OnMap, Write {
        @Override
        public String op() {
            return "cpu-write";
        }
    }

    /** A kernel read via ttm_bo_kmap() of the pages it touches. */
    record KmapRead(Meta meta, String bo, long offset, long length, Data expect) implements OnBo, Read {
        @Override
        public String op() {
            return "kmap-read";
        }
    }

    /** A kernel write via ttm_bo_kmap() of the pages it touches. */
    record KmapWrite(Meta meta, String bo, long offset, Data data) implements OnBo, Write {
        @Override
        public String op() {
            return "kmap-write";
        }
    }

    /**
     * A kernel read via ttm_bo_vmap() of the whole buffer (drm_gem_ttm_vmap(): fbdev emulation, dma-buf
     * vmap); before v5.11, the driver's ttm_bo_kmap() of every page.
     */
    record VmapRead(Meta meta, String bo, long offset, long length, Data expect) implements OnBo, Read {
        @Override
        public String op() {
            return "vmap-read";
        }
    }

    /** A kernel write via ttm_bo_vmap() of the whole buffer; before v5.11, ttm_bo_kmap() of every page. */
    record VmapWrite(Meta meta, String bo, long offset, Data data) implements OnBo, Write {
        @Override
        public String op() {
            return "vmap-write";
        }
    }

    /** A device DMA read from the BO's current backing. */
    record DeviceRead(Meta meta, String bo, long offset, long length, Data expect) implements OnBo, Read {
        @Override
        public String op() {
            return "device-read";
        }
    }

    /** A device DMA write to the BO's current backing. */
    record DeviceWrite(Meta meta, String bo, long offset, Data data) implements OnBo, Write {
        @Override
        public String op() {
            return "device-write";
        }
    }

    /** The raw bytes the host/hypervisor sees in the BO's backing frames. */
    record HostRead(Meta meta, String bo, long offset, long length, Data expect) implements OnBo, Read {
        @Override
        public String op() {
            return "host-read";
        }
    }

    /**
     * The host/hypervisor (or a device model) writes raw bytes into the BO's backing frames; SEV-SNP and
     * TDX stop a write to a private frame (EPERM, nothing changes).
     */
    record HostWrite(Meta meta, String bo, long offset, Data data) implements OnBo, Write {
        @Override
        public String op() {
            return "host-write";
        }
    }

    /** A step that names a page-allocator allocation made by {@code page-alloc ... as:}. */
    sealed interface OnPages extends Step {
        String alloc();
    }

    /**
     * A plain kernel user takes {@code pages} pages (a power of two) from the page allocator:
     * {@code alloc_pages(GFP_KERNEL, order)}, mm/page_alloc.c. It means them to be private memory.
     */
    record PageAlloc(Meta meta, String alloc, int pages) implements OnPages {
        public static final int DEFAULT_PAGES = 1;

        @Override
        public String op() {
            return "page-alloc";
        }
    }

    /** The page user stores through the direct map ({@code page_address()}). */
    record PageWrite(Meta meta, String alloc, long offset, Data data) implements OnPages, Write {
        @Override
        public String op() {
            return "page-write";
        }
    }

    /** The page user loads through the direct map ({@code page_address()}). */
    record PageRead(Meta meta, String alloc, long offset, long length, Data expect) implements OnPages, Read {
        @Override
        public String op() {
            return "page-read";
        }
    }

    /** The page user returns its pages: {@code __free_pages()}. */
    record PageFree(Meta meta, String alloc) implements OnPages {
        @Override
        public String op() {
            return "page-free";
        }
    }

    /** The pool shrinker returns up to {@code pages} pages to the system. */
    record PoolShrink(Meta meta, long pages) implements Step {
        @Override
        public String op() {
            return "pool-shrink";
        }
    }
}
