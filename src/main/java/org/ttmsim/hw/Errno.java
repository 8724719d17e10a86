package org.ttmsim.hw;

/**
 * Kernel error numbers as the model returns them: negative ints, as in C ({@code return -ENOMEM;}).
 * Values are Linux's (include/uapi/asm-generic/errno-base.h, errno.h, include/linux/errno.h).
 * {@link #SIGBUS} and {@link #SIGSEGV} are not errnos but the signal a user access ends with; they use
 * codes outside the errno range so one int can carry either.
 */
public final class Errno {
    public static final int OK = 0;
    public static final int EPERM = -1;
    public static final int ENOENT = -2;
    public static final int EINTR = -4;
    public static final int EIO = -5;
    public static final int EAGAIN = -11;
    public static final int ENOMEM = -12;
    public static final int EFAULT = -14;
    public static final int EBUSY = -16;
    public static final int ENODEV = -19;
    public static final int EINVAL = -22;
    public static final int ENOSPC = -28;
    public static final int EDEADLK = -35;
    public static final int EMULTIHOP = -72;
    public static final int EALREADY = -114;
    public static final int ERESTARTSYS = -512;
    public static final int SIGBUS = -100_007;
    public static final int SIGSEGV = -100_011;

    private static final int[] CODES = {OK, EPERM, ENOENT, EINTR, EIO, EAGAIN, ENOMEM, EFAULT, EBUSY, ENODEV, EINVAL,
        ENOSPC, EDEADLK, EMULTIHOP, EALREADY, ERESTARTSYS, SIGBUS, SIGSEGV};
    private static final String[] NAMES = {"ok", "EPERM", "ENOENT", "EINTR", "EIO", "EAGAIN", "ENOMEM", "EFAULT", "EBUSY",
        "ENODEV", "EINVAL", "ENOSPC", "EDEADLK", "EMULTIHOP", "EALREADY", "ERESTARTSYS", "SIGBUS", "SIGSEGV"};

    private Errno() {
    }

    /** The SPEC §2 {@code result:} spelling: {@code ok}, {@code ENOMEM}, {@code SIGBUS}, ... */
    public static String name(final int code) {
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == code) {
                return NAMES[i];
            }
        }
        return "E" + (-code);
    }

    /** Parses a {@code result:} value; throws for unknown names. */
    public static int parse(final String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return CODES[i];
            }
        }
        throw new IllegalArgumentException("unknown result '" + name + "'");
    }
}
