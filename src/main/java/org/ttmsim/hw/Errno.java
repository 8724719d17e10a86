package org.ttmsim.hw;

/**
 * Kernel error numbers as the model returns them: negative ints, as in C ({@code return -ENOMEM;}).
 * Values are Linux's (include/uapi/asm-generic/errno-base.h, errno.h, include/linux/errno.h).
 * {@link #SIGBUS}, {@link #SIGSEGV} and {@link #SIGKILL} are not errnos but the signal a user access
 * ends with; {@link #HANG} that it never ends; {@link #TERMINATED} and {@link #NOT_RUN} that the guest
 * was terminated during a step and that a step never ran. They use codes outside the errno range so one int can carry any of them.
 */
public final class Errno {
    public static final int OK = 0;
    public static final int EPERM = -1;
    public static final int ENOENT = -2;
    public static final int EACCES = -13;
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
    /** The OOM killer ended the faulting task: a fault returned VM_FAULT_OOM before v5.16. */
    public static final int SIGKILL = -100_009;
    /** The access never completes: from v5.16 a fault that keeps returning VM_FAULT_OOM is retried forever. */
    public static final int HANG = -200_003;
    /**
     * The kernel oopsed during this step: SEV-SNP or TDX stopped one of its own accesses (an unhandled
     * #VC/#VE in kernel mode ends in {@code die()}), and the task that made the call is killed.
     */
    public static final int OOPS = -200_004;
    /** The guest was terminated during this step ({@code sev_es_terminate()}). */
    public static final int TERMINATED = -200_001;
    /** The step never ran: the guest was terminated before it. */
    public static final int NOT_RUN = -200_002;

    private static final int[] CODES = {OK, EPERM, ENOENT, EINTR, EIO, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, ENODEV,
        EINVAL, ENOSPC, EDEADLK, EMULTIHOP, EALREADY, ERESTARTSYS, SIGBUS, SIGSEGV, SIGKILL, HANG, OOPS, TERMINATED,
        NOT_RUN};
    private static final String[] NAMES = {"ok", "EPERM", "ENOENT", "EINTR", "EIO", "EAGAIN", "ENOMEM", "EACCES",
        "EFAULT", "EBUSY", "ENODEV", "EINVAL", "ENOSPC", "EDEADLK", "EMULTIHOP", "EALREADY", "ERESTARTSYS", "SIGBUS",
        "SIGSEGV", "SIGKILL", "HANG", "OOPS", "TERMINATED", "NOT_RUN"};

    /** Every name a step result can have, in code order (the scenario parser's {@code result:} words). */
    public static java.util.List<String> names() {
        return java.util.List.of(NAMES);
    }

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
