package org.ttmsim.check;

/**
 * {@code device-garbage}: a device DMA read returned bytes other than the logical content (reference
 * F1 reversed, F4, F11). Judged from the bytes the emulated DMA path returned. Cannot judge bytes never
 * written.
 */
public final class DeviceGarbage extends ReadJudge {
    public DeviceGarbage(final Oracle oracle) {
        super(oracle, Invariant.DEVICE_GARBAGE);
    }
}
