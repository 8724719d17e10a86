package org.ttmsim.mm;

import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventBus;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MemoryController;
import org.ttmsim.hw.Pte;

/**
 * A CPU load or store to a virtual address, as the hardware performs it: TLB lookup, page walk on a
 * miss, a fault into the kernel when the PTE is missing or read-only, then the memory access with the
 * key the PTE's encryption bit selects: through the CPU cache for a write-back (WB) PTE, uncached at the
 * memory controller for WC/UC. Kernel addresses resolve through the direct map or {@code init_mm}
 * (vmap) and never fault.
 */
public final class CpuAccess {
    private final Machine machine;
    private final Memory memory;
    private final DirectMap directMap;
    private final MmStruct initMm;

    public CpuAccess(final Memory memory, final DirectMap directMap, final MmStruct initMm) {
        this.memory = memory;
        this.machine = memory.machine();
        this.directMap = directMap;
        this.initMm = initMm;
    }

    /** Observes each page-sized piece of an access: the PTE used and the key. */
    public interface Observer {
        void onPage(long va, long pte, KeyId key, int offInBuf, int len);
    }

    /**
     * Accesses {@code len} bytes at {@code va} in {@code mm} (user) or the kernel (when {@code mm} is
     * {@code initMm}).
     *
     * @return {@link Errno#OK}, {@link Errno#SIGSEGV}, {@link Errno#SIGBUS}, or {@link Errno#EFAULT}
     *         for a kernel access to an unmapped address. A SEV-SNP/TDX integrity stop emits
     *         {@link EventKind#GUEST_FATAL} and ends the access: in user mode with SIGSEGV under TDX
     *         ({@code ve_raise_fault()}: {@code gp_user_force_sig_segv()}) and SIGBUS under SEV-SNP; in
     *         kernel mode with {@link Errno#OOPS} ({@code die()}), which the machine also counts
     *         ({@link org.ttmsim.hw.Machine#kernelStops()}) for callers that drop the result.
     */
    public int access(final MmStruct mm, final long va, final byte[] buf, final int off, final int len,
            final boolean write, final Observer observer) {
        int done = 0;
        while (done < len) {
            final long addr = va + done;
            final int inPage = (int) (addr & (Pte.PAGE_SIZE - 1));
            final int n = (int) Math.min(len - done, Pte.PAGE_SIZE - inPage);
            final long pte = translate(mm, addr, write);
            if (pte < 0) {
                return (int) pte;
            }
            final int r = accessPage(mm, addr, pte, buf, off + done, n, write);
            if (r != Errno.OK) {
                return r;
            }
            if (observer != null) {
                observer.onPage(addr, pte, machine.cc().keyOf(pte), off + done, n);
            }
            done += n;
        }
        return Errno.OK;
    }

    /** The PTE to use (possibly a stale TLB entry), faulting as needed; negative = errno. */
    private long translate(final MmStruct mm, final long addr, final boolean write) {
        final long vpn = addr >>> Pte.PAGE_SHIFT;
        final int cpu = mm.cpu();
        final long cached = machine.tlb().lookup(cpu, mm.asid(), vpn);
        if (cached != 0 && (!write || Pte.writable(cached))) {
            return cached;
        }
        if (mm == initMm) {
            final long pte = DirectMap.isLinear(addr) && addr < org.ttmsim.mm.Vmalloc.VMALLOC_START
                    ? directMap.pte((addr - DirectMap.PAGE_OFFSET) >>> Pte.PAGE_SHIFT) : mm.pte(vpn);
            if (!Pte.present(pte)) {
                return Errno.EFAULT;
            }
            machine.tlb().fill(cpu, mm.asid(), vpn, pte);
            if (addr >= org.ttmsim.mm.Vmalloc.VMALLOC_START) {
                filled(mm, cpu, addr, pte); // a vmap/ioremap; the linear map's entries copy the direct map
            }
            return pte;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            final long pte = mm.pte(vpn);
            if (Pte.present(pte) && (!write || Pte.writable(pte))) {
                machine.tlb().fill(cpu, mm.asid(), vpn, pte);
                filled(mm, cpu, addr, pte);
                return pte;
            }
            final int r = memory.handleMmFault(mm, addr, write);
            if (r != Errno.OK) {
                machine.bus().emit(EventKind.SIGNAL, -1, null, String.format("%s %s at 0x%x", mm.name(),
                        Errno.name(r), addr));
                return r;
            }
        }
        // The handler returned NOPAGE without installing a usable PTE twice: the kernel would loop on
        // refaults forever; the model reports it as SIGBUS rather than hang.
        machine.bus().emit(EventKind.SIGNAL, -1, null, String.format("%s fault at 0x%x made no progress: SIGBUS",
                mm.name(), addr));
        return Errno.SIGBUS;
    }

    /** Publishes a TLB fill (not the linear map's: those copy the direct map, which monitors read directly). */
    private void filled(final MmStruct mm, final int cpu, final long addr, final long pte) {
        final EventBus bus = machine.bus();
        if (!bus.active()) {
            bus.skip();
            return;
        }
        final int cbit = machine.cc().cbit();
        final String who = mm.name();
        bus.emit(EventKind.TLB_FILL, Pte.pfn(pte, cbit), machine.cc().keyOf(pte), pte,
                new FillSentence(cpu, who, addr & ~(Pte.PAGE_SIZE - 1), pte, cbit));
    }

    private int accessPage(final MmStruct mm, final long addr, final long pte, final byte[] buf, final int off,
            final int n, final boolean write) {
        final long pfn = Pte.pfn(pte, machine.cc().cbit());
        final long pa = (pfn << Pte.PAGE_SHIFT) | (addr & (Pte.PAGE_SIZE - 1));
        final KeyId key = machine.cc().keyOf(pte);
        final MemoryController mc = machine.controller();
        // WB goes through the CPU cache; WC/UC bypass it at the controller, snooping lines of their tag.
        final boolean cached = Pte.caching(pte) == Caching.CACHED;
        final int r = cached ? (write ? mc.cpuWrite(pa, key, buf, off, n) : mc.cpuRead(pa, key, buf, off, n))
                : (write ? mc.cpuUncachedWrite(pa, key, buf, off, n) : mc.cpuUncachedRead(pa, key, buf, off, n));
        if (key != KeyId.NONE) {
            machine.ledger().chargeNs(((n + 63) / 64) * machine.costs().encryptedLineNs());
        }
        if (r == MemoryController.GUEST_FATAL) {
            machine.bus().emit(EventKind.GUEST_FATAL, pfn, key, String.format(
                    "%s %s at 0x%x through %s: the frame is %s; %s stops the access", mm.name(),
                    write ? "write" : "read", addr, machine.cc().attrLabel(pte),
                    machine.frameStates().isPrivate(pfn) ? "private" : "shared",
                    machine.mode() == org.ttmsim.hw.EncryptionMode.TDX ? "TDX (#VE)" : "SEV-SNP (#VC/#NPF)"));
            if (mm == initMm) {
                machine.countKernelStop();
                return Errno.OOPS;
            }
            return machine.mode() == org.ttmsim.hw.EncryptionMode.TDX ? Errno.SIGSEGV : Errno.SIGBUS;
        }
        final EventBus bus = machine.bus();
        if (!bus.active()) {
            bus.skip(); // nobody listens: the access allocates nothing
            return Errno.OK;
        }
        final int cbit = machine.cc().cbit();
        bus.emit(write ? EventKind.CPU_WRITE : EventKind.CPU_READ, pfn, key,
                new AccessSentence(mm.name(), n, addr, pte, cbit));
        return Errno.OK;
    }

    /** "p1 4096 bytes at 0x7f0000000000 via PTE ...": a CPU access's sentence, formatted when read. */
    private record AccessSentence(String who, int n, long addr, long pte, int cbit) implements Event.Detail {
        @Override
        public String format() {
            return String.format("%s %d bytes at 0x%x via %s", who, n, addr, Pte.describe(pte, cbit));
        }
    }

    /** "cpu 0 caches p1 0x7f0000000000 -> PTE ...": a TLB fill's sentence, formatted when read. */
    private record FillSentence(int cpu, String who, long page, long pte, int cbit) implements Event.Detail {
        @Override
        public String format() {
            return String.format("cpu %d caches %s 0x%x -> %s", cpu, who, page, Pte.describe(pte, cbit));
        }
    }
}
