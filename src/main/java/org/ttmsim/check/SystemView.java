package org.ttmsim.check;

import java.util.List;
import org.ttmsim.dma.Kernel;
import org.ttmsim.mm.MmStruct;

/** What the monitors may inspect between steps: the kernel, the processes and the objects' backing. */
public interface SystemView {
    Kernel kernel();

    /** User processes in creation order. */
    List<MmStruct> processes();

    /**
     * The frame that backs page {@code objPage} of the object a VMA maps ({@code vm_private_data} plus
     * the page offset relative to the object's first page), or -1 when that page has no backing now.
     */
    long backingPfn(Object bo, long objPage);

    /** The object's first page in its device's address space (its drm_vma_offset_node start). */
    long pgoffBase(Object bo);

    /** The scenario name of an object, for messages. */
    String name(Object bo);

    /** The TTM device whose managers, LRUs and pool {@link Accounting} checks. */
    org.ttmsim.ttm.TtmDevice device();

    /** The buffers the scenario holds a handle to, by name, in creation order. */
    java.util.Map<String, org.ttmsim.ttm.TtmBufferObject> liveBuffers();
}
