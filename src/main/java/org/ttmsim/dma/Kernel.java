package org.ttmsim.dma;

import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.CpuAccess;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.Memory;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Mmap;
import org.ttmsim.mm.PageAllocator;
import org.ttmsim.mm.Vmalloc;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.release.Releases;

/**
 * The booted kernel below TTM: mm and the DMA layer wired to one machine, as {@code start_kernel()}
 * leaves them. Physical layout: the kernel image in the first 4 MiB, the SWIOTLB pool (as
 * {@link SwiotlbBoot} sized and found it) right after it
 * (decrypted at boot whenever memory encryption is active, SME hosts included: {@code mem_encrypt_init()}
 * calls {@code swiotlb_update_mem_attributes()} under {@code CC_ATTR_MEM_ENCRYPT}), and the page
 * allocator owning the rest of RAM.
 */
public final class Kernel {
    public static final long KERNEL_IMAGE_BYTES = 4L << 20;
    private final Machine machine;
    private final KernelRelease release;
    private final MmStruct initMm;
    private final PageAllocator pageAllocator;
    private final DirectMap directMap;
    private final Memory memory;
    private final Mmap mmap;
    private final CpuAccess cpuAccess;
    private final Vmalloc vmalloc;
    private final Swiotlb swiotlb;
    private final DmaDirect dma;
    private final SwiotlbBoot swiotlbBoot;
    private int nextAsid = 1;

    /** The newest release the model knows, booted on {@code machine}. */
    public Kernel(final Machine machine) {
        this(machine, Releases.newest());
    }

    /** {@code release} booted on {@code machine}: every layer below TTM asks it what this kernel does. */
    public Kernel(final Machine machine, final KernelRelease release) {
        this.machine = machine;
        this.release = release;
        this.swiotlbBoot = SwiotlbBoot.boot(machine.mode(), release, machine.config().ramBytes(),
                machine.config().swiotlbBytes(), machine.config().lowMemoryBytes());
        final long swiotlbBytes = swiotlbBoot.bytes();
        final long swiotlbBase = KERNEL_IMAGE_BYTES;
        final long firstFree = (swiotlbBase + swiotlbBytes) >>> Pte.PAGE_SHIFT;
        this.initMm = new MmStruct(0, "kernel", 0);
        this.pageAllocator = new PageAllocator(firstFree, machine.config().ramBytes() >>> Pte.PAGE_SHIFT);
        this.memory = new Memory(machine, release);
        this.vmalloc = new Vmalloc(memory, initMm);
        this.directMap = new DirectMap(machine, release, vmalloc);
        this.mmap = new Mmap(memory, release);
        this.cpuAccess = new CpuAccess(memory, directMap, initMm);
        this.swiotlb = new Swiotlb(machine, cpuAccess, initMm, swiotlbBase, swiotlbBytes,
                !release.has(org.ttmsim.release.Change.SWIOTLB_NO_POOL_MAPPING_ERROR));
        if (machine.mode().memEncrypt() && swiotlbBytes > 0) {
            directMap.decryptAtBoot(swiotlbBase >>> Pte.PAGE_SHIFT, swiotlbBytes >>> Pte.PAGE_SHIFT);
        }
        this.dma = new DmaDirect(machine, release, pageAllocator, directMap, swiotlb, cpuAccess, initMm);
    }

    /**
     * Why {@code release} cannot boot as a guest of {@code mode}, or null when it can: SEV-SNP and TDX
     * guest support came in v5.19 ({@link org.ttmsim.release.Change#CC_GUESTS}); SME (v4.14) and SEV
     * (v4.16) predate every release the model knows.
     */
    public static String bootProblem(final org.ttmsim.hw.EncryptionMode mode, final KernelRelease release) {
        if ((mode == org.ttmsim.hw.EncryptionMode.SEV_SNP || mode == org.ttmsim.hw.EncryptionMode.TDX)
                && !release.has(org.ttmsim.release.Change.CC_GUESTS)) {
            return release.id() + " cannot boot as a " + mode.id() + " guest: SEV-SNP and TDX guest support came in "
                    + org.ttmsim.release.Change.CC_GUESTS.since().id();
        }
        return null;
    }

    /** A new user process (mm_struct) running on a CPU of its own, round-robin. */
    public MmStruct newProcess(final String name) {
        final int asid = nextAsid++;
        return new MmStruct(asid, name, asid % machine.tlb().cpus());
    }

    public Machine machine() {
        return machine;
    }

    /** The kernel release this is (docs/SCENARIOS.md, "design and kernel"). */
    public KernelRelease release() {
        return release;
    }

    public MmStruct initMm() {
        return initMm;
    }

    public PageAllocator pageAllocator() {
        return pageAllocator;
    }

    public DirectMap directMap() {
        return directMap;
    }

    public Memory memory() {
        return memory;
    }

    public Mmap mmap() {
        return mmap;
    }

    public CpuAccess cpuAccess() {
        return cpuAccess;
    }

    public Vmalloc vmalloc() {
        return vmalloc;
    }

    public Swiotlb swiotlb() {
        return swiotlb;
    }

    public DmaDirect dma() {
        return dma;
    }

    /** What the boot did about the SWIOTLB pool. */
    public SwiotlbBoot swiotlbBoot() {
        return swiotlbBoot;
    }
}
