package org.ttmsim.hw;

/**
 * The source of the kernel's zeroing stores ({@code clear_page()} of the page allocator and TTM's pool,
 * the {@code memset(ret, 0, size)} of {@code dma_alloc_coherent()}): one shared array of zeros that every
 * clear stores from. Stores only read it, so one array serves every world and thread; nothing may write
 * into it.
 *
 * <p>The CPU cache recognises it by identity ({@link #isShared}) and knows a frame stored from it is all
 * zeros without scanning 4 KiB ({@link CpuCache}'s whole-frame road), which matters when a scenario
 * clears tens of thousands of pages. A store of zeros from any other array gives the same bytes, found by
 * the scan.
 */
public final class Zeros {
    /** 2 MiB: an order-9 block, the largest a pool or a coherent allocation clears in one store here. */
    private static final byte[] SHARED = new byte[2 << 20];

    private Zeros() {
    }

    /**
     * At least {@code bytes} zeros to store from: the shared array when it is large enough, else a new one.
     * Never write into the result.
     */
    public static byte[] atLeast(final int bytes) {
        return bytes <= SHARED.length ? SHARED : new byte[bytes];
    }

    /** Whether {@code a} is the shared array (every byte of it zero). */
    static boolean isShared(final byte[] a) {
        return a == SHARED;
    }

    /** Whether bytes [{@code off}, {@code off + len}) of {@code a} are all zero: at once for the shared array. */
    static boolean isZero(final byte[] a, final int off, final int len) {
        return a == SHARED || java.util.Arrays.mismatch(a, off, off + len, SHARED, 0, len) < 0;
    }
}
