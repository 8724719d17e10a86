package org.ttmsim.check;

/**
 * {@code cpu-garbage}: a CPU read, through a user mapping or a kernel map, returned bytes other than the
 * logical content (the 2019 thread's "Screen garbage without this patch",
 * https://lore.kernel.org/r/20190903131504.18935-4-thomas_os@shipmail.org, and its kernel-map twin). Judged from the bytes the emulated memory path
 * returned, when the read returns them: the scenario's reads ({@code cpu-read}, {@code kmap-read}, {@code vmap-read}) and
 * the kernel's own copies of a buffer's content from its current backing ({@link #judgeCopy}: the
 * source pages of a memcpy move, the pages swapout copies to shmem), whose bytes become the content
 * elsewhere. So a garbled copy is reported at the step that copied it, and again when a later read
 * meets its result.
 *
 * <p>Cannot judge bytes never written. Does not judge kernel reads that carry no buffer content at that
 * moment: the pool's clears, {@code dma_alloc_coherent}'s zeroing, SWIOTLB bounce copies (at map time
 * the source pages are not the buffer's backing yet; at unmap time the source is the bounce slot, the
 * device's view, and the pages are being freed: a stale slot is seen when the device reads it,
 * {@link DeviceGarbage}), and swapin's writes (the swap file holds what swapout read, judged then).
 */
public final class CpuGarbage extends ReadJudge {
    public CpuGarbage(final Oracle oracle) {
        super(oracle, Invariant.CPU_GARBAGE);
    }
}
