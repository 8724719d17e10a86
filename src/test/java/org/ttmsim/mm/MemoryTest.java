package org.ttmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.hw.TestMachines.machine;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.release.KernelRelease;

/**
 * Tests {@link Memory}: handle_mm_fault dispatch, vmf_insert_pfn(_prot), zapping with its TLB flush,
 * and unmap_mapping_range over every process that maps an object.
 */
class MemoryTest {
    private static final long PAGE = Pte.PAGE_SIZE;

    private Kernel kernel(final Machine m) {
        return new Kernel(m);
    }

    private static Vma map(final Kernel k, final MmStruct mm, final TestObject obj, final long pgoff,
            final long pages, final boolean writable) {
        final Mmap.Result r = k.mmap().doMmap(mm, obj, pgoff, pages, true, writable, obj, "obj@" + pgoff);
        assertThat(r.error()).isEqualTo(Errno.OK);
        return r.vma();
    }

    @Test
    void shouldInstallThePtePerItsOwnProtWhenVmfInsertPfnProt() {
        final Machine m = machine(EncryptionMode.SEV).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final Vma vma = map(k, p1, new TestObject(k.memory(), 0x5000), 0, 4, true);

        final int ret = k.memory().vmfInsertPfnProt(vma, vma.start() + PAGE, 0x5001, m.cc().mkDec(vma.vmPageProt()));

        assertThat(ret).isEqualTo(VmOperations.VM_FAULT_NOPAGE);
        final long pte = p1.pte((vma.start() + PAGE) >>> 12);
        assertThat(Pte.present(pte)).isTrue();
        assertThat(Pte.pfn(pte, 47)).isEqualTo(0x5001);
        assertThat(m.cc().keyOf(pte)).isEqualTo(KeyId.NONE);
        assertThat(m.cc().keyOf(vma.vmPageProt())).isEqualTo(KeyId.GUEST);
        assertThat(m.ledger().get(Counter.PTES_INSERTED)).isEqualTo(1);
        assertThat(m.bus().log()).filteredOn(e -> e.kind() == EventKind.PTE_INSERT)
                .singleElement().satisfies(e -> {
                    assertThat(e.pfn()).isEqualTo(0x5001);
                    assertThat(e.key()).isEqualTo(KeyId.NONE);
                });
    }

    @Test
    void shouldLeaveAPresentPteAloneWhenInsertingAgain() {
        final Machine m = machine(EncryptionMode.SME).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final Vma vma = map(k, p1, new TestObject(k.memory(), 0x5000), 0, 1, true);
        k.memory().vmfInsertPfn(vma, vma.start(), 0x5000);
        final long first = p1.pte(vma.start() >>> 12);

        final int ret = k.memory().vmfInsertPfnProt(vma, vma.start(), 0x6000, m.cc().mkDec(vma.vmPageProt()));

        assertThat(ret).isEqualTo(VmOperations.VM_FAULT_NOPAGE);
        assertThat(p1.pte(vma.start() >>> 12)).isEqualTo(first);
        assertThat(m.ledger().get(Counter.PTES_INSERTED)).isEqualTo(1);
    }

    @Test
    void shouldUseTheVmasOwnProtWhenVmfInsertPfn() {
        final Machine m = machine(EncryptionMode.TDX).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final Vma vma = map(k, p1, new TestObject(k.memory(), 0x5000), 0, 1, false);

        k.memory().vmfInsertPfn(vma, vma.start(), 0x5000);

        final long pte = p1.pte(vma.start() >>> 12);
        assertThat(pte).isEqualTo(Pte.make(0x5000, vma.vmPageProt() | Pte.PRESENT));
        assertThat(Pte.writable(pte)).isFalse();
        assertThat(m.cc().isPrivate(pte)).isTrue();
    }

    @Test
    void shouldHandTheObjectPageOffsetToTheHandlerWhenAPageFaults() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final Vma vma = map(k, p1, obj, 10, 8, true);

        final int r = k.memory().handleMmFault(p1, vma.start() + 3 * PAGE + 123, true);

        assertThat(r).isEqualTo(Errno.OK);
        assertThat(obj.faults()).singleElement().satisfies(f -> {
            assertThat(f.vma()).isSameAs(vma);
            assertThat(f.address()).isEqualTo(vma.start() + 3 * PAGE);
            assertThat(f.pgoff()).isEqualTo(13);
            assertThat(f.write()).isTrue();
        });
        assertThat(Pte.pfn(p1.pte((vma.start() >>> 12) + 3), 47)).isEqualTo(0x5000 + 13);
        assertThat(m.ledger().get(Counter.FAULTS)).isEqualTo(1);
    }

    @Test
    void shouldReturnSigsegvWithoutCallingAHandlerWhenNoVmaCoversTheAddress() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final Vma vma = map(k, p1, obj, 0, 2, true);

        assertThat(k.memory().handleMmFault(p1, vma.end(), false)).isEqualTo(Errno.SIGSEGV);
        assertThat(k.memory().handleMmFault(p1, vma.start() - 1, false)).isEqualTo(Errno.SIGSEGV);
        assertThat(obj.faults()).isEmpty();
    }

    @Test
    void shouldReturnSigsegvWhenWritingAReadOnlyVma() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final Vma vma = map(k, p1, obj, 0, 2, false);

        assertThat(k.memory().handleMmFault(p1, vma.start(), true)).isEqualTo(Errno.SIGSEGV);
        assertThat(obj.faults()).isEmpty();
        assertThat(k.memory().handleMmFault(p1, vma.start(), false)).isEqualTo(Errno.OK);
    }

    @Test
    void shouldCallTheHandlerAgainWhenItAsksForARetry() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final TestObject obj = new TestObject(k.memory(), 0x5000)
                .queueResults(VmOperations.VM_FAULT_RETRY, VmOperations.VM_FAULT_RETRY);
        final Vma vma = map(k, p1, obj, 0, 1, true);

        assertThat(k.memory().handleMmFault(p1, vma.start(), false)).isEqualTo(Errno.OK);

        assertThat(obj.faults()).hasSize(3);
        assertThat(Pte.present(p1.pte(vma.start() >>> 12))).isTrue();
    }

    static Stream<Arguments> handlerResults() {
        return Stream.of(Arguments.of(VmOperations.VM_FAULT_NOPAGE, Errno.OK),
                Arguments.of(VmOperations.VM_FAULT_SIGBUS, Errno.SIGBUS),
                Arguments.of(VmOperations.VM_FAULT_OOM, Errno.HANG),
                Arguments.of(VmOperations.VM_FAULT_SIGSEGV, Errno.SIGSEGV),
                Arguments.of(VmOperations.VM_FAULT_SIGBUS | VmOperations.VM_FAULT_NOPAGE, Errno.SIGBUS));
    }

    @ParameterizedTest(name = "VM_FAULT 0x{0} -> {1}")
    @MethodSource("handlerResults")
    void shouldTurnTheHandlersResultIntoASignalWhenItFails(final int vmFault, final int expected) {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final TestObject obj = new TestObject(k.memory(), 0x5000).queueResults(vmFault);
        final Vma vma = map(k, p1, obj, 0, 1, true);

        assertThat(k.memory().handleMmFault(p1, vma.start(), false)).isEqualTo(expected);
    }

    /** Before v5.16 (60e2793d440a) pagefault_out_of_memory() runs the OOM killer: the faulting task dies. */
    @Test
    void shouldKillTheTaskOnVmFaultOomBeforeV516() {
        final Kernel k = new Kernel(machine(EncryptionMode.NONE).build(), KernelRelease.parse("v5.15"));
        final MmStruct p1 = k.newProcess("p1");
        final TestObject obj = new TestObject(k.memory(), 0x5000).queueResults(VmOperations.VM_FAULT_OOM);
        final Vma vma = map(k, p1, obj, 0, 1, true);

        assertThat(k.memory().handleMmFault(p1, vma.start(), false)).isEqualTo(Errno.SIGKILL);
    }

    @Test
    void shouldCallItAModelBugWhenTheHandlerRetriesForever() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = kernel(m);
        final MmStruct p1 = k.newProcess("p1");
        final int[] retries = new int[20];
        java.util.Arrays.fill(retries, VmOperations.VM_FAULT_RETRY);
        final TestObject obj = new TestObject(k.memory(), 0x5000).queueResults(retries);
        final Vma vma = map(k, p1, obj, 0, 1, true);

        assertThatThrownBy(() -> k.memory().handleMmFault(p1, vma.start(), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("retried");
    }

    @Test
    void shouldZapOnlyTheOverlappingPagesInEveryProcessWhenUnmappingAnObjectRange() {
        final Machine m = machine(EncryptionMode.SEV).cpus(4).build();
        final Kernel k = kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final MmStruct p1 = k.newProcess("p1");
        final MmStruct p2 = k.newProcess("p2");
        final MmStruct p3 = k.newProcess("p3");
        final Vma a = map(k, p1, obj, 0, 8, true);    // object pages 0..7
        final Vma b = map(k, p2, obj, 4, 8, true);    // object pages 4..11
        final Vma c = map(k, p3, obj, 12, 4, true);   // object pages 12..15
        touchAll(k, p1, a);
        touchAll(k, p2, b);
        touchAll(k, p3, c);
        final long shootdownsBefore = m.ledger().get(Counter.TLB_SHOOTDOWNS);

        k.memory().unmapMappingRange(obj.mapping(), 6, 4); // object pages 6..9

        assertThat(presentPages(p1, a)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(presentPages(p2, b)).containsExactly(0, 1, 6, 7);   // object pages 4, 5, 10, 11
        assertThat(presentPages(p3, c)).containsExactly(0, 1, 2, 3);
        assertThat(m.ledger().get(Counter.PTES_ZAPPED)).isEqualTo(2 + 4);
        assertThat(m.ledger().get(Counter.TLB_SHOOTDOWNS) - shootdownsBefore).isEqualTo(2 * 4);
        assertThat(m.tlb().anyCpuHolds(p1.asid(), (a.start() >>> 12) + 6)).isFalse();
        assertThat(m.tlb().anyCpuHolds(p2.asid(), (b.start() >>> 12) + 2)).isFalse();
        assertThat(m.tlb().anyCpuHolds(p1.asid(), (a.start() >>> 12) + 5)).isTrue();
        assertThat(m.bus().log()).filteredOn(e -> e.kind() == EventKind.PTE_ZAP).extracting(Event::pfn)
                .containsExactly(0x5006L, 0x5007L, 0x5006L, 0x5007L, 0x5008L, 0x5009L);
    }

    @Test
    void shouldNotShootDownTlbsWhenNothingWasZapped() {
        final Machine m = machine(EncryptionMode.NONE).build();
        final Kernel k = kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final MmStruct p1 = k.newProcess("p1");
        map(k, p1, obj, 0, 8, true);

        k.memory().unmapMappingRange(obj.mapping(), 0, 8);

        assertThat(m.ledger().get(Counter.TLB_SHOOTDOWNS)).isZero();
        assertThat(m.ledger().get(Counter.PTES_ZAPPED)).isZero();
    }

    @Test
    void shouldSkipTheTlbFlushAndReportTheInjectionWhenSkipTlbFlushIsInjected() {
        final Machine m = machine(EncryptionMode.NONE).inject(Injection.SKIP_TLB_FLUSH).build();
        final Kernel k = kernel(m);
        final TestObject obj = new TestObject(k.memory(), 0x5000);
        final MmStruct p1 = k.newProcess("p1");
        final Vma a = map(k, p1, obj, 0, 2, true);
        touchAll(k, p1, a);

        k.memory().unmapMappingRange(obj.mapping(), 0, 2);

        assertThat(presentPages(p1, a)).isEmpty();
        assertThat(m.tlb().anyCpuHolds(p1.asid(), a.start() >>> 12)).isTrue();
        assertThat(m.ledger().get(Counter.TLB_SHOOTDOWNS)).isZero();
        assertThat(m.bus().log()).filteredOn(e -> e.kind() == EventKind.INJECT).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("skip-tlb-flush at flush_tlb_range"));
    }

    private static void touchAll(final Kernel k, final MmStruct mm, final Vma vma) {
        for (long va = vma.start(); va < vma.end(); va += PAGE) {
            assertThat(k.cpuAccess().access(mm, va, new byte[1], 0, 1, false, null)).isEqualTo(Errno.OK);
        }
    }

    private static java.util.List<Integer> presentPages(final MmStruct mm, final Vma vma) {
        final java.util.List<Integer> pages = new java.util.ArrayList<>();
        for (int i = 0; i < vma.pages(); i++) {
            if (Pte.present(mm.pte((vma.start() >>> 12) + i))) {
                pages.add(i);
            }
        }
        return pages;
    }
}
