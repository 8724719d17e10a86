package org.ttmsim.mm;

/** {@code vm_flags} bits of a VMA (include/linux/mm.h), the ones the model reads. */
public final class VmFlags {
    public static final int VM_READ = 0x1;
    public static final int VM_WRITE = 0x2;
    public static final int VM_SHARED = 0x8;
    public static final int VM_MAYWRITE = 0x20;
    public static final int VM_PFNMAP = 0x400;
    public static final int VM_IO = 0x4000;
    public static final int VM_DONTEXPAND = 0x40000;
    public static final int VM_MIXEDMAP = 0x10000000;
    public static final int VM_DONTDUMP = 0x04000000;

    private VmFlags() {
    }

    /** "rw shared pfnmap io" style. */
    public static String describe(final int flags) {
        final StringBuilder sb = new StringBuilder();
        sb.append((flags & VM_READ) != 0 ? "r" : "-").append((flags & VM_WRITE) != 0 ? "w" : "-");
        sb.append((flags & VM_SHARED) != 0 ? " shared" : " private");
        if ((flags & VM_PFNMAP) != 0) {
            sb.append(" pfnmap");
        }
        if ((flags & VM_MIXEDMAP) != 0) {
            sb.append(" mixedmap");
        }
        if ((flags & VM_IO) != 0) {
            sb.append(" io");
        }
        return sb.toString();
    }
}
