package org.ttmsim.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct address_space} as far as {@code i_mmap} goes (include/linux/fs.h): the reverse
 * map from an object's page offsets to every VMA, in every process, that maps them. DRM gives each
 * device one, the anon inode's mapping ({@code dev_mapping}).
 */
public final class AddressSpace {
    private final List<Vma> iMmap = new ArrayList<>();

    public void link(final Vma vma) {
        iMmap.add(vma);
    }

    public void unlink(final Vma vma) {
        iMmap.remove(vma);
    }

    /** VMAs in link order (deterministic). */
    public List<Vma> vmas() {
        return iMmap;
    }
}
