package org.ttmsim.check;

/**
 * {@code cpu-garbage}: a CPU read, through a user mapping or a kernel map, returned bytes other than the
 * logical content (reference F1, F2, F3, F8, F9). Judged from the bytes the emulated memory path
 * returned. Cannot judge bytes never written.
 */
public final class CpuGarbage extends ReadJudge {
    public CpuGarbage(final Oracle oracle) {
        super(oracle, Invariant.CPU_GARBAGE);
    }
}
