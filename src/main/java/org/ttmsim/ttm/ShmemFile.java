package org.ttmsim.ttm;

/**
 * Models the shmem file {@code ttm_tt_swapout()} creates with {@code shmem_file_setup("ttm swap")}
 * (mm/shmem.c): the swapped-out contents of a tt, one page-sized array per page. The copies in and out
 * go through the kernel's direct map, so they see what the CPU sees.
 */
public final class ShmemFile {
    private final String name;
    private final byte[][] pages;

    public ShmemFile(final String name, final long size) {
        this.name = name;
        this.pages = new byte[(int) ((size + 4095) >>> 12)][];
    }

    public String name() {
        return name;
    }

    public int numPages() {
        return pages.length;
    }

    /** {@code shmem_read_mapping_page()}: the page, created zeroed on first use. */
    public byte[] page(final int index) {
        if (pages[index] == null) {
            pages[index] = new byte[4096];
        }
        return pages[index];
    }
}
