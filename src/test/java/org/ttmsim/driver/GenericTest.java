package org.ttmsim.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.mm.VmFlags;
import org.ttmsim.mm.Vma;
import org.ttmsim.ttm.DmaFence;
import org.ttmsim.ttm.DmaResvUsage;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBo;
import org.ttmsim.ttm.TtmBoEvict;
import org.ttmsim.ttm.TtmBoKmap;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;
import org.ttmsim.ttm.TtmDecisions;
import org.ttmsim.ttm.TtmTt;

/** The generic driver on real managers: data survives moves, evictions and swap; mappings are zapped. */
class GenericTest {
    private static final long MIB = 1L << 20;
    private static final long SIZE = 64 * 1024;

    private Kernel kernel;
    private TtmDevice bdev;

    private void boot(final EncryptionMode mode, final long vramBytes, final boolean dmaAlloc,
            final Injection... injections) {
        final TestMachines.Builder machine = TestMachines.machine(mode).vram(vramBytes);
        for (final Injection i : injections) {
            machine.inject(i);
        }
        kernel = new Kernel(machine.build());
        bdev = Generic.createDevice(new TtmGlobal(kernel), new DmaDevice("gpu", 64, false), dmaAlloc,
                TtmDecisions.KERNEL);
    }

    private DriverBo create(final long size, final int memType) {
        final DriverBo bo = new DriverBo(size, Caching.CACHED);
        final int err = TtmBo.initValidate(bdev, bo, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(memType, 0)), 4096, false, null, b -> { });
        assertThat(err).isEqualTo(Errno.OK);
        return bo;
    }

    private int validate(final TtmBufferObject bo, final int memType) {
        TtmBo.reserve(bo, false, false, null);
        final int err = TtmBo.validate(bo, TtmPlacement.of(TtmPlace.of(memType, 0)), new OperationCtx());
        TtmBo.unreserve(bo);
        return err;
    }

    private static byte[] pattern(final long size, final int seed) {
        final byte[] b = new byte[(int) size];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** What the CPU sees of the buffer: tt pages through the linear map, VRAM raw (never encrypted). */
    private byte[] contents(final TtmBufferObject bo) {
        final byte[] out = new byte[(int) bo.size()];
        for (int i = 0; i < bo.numPages(); i++) {
            if (bo.memType() == TtmPlace.PL_VRAM) {
                final long pa = kernel.machine().config().vramBase() + ((bo.resource().start() + i) << 12);
                kernel.machine().hostRead(pa, out, i << 12, 4096);
            } else {
                final long va = DirectMap.va(bo.ttm().pages()[i] << Pte.PAGE_SHIFT);
                kernel.cpuAccess().access(kernel.initMm(), va, out, i << 12, 4096, false, null);
            }
        }
        return out;
    }

    private void fill(final TtmBufferObject bo, final byte[] data) {
        TtmBo.reserve(bo, false, false, null);
        assertThat(TtmBo.populate(bo, new OperationCtx())).isEqualTo(Errno.OK);
        TtmBo.unreserve(bo);
        for (int i = 0; i < bo.numPages(); i++) {
            final long va = DirectMap.va(bo.ttm().pages()[i] << Pte.PAGE_SHIFT);
            kernel.cpuAccess().access(kernel.initMm(), va, data, i << 12, 4096, true, null);
        }
    }

    @Test
    void shouldKeepDataWhenMovingToVramAndBackThroughTt() {
        boot(EncryptionMode.NONE, 256 * MIB, false);
        final DriverBo bo = create(SIZE, TtmPlace.PL_SYSTEM);
        final byte[] data = pattern(SIZE, 7);
        fill(bo, data);

        assertThat(validate(bo, TtmPlace.PL_VRAM)).isEqualTo(Errno.OK);
        assertThat(bo.memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(bo.ttm()).isNull();
        assertThat(contents(bo)).isEqualTo(data);

        assertThat(validate(bo, TtmPlace.PL_SYSTEM)).isEqualTo(Errno.OK);
        assertThat(bo.memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        assertThat(contents(bo)).isEqualTo(data);
        assertThat(bo.ttm().dmaAddress()).as("the KUnit device's tt has no DMA addresses").isNull();
        // create (null move) + SYSTEM->VRAM + VRAM->TT + TT->SYSTEM
        assertThat(kernel.machine().ledger().get(Counter.BYTES_MOVED)).isEqualTo(4 * SIZE);
    }

    @Test
    void shouldEvictOldestVramBufferToSystemWithItsData() {
        boot(EncryptionMode.NONE, MIB, false);
        final DriverBo a = create(512 * 1024, TtmPlace.PL_VRAM);
        final DriverBo b = create(512 * 1024, TtmPlace.PL_VRAM);
        final byte[] data = pattern(512 * 1024, 3);
        final long pa = kernel.machine().config().vramBase() + (a.resource().start() << 12);
        kernel.machine().memory().write(pa, data, 0, data.length);

        final DriverBo c = create(SIZE, TtmPlace.PL_VRAM);

        assertThat(c.memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(a.memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        assertThat(b.memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(contents(a)).isEqualTo(data);
        assertThat(kernel.machine().bus().log()).extracting(Event::kind).contains(EventKind.EVICT);
    }

    @Test
    void shouldPinAgainstEvictionAndFailWhenEverythingIsPinned() {
        boot(EncryptionMode.NONE, MIB, false);
        final DriverBo a = create(MIB, TtmPlace.PL_VRAM);
        TtmBo.reserve(a, false, false, null);
        TtmBo.pin(a);
        TtmBo.unreserve(a);

        final DriverBo b = new DriverBo(SIZE, Caching.CACHED);
        final int err = TtmBo.initValidate(bdev, b, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(TtmPlace.PL_VRAM, 0)), 4096, false, null, x -> { });

        assertThat(err).isEqualTo(Errno.ENOMEM);
        assertThat(a.memType()).isEqualTo(TtmPlace.PL_VRAM);
        assertThat(bdev.unevictable().contains(a.resource())).isTrue();
    }

    private Vma mapFirstPage(final TtmBufferObject bo) {
        final MmStruct mm = kernel.newProcess("p1");
        final long start = mm.getUnmappedArea(bo.size());
        final int flags = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_SHARED;
        final Vma vma = new Vma(mm, start, start + bo.size(), bo.vmaNodeStart(), flags,
                Pgprot.vmGetPageProt(kernel.machine().cc(), flags), bdev.devMapping(), bo, "a");
        mm.insertVma(vma);
        bdev.devMapping().link(vma);
        kernel.memory().vmfInsertPfnProt(vma, start, bo.ttm().pages()[0], vma.vmPageProt());
        return vma;
    }

    @Test
    void shouldZapUserMappingsBeforeAMove() {
        boot(EncryptionMode.NONE, 256 * MIB, false);
        final DriverBo bo = create(SIZE, TtmPlace.PL_SYSTEM);
        fill(bo, pattern(SIZE, 1));
        final Vma vma = mapFirstPage(bo);
        assertThat(Pte.present(vma.mm().pte(vma.start() >>> 12))).isTrue();

        assertThat(validate(bo, TtmPlace.PL_VRAM)).isEqualTo(Errno.OK);

        assertThat(vma.mm().pte(vma.start() >>> 12)).isZero();
    }

    @Test
    void shouldLeaveTheStalePteWhenTheZapIsInjectedAway() {
        boot(EncryptionMode.NONE, 256 * MIB, false, Injection.SKIP_ZAP_ON_MOVE);
        final DriverBo bo = create(SIZE, TtmPlace.PL_SYSTEM);
        fill(bo, pattern(SIZE, 1));
        final Vma vma = mapFirstPage(bo);

        assertThat(validate(bo, TtmPlace.PL_VRAM)).isEqualTo(Errno.OK);

        assertThat(Pte.present(vma.mm().pte(vma.start() >>> 12))).isTrue();
        assertThat(kernel.machine().bus().log()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.INJECT);
            assertThat(e.detail()).contains("skip-zap-on-move").contains("ttm_bo_handle_move_mem");
        });
    }

    @Test
    void shouldMarkTtDecryptedOnlyForADmaPoolInAConfidentialGuest() {
        boot(EncryptionMode.SEV, 256 * MIB, true);
        assertThat(create(SIZE, TtmPlace.PL_TT).ttm().pageFlags() & TtmTt.FLAG_DECRYPTED).isNotZero();
        boot(EncryptionMode.SEV, 256 * MIB, false);
        assertThat(create(SIZE, TtmPlace.PL_TT).ttm().pageFlags() & TtmTt.FLAG_DECRYPTED).isZero();
        boot(EncryptionMode.SME, 256 * MIB, true);
        assertThat(create(SIZE, TtmPlace.PL_TT).ttm().pageFlags() & TtmTt.FLAG_DECRYPTED).isZero();
    }

    @Test
    void shouldLetTheDesignPatchTheTtFlags() {
        boot(EncryptionMode.SEV, 256 * MIB, true);
        bdev.setDecisions(new org.ttmsim.design.Pre2019());

        assertThat(create(SIZE, TtmPlace.PL_TT).ttm().pageFlags() & TtmTt.FLAG_DECRYPTED).isZero();
    }

    @Test
    void shouldReusePooledPagesUntilNoPoolIsInjected() {
        boot(EncryptionMode.SEV, 256 * MIB, true);
        final DriverBo bo = create(SIZE, TtmPlace.PL_TT);
        assertThat(validate(bo, TtmPlace.PL_VRAM)).isEqualTo(Errno.OK);
        assertThat(validate(bo, TtmPlace.PL_TT)).isEqualTo(Errno.OK);
        assertThat(kernel.machine().ledger().get(Counter.POOL_MISSES)).isEqualTo(1);
        assertThat(kernel.machine().ledger().get(Counter.POOL_HITS)).isEqualTo(1);
        final long decrypted = kernel.machine().ledger().get(Counter.PAGES_DECRYPTED);

        boot(EncryptionMode.SEV, 256 * MIB, true, Injection.NO_POOL);
        final DriverBo bo2 = create(SIZE, TtmPlace.PL_TT);
        assertThat(validate(bo2, TtmPlace.PL_VRAM)).isEqualTo(Errno.OK);
        assertThat(validate(bo2, TtmPlace.PL_TT)).isEqualTo(Errno.OK);
        assertThat(kernel.machine().ledger().get(Counter.POOL_MISSES)).isEqualTo(2);
        assertThat(kernel.machine().ledger().get(Counter.PAGES_DECRYPTED)).isEqualTo(2 * decrypted);
        assertThat(kernel.machine().bus().log()).extracting(Event::detail).contains("no-pool at ttm_pool_free");
    }

    @Test
    void shouldPopulateALargeTtWithoutMappingItBecauseTheKunitDeviceHasNoDmaAddresses() {
        boot(EncryptionMode.SEV, 256 * MIB, false);
        final DriverBo bo = create(MIB, TtmPlace.PL_TT);

        assertThat(bo.ttm().isPopulated()).isTrue();
        assertThat(bo.ttm().dmaAddress()).isNull();
        assertThat(kernel.machine().ledger().get(Counter.SWIOTLB_BYTES)).isZero();
    }

    @Test
    void shouldFailToPopulateALargeTtWhenSwiotlbMustBounceIt() {
        boot(EncryptionMode.SEV, 256 * MIB, false);
        bdev = MappingGeneric.createDevice(new TtmGlobal(kernel), new DmaDevice("gpu", 64, false), false,
                TtmDecisions.KERNEL);
        final DriverBo small = create(SIZE, TtmPlace.PL_TT);
        assertThat(small.ttm().dmaAddress()[0]).isNotZero();
        final DriverBo bo = new DriverBo(MIB, Caching.CACHED);

        final int err = TtmBo.initValidate(bdev, bo, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(TtmPlace.PL_TT, 0)), 4096, false, null, b -> { });

        // One order-8 block is 1 MiB, beyond the 256 KiB a SWIOTLB mapping can bounce.
        assertThat(err).isEqualTo(Errno.EFAULT);
    }

    @Test
    void shouldGiveShrunkDmaPagesBackReEncrypted() {
        boot(EncryptionMode.SEV, 256 * MIB, true);
        final DriverBo bo = create(SIZE, TtmPlace.PL_TT);
        assertThat(validate(bo, TtmPlace.PL_VRAM)).isEqualTo(Errno.OK);
        assertThat(bdev.global().allocatedPages()).isEqualTo(SIZE >> 12);

        final long freed = bdev.global().poolShrink(1);

        assertThat(freed).isEqualTo(SIZE >> 12);
        assertThat(bdev.global().allocatedPages()).isZero();
        assertThat(kernel.machine().ledger().get(Counter.PAGES_ENCRYPTED)).isEqualTo(SIZE >> 12);
    }

    @Test
    void shouldSwapOutAndBackInWithTheData() {
        boot(EncryptionMode.NONE, 256 * MIB, false);
        final DriverBo bo = create(SIZE, TtmPlace.PL_SYSTEM);
        final byte[] data = pattern(SIZE, 9);
        fill(bo, data);

        TtmBo.reserve(bo, false, false, null);
        final long swapped = TtmBoEvict.swapoutBo(bo, new OperationCtx());
        TtmBo.unreserve(bo);
        assertThat(swapped).isEqualTo(SIZE >> 12);
        assertThat(bo.ttm().isSwapped()).isTrue();
        assertThat(bo.ttm().isPopulated()).isFalse();
        assertThat(bdev.unevictable().contains(bo.resource())).isTrue();

        assertThat(validate(bo, TtmPlace.PL_TT)).isEqualTo(Errno.OK);

        assertThat(bo.ttm().isSwapped()).isFalse();
        assertThat(contents(bo)).isEqualTo(data);
        assertThat(bdev.unevictable().contains(bo.resource())).isFalse();
    }

    @Test
    void shouldPutASwappedBufferBackOnItsLruWhenAKernelMapSwapsItIn() {
        boot(EncryptionMode.NONE, 256 * MIB, false);
        final DriverBo bo = create(SIZE, TtmPlace.PL_TT);
        final byte[] data = pattern(SIZE, 5);
        fill(bo, data);
        TtmBo.reserve(bo, false, false, null);
        assertThat(TtmBoEvict.swapoutBo(bo, new OperationCtx())).isEqualTo(SIZE >> 12);
        bdev.setDecisions(new org.ttmsim.design.InsertPfn()); // tt kernel maps through the linear map
        final TtmBoKmap.KmapObj[] map = new TtmBoKmap.KmapObj[1];

        assertThat(TtmBoKmap.kmap(bo, 0, 1, map)).isEqualTo(Errno.OK);

        // ttm_bo_populate, not bare ttm_tt_populate: back on the LRU at once, not only at unreserve.
        assertThat(bo.ttm().isSwapped()).isFalse();
        assertThat(bo.memType()).isEqualTo(TtmPlace.PL_SYSTEM);
        assertThat(bdev.unevictable().contains(bo.resource())).isFalse();
        assertThat(bdev.sysman().lru(0).contains(bo.resource())).isTrue();
        TtmBoKmap.kunmap(map[0]);
        bo.resv().unlock();
        assertThat(contents(bo)).isEqualTo(data);
    }

    @Test
    void shouldRefuseToSwapOutAVramBufferWhichHasNoPages() {
        boot(EncryptionMode.NONE, 256 * MIB, false);
        final DriverBo bo = create(SIZE, TtmPlace.PL_VRAM);

        TtmBo.reserve(bo, false, false, null);
        final long ret = TtmBoEvict.swapoutBo(bo, new OperationCtx());
        TtmBo.unreserve(bo);

        assertThat(ret).isEqualTo(Errno.EBUSY);
        assertThat(bo.memType()).isEqualTo(TtmPlace.PL_VRAM);
    }

    @Test
    void shouldDestroyABusyBufferOnlyOnceItsFenceSignals() {
        boot(EncryptionMode.NONE, 256 * MIB, false);
        final DriverBo bo = create(SIZE, TtmPlace.PL_TT);
        final DmaFence fence = DmaFence.hung("gpu-job");
        bo.resv().lock(null);
        bo.resv().addFence(fence, DmaResvUsage.WRITE);
        bo.resv().unlock();

        TtmBo.fini(bo);
        assertThat(bdev.runWorkqueue()).isZero();
        assertThat(bdev.managerType(TtmPlace.PL_TT).usage()).isEqualTo(SIZE);

        fence.signal();
        assertThat(bdev.runWorkqueue()).isEqualTo(1);
        assertThat(bdev.managerType(TtmPlace.PL_TT).usage()).isZero();
        assertThat(bo.resource()).isNull();
    }

    @Test
    void shouldGiveDeviceBuffersDistinctMmapOffsets() {
        boot(EncryptionMode.NONE, 256 * MIB, false);
        final DriverBo a = create(SIZE, TtmPlace.PL_SYSTEM);
        final DriverBo b = create(SIZE, TtmPlace.PL_SYSTEM);

        assertThat(a.vmaNodeStart()).isEqualTo(0x10_0000L);
        assertThat(b.vmaNodeStart()).isEqualTo(a.vmaNodeStart() + (SIZE >> 12));
        assertThat(bdev.vmaManager().lookup(b.vmaNodeStart(), 1).owner()).isSameAs(b);
        assertThat(Arrays.asList(a.name(), b.name())).containsExactly("bo1", "bo2");
    }
}
