package org.ttmsim.sim;

/**
 * How to run a scenario.
 *
 * @param design    design id overriding the file's, or null
 * @param mode      encryption mode id overriding {@code machine.encryption}, or null
 * @param keepTrace whether to keep every event as a trace line in the result
 */
public record RunOptions(String design, String mode, boolean keepTrace) {
    public static RunOptions defaults() {
        return new RunOptions(null, null, false);
    }
}
