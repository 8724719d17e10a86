package org.ttmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.hw.TestMachines.machine;
import static org.ttmsim.hw.TestMachines.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.DeviceDma;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MemoryController;
import org.ttmsim.hw.Pte;
import org.ttmsim.release.KernelRelease;

/**
 * Tests {@link Mmap}: do_mmap with the driver hook, munmap, and mprotect's {@code pgprot_modify} /
 * {@code pte_modify}: before v5.7 the encryption bit came from the new protection (so a decrypted
 * mapping turned encrypted, reference §3 F9 and §6 item 14); since v5.7 {@code _PAGE_ENC} is in
 * {@code _PAGE_CHG_MASK} and is kept.
 */
class MmapTest {
    private static final long PAGE = Pte.PAGE_SIZE;

    /** A decrypted mapping of coherent (shared) memory the device filled, as dma_mmap_coherent makes it. */
    private static final class DecryptedMapping {
        final Machine m;
        final Kernel k;
        final MmStruct p1;
        final Vma vma;
        final byte[] data = pattern(64, 42);

        DecryptedMapping(final EncryptionMode mode, final String release) {
            m = machine(mode).build();
            k = new Kernel(m, KernelRelease.parse(release));
            final long pfn = k.pageAllocator().allocPages(1);
            assertThat(k.directMap().setMemoryDecrypted(pfn, 2)).isEqualTo(Errno.OK);
            final TestObject obj = new TestObject(k.memory(), pfn).mmapProt(m.cc()::mkDec);
            p1 = k.newProcess("p1");
            vma = k.mmap().doMmap(p1, obj, 0, 2, true, true, obj, "coherent").vma();
            assertThat(new DeviceDma(m).write(pfn << 12, data, 0, data.length)).isEqualTo(MemoryController.OK);
            assertThat(read()).isEqualTo(data);
        }

        byte[] read() {
            final byte[] out = new byte[data.length];
            assertThat(k.cpuAccess().access(p1, vma.start(), out, 0, out.length, false, null)).isEqualTo(Errno.OK);
            return out;
        }

        long pte() {
            return p1.pte(vma.start() >>> 12);
        }
    }

    /** v5.6 for AMD (before 6db73f17c5f1); TDX loses its shared bit until v6.9 (a0a8d15a798b), so v6.8 too. */
    @ParameterizedTest
    @CsvSource({"SME, v5.6", "SEV, v5.6", "TDX, v5.6", "TDX, v6.8"})
    void shouldReaddTheEncryptionBitAndReadGarbageWhenMprotectRunsBeforeTheFix(final EncryptionMode mode,
            final String release) {
        final DecryptedMapping d = new DecryptedMapping(mode, release);

        assertThat(d.k.mmap().keepsEncryptionBit()).isFalse();
        assertThat(d.k.mmap().mprotect(d.vma, false)).isEqualTo(Errno.OK);
        assertThat(d.k.mmap().mprotect(d.vma, true)).isEqualTo(Errno.OK);

        assertThat(d.m.cc().isPrivate(d.vma.vmPageProt())).isTrue();
        assertThat(d.m.cc().isPrivate(d.pte())).isTrue();
        if (mode == EncryptionMode.TDX) {
            final byte[] out = new byte[d.data.length];
            assertThat(d.k.cpuAccess().access(d.p1, d.vma.start(), out, 0, out.length, false, null))
                    .as("a user-mode #VE: SIGSEGV").isEqualTo(Errno.SIGSEGV);
            assertThat(d.m.bus().log()).anyMatch(e -> e.kind() == EventKind.GUEST_FATAL);
        } else {
            assertThat(d.read()).isNotEqualTo(d.data);
        }
    }

    /** AMD keeps the C-bit from v5.7; TDX keeps its shared bit from v6.9. */
    @ParameterizedTest
    @CsvSource({"SME, v5.7", "SEV, v5.7", "SEV_SNP, v5.19", "TDX, v6.9"})
    void shouldKeepTheEncryptionBitAndReadPlaintextWhenMprotectRunsSinceTheFix(final EncryptionMode mode,
            final String release) {
        final DecryptedMapping d = new DecryptedMapping(mode, release);

        assertThat(d.k.mmap().keepsEncryptionBit()).isTrue();
        assertThat(d.k.mmap().mprotect(d.vma, false)).isEqualTo(Errno.OK);
        assertThat(d.k.mmap().mprotect(d.vma, true)).isEqualTo(Errno.OK);

        assertThat(d.m.cc().isPrivate(d.vma.vmPageProt())).isFalse();
        assertThat(d.m.cc().keyOf(d.pte())).isEqualTo(KeyId.NONE);
        assertThat(d.read()).isEqualTo(d.data);
    }

    @Test
    void shouldStopTheAccessWhenPreV57MprotectEncryptsASharedFrameUnderSnp() {
        // SEV-SNP guests boot from v5.19, whose mprotect keeps the C-bit: a pre-v5.7 mprotect (as a
        // backport would leave it) is modelled on v5.6, whose other rules do not matter here.
        final DecryptedMapping d = new DecryptedMapping(EncryptionMode.SEV_SNP, "v5.6");

        d.k.mmap().mprotect(d.vma, false);

        final byte[] out = new byte[8];
        assertThat(d.k.cpuAccess().access(d.p1, d.vma.start(), out, 0, 8, false, null)).isEqualTo(Errno.SIGBUS);
        assertThat(d.m.bus().log()).anyMatch(e -> e.kind() == EventKind.GUEST_FATAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v5.6", "v5.7"})
    void shouldKeepPfnAndCachingWhenMprotectRewritesPtes(final String release) {
        final Machine m = machine(EncryptionMode.SEV).build();
        final Kernel k = new Kernel(m, KernelRelease.parse(release));
        final TestObject obj = new TestObject(k.memory(), 0x5000)
                .faultProt(p -> Pte.withCaching(p, Caching.WRITE_COMBINED));
        final MmStruct p1 = k.newProcess("p1");
        final Vma vma = k.mmap().doMmap(p1, obj, 3, 2, true, true, obj, "wc").vma();
        k.cpuAccess().access(p1, vma.start(), new byte[1], 0, 1, false, null);

        k.mmap().mprotect(vma, false);

        final long pte = p1.pte(vma.start() >>> 12);
        assertThat(Pte.pfn(pte, 47)).isEqualTo(0x5003);
        assertThat(Pte.caching(pte)).isEqualTo(Caching.WRITE_COMBINED);
        assertThat(Pte.writable(pte)).isFalse();
        assertThat(Pte.present(pte)).isTrue();
        assertThat(p1.pte((vma.start() >>> 12) + 1)).isZero();
    }

    @Test
    void shouldRefuseWritesWhenMprotectMadeTheVmaReadOnly() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = new Kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final MmStruct p1 = k.newProcess("p1");
        final Vma vma = k.mmap().doMmap(p1, obj, 0, 1, true, true, obj, "a").vma();
        assertThat(k.cpuAccess().access(p1, vma.start(), new byte[4], 0, 4, true, null)).isEqualTo(Errno.OK);

        k.mmap().mprotect(vma, false);

        assertThat(k.cpuAccess().access(p1, vma.start(), new byte[4], 0, 4, true, null)).isEqualTo(Errno.SIGSEGV);
        assertThat(k.cpuAccess().access(p1, vma.start(), new byte[4], 0, 4, false, null)).isEqualTo(Errno.OK);
    }

    @Test
    void shouldReturnEaccesWhenMprotectAsksForWriteWithoutMayWrite() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = new Kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final Vma vma = k.mmap().doMmap(k.newProcess("p1"), obj, 0, 1, true, false, obj, "a").vma();
        vma.setVmFlags(vma.vmFlags() & ~VmFlags.VM_MAYWRITE);

        assertThat(k.mmap().mprotect(vma, true)).isEqualTo(Errno.EACCES);
        assertThat(vma.vmFlags() & VmFlags.VM_WRITE).isZero();
    }

    @ParameterizedTest
    @EnumSource(EncryptionMode.class)
    void shouldStartFromAnEncryptedProtWhenMapping(final EncryptionMode mode) {
        final Machine m = machine(mode).build();
        final Kernel k = new Kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final MmStruct p1 = k.newProcess("p1");

        final Vma shared = k.mmap().doMmap(p1, obj, 0, 1, true, true, obj, "s").vma();
        final Vma priv = k.mmap().doMmap(p1, obj, 0, 1, false, true, obj, "p").vma();

        assertThat(m.cc().isPrivate(shared.vmPageProt())).isEqualTo(mode != EncryptionMode.NONE);
        assertThat(Pte.writable(shared.vmPageProt())).isTrue();
        assertThat(Pte.writable(priv.vmPageProt())).as("MAP_PRIVATE write is copy-on-write").isFalse();
        assertThat(shared.vmFlags() & (VmFlags.VM_SHARED | VmFlags.VM_WRITE | VmFlags.VM_READ))
                .isEqualTo(VmFlags.VM_SHARED | VmFlags.VM_WRITE | VmFlags.VM_READ);
        assertThat(obj.mapping().vmas()).containsExactly(shared, priv);
        assertThat(p1.findVma(shared.start())).isSameAs(shared);
        assertThat(priv.start()).isGreaterThanOrEqualTo(shared.end() + PAGE);
    }

    @Test
    void shouldNeitherInsertNorLinkTheVmaWhenTheDriverRefuses() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = new Kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000).refuseMmap(Errno.EINVAL);
        final MmStruct p1 = k.newProcess("p1");

        final Mmap.Result r = k.mmap().doMmap(p1, obj, 0, 1, false, true, obj, "cow");

        assertThat(r.error()).isEqualTo(Errno.EINVAL);
        assertThat(r.vma()).isNull();
        assertThat(obj.mapping().vmas()).isEmpty();
        assertThat(p1.vmas()).isEmpty();
        assertThat(m.bus().log()).filteredOn(e -> e.kind() == EventKind.MMAP).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("refused: EINVAL"));
    }

    @Test
    void shouldZapFlushAndUnlinkWhenMunmapping() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = new Kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final MmStruct p1 = k.newProcess("p1");
        final Vma vma = k.mmap().doMmap(p1, obj, 0, 2, true, true, obj, "a").vma();
        k.cpuAccess().access(p1, vma.start(), new byte[1], 0, 1, false, null);

        k.mmap().doMunmap(vma);

        assertThat(p1.pte(vma.start() >>> 12)).isZero();
        assertThat(m.tlb().anyCpuHolds(p1.asid(), vma.start() >>> 12)).isFalse();
        assertThat(obj.mapping().vmas()).isEmpty();
        assertThat(k.cpuAccess().access(p1, vma.start(), new byte[1], 0, 1, false, null)).isEqualTo(Errno.SIGSEGV);
    }
}
