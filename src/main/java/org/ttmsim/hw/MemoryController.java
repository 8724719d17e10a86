package org.ttmsim.hw;

/**
 * The memory controller: every CPU and device access to a physical address passes through here and
 * through the {@link EncryptionEngine} with the key its translation selected. Models the data path of
 * AMD SME/SEV (AES engine in the UMC) and Intel TME-MK/TDX, plus the integrity checks of the SEV-SNP
 * RMP and TDX, which stop a private/shared mismatch instead of returning garbage.
 *
 * <p>Works on whole 64-byte lines: a partial write is a read-modify-write of the line under the
 * writer's key, as the hardware does. Results are {@link #OK} or {@link #GUEST_FATAL}.
 */
public final class MemoryController {
    public static final int OK = 0;
    /** The access was stopped by SEV-SNP / TDX hardware (#VC, #VE, RMP #NPF). */
    public static final int GUEST_FATAL = -1;
    private static final int LINE = EncryptionEngine.LINE;
    private static final int FRAME = PhysicalMemory.FRAME;

    private final PhysicalMemory memory;
    private final EncryptionEngine engine;
    private final FrameStates frameStates;
    private final boolean integrity;
    private final byte[] lines = new byte[FRAME];

    public MemoryController(final PhysicalMemory memory, final EncryptionEngine engine, final FrameStates frameStates,
            final EncryptionMode mode) {
        this.memory = memory;
        this.engine = engine;
        this.frameStates = frameStates;
        this.integrity = mode.hasIntegrity();
    }

    /** Whether SNP/TDX hardware allows an access with {@code key} to {@code pfn}. */
    public boolean integrityAllows(final long pfn, final KeyId key) {
        if (!integrity) {
            return true;
        }
        final boolean privateAccess = key != KeyId.NONE;
        return privateAccess == frameStates.isPrivate(pfn);
    }

    /** Reads {@code len} bytes at {@code pa} as seen through {@code key}. */
    public int read(final long pa, final KeyId key, final byte[] dst, final int off, final int len) {
        int done = 0;
        while (done < len) {
            final long addr = pa + done;
            final long pfn = addr >>> Pte.PAGE_SHIFT;
            if (!integrityAllows(pfn, key)) {
                return GUEST_FATAL;
            }
            final int inFrame = (int) (addr & (FRAME - 1));
            final int n = Math.min(len - done, FRAME - inFrame);
            final int first = inFrame & ~(LINE - 1);
            final int span = ((inFrame + n + LINE - 1) & ~(LINE - 1)) - first;
            final byte[] frame = memory.frameIfPresent(pfn);
            if (frame == null) {
                java.util.Arrays.fill(lines, 0, span, (byte) 0);
                engine.decrypt(key, (pfn << Pte.PAGE_SHIFT) + first, lines, 0, lines, 0, span);
            } else {
                engine.decrypt(key, (pfn << Pte.PAGE_SHIFT) + first, frame, first, lines, 0, span);
            }
            System.arraycopy(lines, inFrame - first, dst, off + done, n);
            done += n;
        }
        return OK;
    }

    /** Writes {@code len} bytes at {@code pa} through {@code key}. */
    public int write(final long pa, final KeyId key, final byte[] src, final int off, final int len) {
        int done = 0;
        while (done < len) {
            final long addr = pa + done;
            final long pfn = addr >>> Pte.PAGE_SHIFT;
            if (!integrityAllows(pfn, key)) {
                return GUEST_FATAL;
            }
            final int inFrame = (int) (addr & (FRAME - 1));
            final int n = Math.min(len - done, FRAME - inFrame);
            writeInFrame(pfn, inFrame, key, src, off + done, n);
            done += n;
        }
        return OK;
    }

    private void writeInFrame(final long pfn, final int inFrame, final KeyId key, final byte[] src, final int off,
            final int n) {
        final byte[] frame = memory.frame(pfn);
        final long framePa = pfn << Pte.PAGE_SHIFT;
        final int first = inFrame & ~(LINE - 1);
        final int end = (inFrame + n + LINE - 1) & ~(LINE - 1);
        final int span = end - first;
        if (inFrame != first || inFrame + n != end) {
            // Partial line: the controller reads the line, merges, and writes it back.
            engine.decrypt(key, framePa + first, frame, first, lines, 0, span);
        }
        System.arraycopy(src, off, lines, inFrame - first, n);
        engine.encrypt(key, framePa + first, lines, 0, frame, first, span);
    }
}
