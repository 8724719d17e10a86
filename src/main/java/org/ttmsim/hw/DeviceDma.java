package org.ttmsim.hw;

/**
 * The device side of the bus: a DMA engine that reaches memory by DMA (bus) address. Device memory
 * (VRAM) is reached directly and is never encrypted. System memory goes through the memory controller:
 * on an SME host an address carrying the C-bit is decrypted/encrypted with the host key for the device
 * (transparent SME DMA); every other address is plaintext. A confidential guest's devices have no
 * key: they see DRAM raw, and SEV-SNP/TDX stop their access to private frames.
 */
public final class DeviceDma {
    private final Machine machine;

    public DeviceDma(final Machine machine) {
        this.machine = machine;
    }

    /** The physical address a bus address targets. */
    public long physOf(final long busAddr) {
        return busAddr & ~machine.cc().encMask();
    }

    /** The key the memory controller uses for a device access at {@code busAddr}. */
    public KeyId keyOf(final long busAddr) {
        final boolean cbit = (busAddr & machine.cc().encMask()) != 0;
        return machine.mode() == EncryptionMode.SME && cbit ? KeyId.HOST : KeyId.NONE;
    }

    /** Device reads; returns {@link MemoryController#OK} or {@link MemoryController#GUEST_FATAL}. */
    public int read(final long busAddr, final byte[] dst, final int off, final int len) {
        return access(busAddr, dst, off, len, false);
    }

    /** Device writes; returns {@link MemoryController#OK} or {@link MemoryController#GUEST_FATAL}. */
    public int write(final long busAddr, final byte[] src, final int off, final int len) {
        return access(busAddr, src, off, len, true);
    }

    private int access(final long busAddr, final byte[] buf, final int off, final int len, final boolean write) {
        final long pa = physOf(busAddr);
        final KeyId key = keyOf(busAddr);
        final long pfn = pa >>> Pte.PAGE_SHIFT;
        final MemoryController mc = machine.controller();
        final int r = write ? mc.write(pa, key, buf, off, len) : mc.read(pa, key, buf, off, len);
        if (r == MemoryController.GUEST_FATAL) {
            machine.bus().emit(EventKind.GUEST_FATAL, pfn, key, String.format(
                    "device %s of %d bytes at bus 0x%x hits a guest-private frame: blocked by %s", write ? "write"
                            : "read", len, busAddr, machine.mode() == EncryptionMode.TDX ? "TDX" : "the SNP RMP"));
            return r;
        }
        final boolean vram = machine.memory().isVram(pfn);
        machine.bus().emit(write ? EventKind.DMA_WRITE : EventKind.DMA_READ, pfn, key, () -> String.format(
                "device %d bytes at bus 0x%x (%s)", len, busAddr, vram ? "vram" : "system memory"));
        return r;
    }
}
