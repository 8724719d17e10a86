package org.ttmsim.sim;

/**
 * What one step did.
 *
 * @param index    1-based step index
 * @param op       the operation key ({@code cpu-read}, ...)
 * @param result   {@code ok} or the errno / signal name
 * @param expected the {@code result:} the scenario asked for, or null
 * @param data     bytes a read returned (null for non-reads or failed reads)
 * @param held     for reads with {@code expect:}, whether the bytes matched; null otherwise
 * @param detail   a human sentence: what happened (placement after a validate, the mapping's address...)
 */
public record StepResult(int index, String op, String result, String expected, byte[] data, Boolean held,
        String detail) {
    /** Whether the step's own expectations ({@code result:}, {@code expect:}) held. */
    public boolean expectationsHeld() {
        return (expected == null || expected.equals(result)) && (held == null || held);
    }
}
