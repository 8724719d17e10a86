package org.ttmsim.hw;

import java.util.Arrays;

/**
 * DRAM and device memory as raw cells: sparse 4 KiB frames keyed by PFN that materialise on first
 * write, so a 1 TiB machine costs nothing until touched. Holds exactly what the chips hold: ciphertext
 * for lines written encrypted, plaintext otherwise. Untouched memory reads as zeros.
 *
 * <p>This is the functional port (gem5's {@code functionalAccess}): no cache, TLB, event or cost. The
 * CPU and device paths go through {@link MemoryController}; the host's raw view and the oracle use this.
 *
 * <p><b>Representation.</b> Frames are found through a {@link PfnTable}. A frame whose every line was
 * last written with zeros under one key (a cleared page: {@code clear_page()} of the pool, of
 * {@code dma_alloc_coherent()}) is kept as that key alone ({@link #zeroKey}) instead of 4 KiB of
 * ciphertext: the controller reads it back as zeros through the same key without decrypting, and
 * anything that needs the bytes themselves (another key, the host's raw view, a partial write) gets
 * them computed, E(key, PA, 0) line by line, and kept from then on. The bytes anyone observes are the
 * same either way.
 */
public final class PhysicalMemory {
    public static final int FRAME = (int) Pte.PAGE_SIZE;
    private static final byte[] ZERO_FRAME = Zeros.atLeast(FRAME); // never written
    /** Each frame: its bytes ({@code byte[]}), or the {@link KeyId} under which it holds zeros. */
    private final PfnTable<Object> frames = new PfnTable<>();
    private final long ramBytes;
    private final long vramBase;
    private final long vramBytes;
    /** Computes the bytes of zero frames (same fixed keys as the controller's engine), made on first use. */
    private EncryptionEngine engine;

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
            final byte[] f = frameIfPresent(addr >>> Pte.PAGE_SHIFT);
            if (f == null) {
                Arrays.fill(dst, off + done, off + done + n, (byte) 0);
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
        final byte[] f = frameIfPresent(pfn);
        if (f != null) {
            return f;
        }
        checkAddressable(pfn);
        final byte[] made = new byte[FRAME];
        frames.put(pfn, made);
        return made;
    }

    /** The frame's array if it was ever written, else null. */
    public byte[] frameIfPresent(final long pfn) {
        final Object f = frames.get(pfn);
        if (f instanceof byte[] bytes) {
            return bytes;
        }
        return f == null ? null : materialise(pfn, (KeyId) f);
    }

    /**
     * The key under which the frame holds zeros in every line, if it is kept that way; null when it
     * holds other bytes (or was never written).
     */
    public KeyId zeroKey(final long pfn) {
        final Object f = frames.get(pfn);
        return f instanceof KeyId k ? k : null;
    }

    /** Records that every line of the frame now holds zeros written under {@code key}; drops its bytes. */
    public void setZero(final long pfn, final KeyId key) {
        checkAddressable(pfn);
        frames.put(pfn, key);
    }

    /** How many frames have materialised (been written), zero frames included. */
    public int touchedFrames() {
        return frames.size();
    }

    private byte[] materialise(final long pfn, final KeyId key) {
        final byte[] f = new byte[FRAME];
        if (key != KeyId.NONE) {
            if (engine == null) {
                engine = new EncryptionEngine();
            }
            engine.encrypt(key, pfn << Pte.PAGE_SHIFT, ZERO_FRAME, 0, f, 0, FRAME);
        }
        frames.put(pfn, f);
        return f;
    }

    private void checkAddressable(final long pfn) {
        if (!isRam(pfn) && !isVram(pfn)) {
            throw new IllegalArgumentException("PFN 0x" + Long.toHexString(pfn) + " is neither RAM nor VRAM");
        }
    }
}
