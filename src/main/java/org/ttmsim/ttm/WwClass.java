package org.ttmsim.ttm;

/**
 * Models {@code struct ww_class} (include/linux/ww_mutex.h) of the wait-die kind, as
 * {@code DEFINE_WD_CLASS(reservation_ww_class)} (drivers/dma-buf/dma-resv.c) declares it: the
 * counter that stamps acquire contexts, so that a lower stamp means an older transaction.
 */
public final class WwClass {
    private long stamp;

    long nextStamp() {
        return ++stamp;
    }
}
