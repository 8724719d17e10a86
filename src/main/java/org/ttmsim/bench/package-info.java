/**
 * {@code ttmsim bench}: how fast the emulation runs and how much heap it keeps, each figure measured
 * beside a baseline in the same JVM and the same run (README "Benchmarks").
 *
 * <p>This is the one package allowed to read the wall clock ({@link java.lang.System#nanoTime()}): the
 * model itself never does, so runs stay deterministic. Nothing in the model depends on this package.
 */
package org.ttmsim.bench;
