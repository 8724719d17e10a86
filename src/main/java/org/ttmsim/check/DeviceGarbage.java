package org.ttmsim.check;

/**
 * {@code device-garbage}: a device DMA read returned bytes other than the logical content (the device
 * reading a CPU store made through the wrong attribute, or a stale SWIOTLB slot). Judged from the bytes the emulated DMA path returned, when the scenario's
 * {@code device-read} returns them (through a SWIOTLB slot when the tt is streamed, so a stale bounce
 * buffer is seen here). Cannot judge bytes never written; the model's device reads only at
 * {@code device-read} steps (no GPU copies, no scanout).
 */
public final class DeviceGarbage extends ReadJudge {
    public DeviceGarbage(final Oracle oracle) {
        super(oracle, Invariant.DEVICE_GARBAGE);
    }
}
