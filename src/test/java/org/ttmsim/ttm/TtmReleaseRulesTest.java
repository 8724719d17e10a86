package org.ttmsim.ttm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.driver.Generic;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Mmap;
import org.ttmsim.mm.Vma;
import org.ttmsim.release.KernelRelease;

/**
 * TTM's own mapping rules per release, with no design ({@link TtmDecisions#KERNEL}): the fault path's
 * base protection (vm_get_page_prot(vm_flags) before v5.6, vma->vm_page_prot since, 5379e4dd3220), and
 * TTM_TT_FLAG_DECRYPTED with the kmap fast path it disables (v6.9, 71ce046327cf). An SEV guest whose
 * pool allocates coherent (decrypted) memory.
 */
class TtmReleaseRulesTest {
    private Kernel kernel;
    private TtmDevice bdev;
    private DriverBo bo;
    private MmStruct mm;

    private void boot(final String release, final TtmDecisions decisions) {
        kernel = new Kernel(TestMachines.machine(EncryptionMode.SEV).vram(64L << 20).keepLog(false).build(),
                KernelRelease.parse(release));
        bdev = Generic.createDevice(new TtmGlobal(kernel), new DmaDevice("gpu", 64, false), true, decisions);
        bo = new DriverBo(4 * 4096L, Caching.CACHED);
        assertThat(TtmBo.initValidate(bdev, bo, TtmBufferObject.TYPE_DEVICE,
                TtmPlacement.of(TtmPlace.of(TtmPlace.PL_TT, 0)), 4096, false, null, b -> { })).isEqualTo(Errno.OK);
        mm = kernel.newProcess("p1");
    }

    /** The PTE the first user fault inserts. */
    private long faultedPte() {
        final Mmap.Result r = kernel.mmap().doMmap(mm, new TtmBoMmap(bo, kernel.memory()), bo.vmaNodeStart(), 4, true,
                true, bo, "a");
        assertThat(r.error()).isEqualTo(Errno.OK);
        final Vma vma = r.vma();
        assertThat(kernel.cpuAccess().access(mm, vma.start(), new byte[1], 0, 1, false, null)).isEqualTo(Errno.OK);
        return mm.pte(vma.start() >>> 12);
    }

    @Test
    void shouldMarkDmaPoolTtsDecryptedAndMapThemDecryptedFromV69() {
        boot("v6.9", TtmDecisions.KERNEL);

        assertThat(bo.ttm().pageFlags() & TtmTt.FLAG_DECRYPTED).isNotZero();
        assertThat(kernel.machine().cc().isPrivate(faultedPte())).isFalse();
    }

    @Test
    void shouldMapDmaPoolTtsEncryptedBeforeV69() {
        boot("v6.8", TtmDecisions.KERNEL);

        assertThat(bo.ttm().pageFlags() & TtmTt.FLAG_DECRYPTED).isZero();
        assertThat(kernel.machine().cc().isPrivate(faultedPte())).isTrue();
    }

    @Test
    void shouldTakeTheOnePageKmapFastPathUnlessTheTtIsDecrypted() {
        boot("v6.8", TtmDecisions.KERNEL);
        assertThat(kmapOnePage().linear()).as("v6.8: the linear map").isTrue();

        boot("v6.9", TtmDecisions.KERNEL);
        final TtmBoKmap.KmapObj map = kmapOnePage();
        assertThat(map.linear()).as("v6.9: a vmap of the DECRYPTED tt").isFalse();
        assertThat(kernel.machine().cc().isPrivate(kernel.initMm().pte(map.virtual() >>> 12))).isFalse();
    }

    private TtmBoKmap.KmapObj kmapOnePage() {
        final TtmBoKmap.KmapObj[] out = new TtmBoKmap.KmapObj[1];
        TtmBo.reserve(bo, false, false, null);
        try {
            assertThat(TtmBoKmap.kmap(bo, 0, 1, out)).isEqualTo(Errno.OK);
        } finally {
            TtmBo.unreserve(bo);
        }
        return out[0];
    }

    /** Decrypts vm_page_prot at mmap and otherwise keeps the kernel's protection. */
    private static final TtmDecisions DECRYPTED_VM_PAGE_PROT = new TtmDecisions() {
        @Override
        public int ttFlags(final TtView view, final int kernelFlags) {
            return kernelFlags;
        }

        @Override
        public long vmaProt(final MapContext now, final long vmPageProt) {
            return now.decrypted(vmPageProt);
        }

        @Override
        public boolean mapsWholeBoAtMmap() {
            return false;
        }

        @Override
        public long faultProt(final MapContext ctx, final long vmPageProt, final long kernelProt) {
            return kernelProt;
        }

        @Override
        public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
            return kernelProt;
        }
    };

    @Test
    void shouldIgnoreWhatMmapPutInVmPageProtBeforeV56() {
        boot("v5.5", DECRYPTED_VM_PAGE_PROT);

        assertThat(kernel.machine().cc().isPrivate(faultedPte()))
                .as("the stack copy of the VMA takes vm_get_page_prot(vm_flags): encrypted").isTrue();
    }

    @Test
    void shouldStartFromVmPageProtSinceV56() {
        boot("v5.6", DECRYPTED_VM_PAGE_PROT);

        assertThat(kernel.machine().cc().isPrivate(faultedPte())).isFalse();
    }
}
