package org.ttmsim.bench;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import org.ttmsim.mm.Vma;
import org.ttmsim.ttm.TtmBufferObject;

/**
 * Figure (2): emulated CPU stores of whole 4 KiB pages into a mapped buffer — a 16 MiB TTM BO in TT,
 * mmapped, on an SME host whose tt pages are encrypted with the host key — through the TLB, the page tables, the CPU
 * cache and the AES engine (each store's evictions write older dirty lines back encrypted), against
 * {@code System.arraycopy} of the same page into a staging array plus raw {@code AES/ECB} of it into a
 * 16 MiB array of "frames": the bare data movement the emulation has to do.
 *
 * <p>Every page is written once before timing, so faults are not timed (figure 3 times those); in the
 * steady state each page written evicts the lines of a page written before, so the engine works every
 * byte written.
 */
final class MappedWriteBench {
    static final long BUFFER_BYTES = 16L << 20;
    private static final int PAGE = EngineBench.PAGE;

    /** Bytes per second through the mapping and for the baseline, and their ratio. */
    record Result(double bytesPerSecond, double baselineBytesPerSecond, double ratio) {
    }

    private MappedWriteBench() {
    }

    static Result run(final BenchConfig cfg) {
        final BenchWorld w = BenchWorld.sme(BenchWorld.GIB);
        final TtmBufferObject bo = w.createInTt("A", BUFFER_BYTES);
        final Vma vma = w.mmap(bo.name(), "a");
        final int pages = (int) (BUFFER_BYTES / PAGE);
        final byte[] src = EngineBench.randomPage();
        for (int p = 0; p < pages; p++) {
            w.access(vma.start() + (long) p * PAGE, src, 0, PAGE, true);
        }
        final int[] next = {0};
        final BenchClock.Workload mapped = ops -> {
            int p = next[0];
            final long va = vma.start();
            for (int i = 0; i < ops; i++) {
                w.access(va + (long) p * PAGE, src, 0, PAGE, true);
                p = p + 1 == pages ? 0 : p + 1;
            }
            next[0] = p;
        };
        final byte[] staging = new byte[PAGE];
        final byte[][] frames = new byte[pages][PAGE];
        final Cipher enc = EngineBench.ecb(Cipher.ENCRYPT_MODE);
        final int[] nextB = {0};
        final BenchClock.Workload baseline = ops -> {
            int p = nextB[0];
            try {
                for (int i = 0; i < ops; i++) {
                    System.arraycopy(src, 0, staging, 0, PAGE);
                    enc.doFinal(staging, 0, PAGE, frames[p], 0);
                    p = p + 1 == pages ? 0 : p + 1;
                }
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            nextB[0] = p;
        };
        final BenchClock.Paired r = BenchClock.paired(mapped, baseline, cfg);
        // Sanity: what the CPU wrote reads back through the mapping.
        final byte[] back = new byte[PAGE];
        w.access(vma.start(), back, 0, PAGE, false);
        EngineBench.check(Arrays.equals(src, back), "mapped write reads back");
        return new Result(r.rate() * PAGE, r.baselineRate() * PAGE, r.ratio());
    }
}
