package org.ttmsim.hw;

/**
 * One emulated action: what happened, during which scenario step, to which frame, with which key.
 *
 * @param seq    position on the bus (0-based, total order of the run)
 * @param step   the scenario step running (1-based; 0 = set-up)
 * @param kind   what happened
 * @param pfn    the frame concerned, or -1
 * @param key    the engine key used by an access, or null when no access happened
 * @param detail a human sentence with the bits that matter (PTE, addresses, sizes)
 */
public record Event(long seq, int step, EventKind kind, long pfn, KeyId key, String detail) {
    /** The trace line: {@code [step 4] mm pte-insert pfn=0x1234: ...}. */
    public String traceLine() {
        final StringBuilder sb = new StringBuilder();
        sb.append("[step ").append(step).append("] ").append(kind.component()).append(' ').append(kind.label());
        if (pfn >= 0) {
            sb.append(" pfn=0x").append(Long.toHexString(pfn));
        }
        if (key != null) {
            sb.append(" key=").append(key.label());
        }
        return sb.append(": ").append(detail).toString();
    }
}
