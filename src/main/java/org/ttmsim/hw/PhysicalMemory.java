package org.ttmsim.hw;

/**
 * DRAM and device memory as raw cells: sparse 4 KiB frames keyed by PFN that materialise on first
 * write, so a 1 TiB machine costs nothing until touched. Frames are found through a {@link PfnTable}. Holds exactly what the chips hold: ciphertext
 * for lines written encrypted, plaintext otherwise. Untouched memory reads as zeros.
 *
 * <p>This is the functional port (gem5's {@code functionalAccess}): no cache, TLB, event or cost. The
 * CPU and device paths go through {@link MemoryController}; the host's raw view and the oracle use this.
 */
public final class PhysicalMemory {
    public static final int FRAME = (int) Pte.PAGE_SIZE;
    private final PfnTable<byte[]> frames = new PfnTable<>();
    private final long ramBytes;
    private final long vramBase;
    private final long vramBytes;

    /**
     * @param ramBytes  DRAM at physical address 0
     * @param vramBase  where the device's memory (PCI BAR, iomem) starts in the physical address space
     * @param vramBytes size of device memory, 0 for none
     */
    public PhysicalMemory(final long ramBytes, final long vramBase, final long vramBytes) {
        this.ramBytes = ramBytes;
        this.vramBase = vramBase;
        this.vramBytes = vramBytes;
    }

    public long ramBytes() {
        return ramBytes;
    }

    public long vramBase() {
        return vramBase;
    }

    public long vramBytes() {
        return vramBytes;
    }

    /** Whether the PFN is DRAM (as opposed to device memory). */
    public boolean isRam(final long pfn) {
        return pfn >= 0 && pfn < (ramBytes >>> Pte.PAGE_SHIFT);
    }

    /** Whether the PFN is device memory (iomem). */
    public boolean isVram(final long pfn) {
        final long first = vramBase >>> Pte.PAGE_SHIFT;
        return pfn >= first && pfn < first + (vramBytes >>> Pte.PAGE_SHIFT);
    }

    /** Copies raw bytes out, zeros where never written. The range may span frames. */
    public void read(final long pa, final byte[] dst, final int off, final int len) {
        int done = 0;
        while (done < len) {
            final long addr = pa + done;
            final int inFrame = (int) (addr & (FRAME - 1));
            final int n = Math.min(len - done, FRAME - inFrame);
            final byte[] f = frames.get(addr >>> Pte.PAGE_SHIFT);
            if (f == null) {
                java.util.Arrays.fill(dst, off + done, off + done + n, (byte) 0);
            } else {
                System.arraycopy(f, inFrame, dst, off + done, n);
            }
            done += n;
        }
    }

    /** Stores raw bytes, materialising frames. The range may span frames. */
    public void write(final long pa, final byte[] src, final int off, final int len) {
        int done = 0;
        while (done < len) {
            final long addr = pa + done;
            final int inFrame = (int) (addr & (FRAME - 1));
            final int n = Math.min(len - done, FRAME - inFrame);
            System.arraycopy(src, off + done, frame(addr >>> Pte.PAGE_SHIFT), inFrame, n);
            done += n;
        }
    }

    /** The frame's backing array, created zeroed on first use: for hot paths that work in place. */
    public byte[] frame(final long pfn) {
        byte[] f = frames.get(pfn);
        if (f == null) {
            checkAddressable(pfn);
            f = new byte[FRAME];
            frames.put(pfn, f);
        }
        return f;
    }

    /** The frame's array if it was ever written, else null. */
    public byte[] frameIfPresent(final long pfn) {
        return frames.get(pfn);
    }

    /** How many frames have materialised. */
    public int touchedFrames() {
        return frames.size();
    }

    private void checkAddressable(final long pfn) {
        if (!isRam(pfn) && !isVram(pfn)) {
            throw new IllegalArgumentException("PFN 0x" + Long.toHexString(pfn) + " is neither RAM nor VRAM");
        }
    }
}
