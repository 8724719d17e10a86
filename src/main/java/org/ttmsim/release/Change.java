package org.ttmsim.release;

/**
 * The kernel release table, documented row by row in docs/RELEASES.md (with {@code ttmsim kernels} and
 * docs/SCENARIOS.md, "design and kernel"): every behaviour of the kernel that changed between v4.19 and the
 * newest release the model knows and can change a verdict, a step result, a state or a cost. Each row
 * names the release that brought it, the commit (hash and title) and what the code did before and
 * after. The layer that models the code asks {@code release.has(Change.X)} where the kernel branches;
 * nothing outside this package reads a version number.
 *
 * <p>Sources: the commits and patch mails named in each row, read with the project's kernel index
 * (docs/RELEASES.md has the evidence per row). {@link #confidence()} says how sure the release is:
 * {@code H} the code on both sides or the commit was read and a source names the release; {@code M}
 * the code or hash was read but the release is inferred from merge windows; {@code L} inferred.
 */
public enum Change {
    DRM_NEED_SWIOTLB_MEM_ENCRYPT("v5.2", "", "drm: fallback to dma_alloc_coherent when memory encryption is active",
            "drm_need_swiotlb(), drivers/gpu/drm/drm_cache.c",
            "true only for Xen PV or iomem above the device's DMA mask: amdgpu streams every tt page through dma_map_page",
            "also true when memory encryption is active: amdgpu/radeon allocate tt pages DMA-coherent (use_dma_alloc)",
            "H", "release from the drm pull for 5.2-rc1; hash not identified"),
    FORCE_DMA_UNENCRYPTED_SME_MASK("v5.3", "9087c37584fb", "dma-direct: Force unencrypted DMA under SME for certain DMA masks",
            "force_dma_unencrypted(), arch/x86/mm/mem_encrypt.c",
            "sev_active() only: an SME host never decrypts coherent memory",
            "also true on an SME host when min(coherent mask, bus limit) <= DMA_BIT_MASK(C-bit); no IOMMU test in any release",
            "H", ""),
    VMWGFX_MAP_POPULATE_DEFAULT("v5.3", "", "vmwgfx: default DMA mode vmw_dma_map_populate instead of vmw_dma_phys",
            "vmw_dma_select_mode(), drivers/gpu/drm/vmwgfx/vmwgfx_drv.c",
            "vmw_dma_phys (\"Using physical TTM page addresses\"): the device is handed physical addresses, no DMA API",
            "vmw_dma_map_populate (\"Caching DMA mappings\"): dma_map_page at populate, bounced through SWIOTLB in guests",
            "L", "the switch lies between v5.3 and v5.5; commit not identified; the model switches at v5.3"),
    FAULT_PROT_FROM_VM_PAGE_PROT("v5.6", "5379e4dd3220", "mm, drm/ttm: Fix vm page protection handling",
            "ttm_bo_vm_fault_reserved(), drivers/gpu/drm/ttm/ttm_bo_vm.c (with 574c5b3d0e4c vmf_insert_mixed_prot)",
            "a stack copy of the VMA with vm_page_prot = vm_get_page_prot(vm_flags): what a driver put in vm_page_prot at"
                    + " mmap is ignored",
            "prot = vma->vm_page_prot, then ttm_io_prot() and vmf_insert_pfn_prot() per PTE",
            "H", ""),
    MPROTECT_KEEPS_ENC_BIT("v5.7", "6db73f17c5f1", "x86: Don't let pgprot_modify() change the page encryption bit",
            "pgprot_modify() / _PAGE_CHG_MASK, arch/x86/include/asm/pgtable{,_types}.h",
            "mprotect takes the encryption bit from vm_get_page_prot(): a decrypted mapping turns encrypted",
            "_PAGE_ENC (sme_me_mask) is kept; on TDX it is 0, so TDX's shared bit is still lost",
            "H", "backported to 4.19.116 (and, per the thread, 5.4-5.6 stable); v4.19.0 lacks it"),
    DMA_PGPROT_DECRYPTS("v5.7", "17c4a2ae15a7", "dma-mapping: Fix dma_pgprot() for unencrypted coherent pages",
            "dma_pgprot() / dma_direct_mmap(), kernel/dma/mapping.c",
            "dma_mmap_coherent() maps coherent pages with the encrypted vm_page_prot even when they were decrypted",
            "pgprot_decrypted() when force_dma_unencrypted(dev)",
            "H", "tip x86/mm, March 2020, with the v5.7 mprotect fix; stable 5.4.33, 5.6.5"),
    VMWGFX_REFUSES_DMA_UNDER_MEM_ENCRYPT("v5.7", "3b0d6458c705", "drm/vmwgfx: Refuse DMA operation when SEV encryption is active",
            "vmw_dma_select_mode(), drivers/gpu/drm/vmwgfx/vmwgfx_drv.c",
            "guest-backed memory (GMR/MOB) reached by the release's DMA mode",
            "-EINVAL when memory encryption is active (SME hosts too): no GMR/MOB, no tt placement",
            "H", "cc_platform_has(CC_ATTR_MEM_ENCRYPT) form from v5.16 (e9d1d2bb75b2), same behaviour"),
    DMA_DIRECT_CHECKS_CONVERSION("v5.8", "56fccf21d196", "dma-direct: check return value when encrypting or decrypting memory",
            "dma_direct_alloc(), kernel/dma/direct.c",
            "the result of set_memory_decrypted() is ignored: the allocation succeeds with pages in whatever state",
            "a failed conversion frees the pages and fails the allocation",
            "H", "stable 5.7.7"),
    TTM_POOL("v5.11", "d099fc8f540a", "drm/ttm: new TT backend allocation pool v3",
            "ttm_pool_alloc()/ttm_pool_free(), drivers/gpu/drm/ttm/ttm_pool.c (old pool removed by 256dd44bd897)",
            "ttm_page_alloc_dma.c: one dma_alloc_coherent(PAGE_SIZE) per page (2 MiB chunks while 512 pages remain);"
                    + " cached pages are freed at unpopulate, so SEV re-encrypts and re-decrypts them every time",
            "ttm_pool: chunks of order up to 10; coherent chunks of every caching kept per device and order",
            "M", "hashes read in the linux-next rev-list; release inferred from the drm-misc-next cycle"),
    VIRTIO_GPU_MAX_SEGMENT("v5.3", "9b2a0a1ef66f", "drm/virtio: use virtio_max_dma_size",
            "virtio_gpu_object_get_sg_table(), drivers/gpu/drm/virtio/virtgpu_object.c",
            "sg_alloc_table_from_pages() merges physically contiguous pages into segments of up to 4 GiB; each is"
                    + " dma_map_sg()ed whole, so a segment above 256 KiB cannot bounce through SWIOTLB",
            "segments are capped at virtio_max_dma_size() (dma_max_mapping_size(): 256 KiB when SWIOTLB bounces"
                    + " every mapping) and bounce one by one",
            "H", "Gerd Hoffmann, Aug 2019, drm-fixes for 5.3; stable 5.2.17 (\"Upstream commit 9b2a0a1ef66f\"). The model also caps at device.max-segment"
                    + " when given. virtio-gpu left TTM for the GEM shmem helpers in v5.7; the model keeps its TTM-era"
                    + " shape and the segment rule"),
    AMDGPU_RAVEN_REFUSES_SME("v5.9", "ea68573d408f", "drm/amdgpu: Fail to load on RAVEN if SME is active",
            "amdgpu_pci_probe(), drivers/gpu/drm/amd/amdgpu/amdgpu_drv.c",
            "amdgpu binds to a Raven APU under memory encryption (S/G display then needs a 1:1 IOMMU mapping the"
                    + " encryption bit cannot have)",
            "\"SME is not compatible with RAVEN\": the probe fails (-ENOTSUPP) whenever memory encryption is active",
            "M", "Alex Deucher, 6 Sep 2020, acked by Joerg Roedel; hash as cited by Tom Lendacky; the drm-next pull"
                    + " for 5.10-rc1 lists it, a 5.9 drm-fixes copy was not seen: v5.9 or v5.10; guests too:"
                    + " the test is mem_encrypt_active(), later cc_platform_has(CC_ATTR_MEM_ENCRYPT)"),
    SWIOTLB_SEV_SIZE("v5.11", "e998879d4fb7", "x86,swiotlb: Adjust SWIOTLB bounce buffer size for SEV guests",
            "sev_setup_arch(), arch/x86/mm/mem_encrypt_amd.c",
            "64 MiB in every guest",
            "6% of RAM clamped to [64 MiB, 1 GiB] in SEV guests (later SEV and TDX)",
            "H", "TDX guests get the same rule: the test is cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) since"
                    + " 4d96f9109109b (v5.16), before any TDX guest boots; a swiotlb= on the command line wins"),
    /**
     * {@code ttm_bo_vmap()}: a whole-object kernel map that never takes the one-page linear-map fast path.
     * Read in drivers/gpu/drm/ttm/ttm_bo_util.c (the tt branch: {@code vmap(ttm->pages, ttm->num_pages, 0,
     * ttm_io_prot(bo, mem, PAGE_KERNEL))}); the release from the drm-misc-next pull "for 5.11" of 12 Nov 2020
     * that lists the commit, and a regression report against v5.11-rc naming it.
     */
    TTM_BO_VMAP("v5.11", "43676605f890", "drm/ttm: Add vmap/vunmap to TTM and TTM GEM helpers",
            "ttm_bo_vmap()/ttm_bo_vunmap(), drivers/gpu/drm/ttm/ttm_bo_util.c (drm_gem_ttm_vmap(),"
                    + " drivers/gpu/drm/drm_gem_ttm_helper.c)",
            "no ttm_bo_vmap(): a whole-object kernel map is the driver's ttm_bo_kmap(bo, 0, num_pages), so a one-page"
                    + " cached object goes through the linear map (the kmap() fast path of ttm_bo_kmap_ttm())",
            "ttm_bo_vmap(): iomem ioremapped whole by bus.caching; a tt always vmap(ttm->pages, num_pages, 0,"
                    + " ttm_io_prot(bo, mem, PAGE_KERNEL)), never the linear map, whatever its size",
            "H", "Thomas Zimmermann, drm-misc-next-2020-11-12 (\"drm-misc-next for 5.11\"); Chuck Lever's"
                    + " report of Jan 2021 against v5.11-rc names 43676605f890"),
    AMDGPU_EVICT_GTT_OR_SYSTEM("v5.15", "", "amdgpu_evict_flags: evict VRAM to GTT or system memory",
            "amdgpu_evict_flags(), drivers/gpu/drm/amd/amdgpu/amdgpu_ttm.c",
            "VRAM evicts to GTT only (a full GTT is made room in)",
            "VRAM evicts to GTT | CPU: a full GTT gives system memory",
            "L", "between v5.11 and v5.15 (android-12/13 trees); commit not identified; the model switches at v5.15"),
    SEV_CONVERSION_HYPERCALL("v5.16", "064ce6c550a0", "mm: x86: Invoke hypercall when page encryption status is changed",
            "enc_dec_hypercall(), arch/x86/mm/mem_encrypt_amd.c",
            "an SEV conversion tells the hypervisor nothing",
            "one KVM_HC_MAP_GPA_RANGE per direct-map entry of the range (per 4 KiB page once split)",
            "M", "release inferred from the KVM pull of Nov 2021"),
    PAGEFAULT_OOM_RETRIES("v5.16", "60e2793d440a", "mm, oom: do not trigger out_of_memory from the #PF",
            "pagefault_out_of_memory(), mm/oom_kill.c",
            "a fault that returns VM_FAULT_OOM runs the OOM killer, which kills a task (here the faulting one)",
            "the OOM killer is not run from the fault: the fault is retried, forever if it keeps failing",
            "H", "stable backports (4.14.256 and others)"),
    DMA_FREE_REENCRYPTS_ONE_PAGE("v5.17", "4d0564785bb0", "dma-direct: factor out dma_set_{de,en}crypted helpers",
            "dma_direct_free(), kernel/dma/direct.c",
            "re-encrypts 1 << order pages on free",
            "passes a page count where bytes are expected: re-encrypts one page; the rest go back to the allocator shared",
            "H", "fixed in v5.19 (DMA_FREE_REENCRYPTS_SIZE)"),
    DMA_FREE_LEAKS_ON_REENCRYPT_FAILURE("v5.17", "a90cf3043748", "dma-direct: always leak memory that can't be re-encrypted",
            "dma_direct_free(), kernel/dma/direct.c",
            "pages whose re-encryption failed go back to the page allocator",
            "they are leaked",
            "H", ""),
    CPA_VMM_FAILURE_EIO("v5.18", "1e8c5971c249", "x86/mm/cpa: Generalize __set_memory_enc_pgtable()",
            "__set_memory_enc_pgtable(), arch/x86/mm/pat/set_memory.c",
            "no hypervisor hook can fail a conversion",
            "a failed enc_status_change_finish() returns -EIO; SEV's always succeeds (its result is ignored), SEV-SNP"
                    + " terminates the guest on a failed page-state change; only TDX (v5.19) returns -EIO",
            "H", ""),
    CC_GUESTS("v5.19", "41394e33f3a0", "x86/tdx: Extend the confidential computing API to support TDX guests",
            "arch/x86/coco/tdx/tdx.c, arch/x86/kernel/sev.c",
            "no TDX or SEV-SNP guest support",
            "TDX and SEV-SNP guests boot (SNP page-state changes batch 253 entries per VMGEXIT)",
            "M", "TDX hash read in a linux-next conflict report; the SNP guest series merged in the same window"),
    DMA_FREE_REENCRYPTS_SIZE("v5.19", "3be4562584bb", "dma-direct: use the correct size for dma_set_encrypted()",
            "dma_direct_free(), kernel/dma/direct.c (with 4a37f3dd9a83 dma-direct: don't over-decrypt memory)",
            "one page re-encrypted (v5.17 bug)",
            "PFN_UP(size) pages re-encrypted",
            "H", "stable 5.15.51"),
    SWIOTLB_NO_POOL_MAPPING_ERROR("v6.1", "639205ed206f", "swiotlb: don't panic!",
            "swiotlb_tbl_map_single(), kernel/dma/swiotlb.c",
            "a bounce with no pool (its boot allocation failed) panics the kernel: \"Can not allocate SWIOTLB buffer"
                    + " earlier and can't now provide you with the DMA bounce buffer\"",
            "the same message as a rate-limited warning, and the mapping fails (DMA_MAPPING_ERROR)",
            "H", "Robin Murphy, 7 Sep 2022; \"dma-mapping updates for Linux 6.1\" (dma-mapping-6.1-2022-10-10);"
                    + " the same patch makes a failed boot remap warn instead of panic"),
    SWIOTLB_SHRINKS_ON_FAILURE("v6.2", "8d58aa484920", "swiotlb: reduce the swiotlb buffer size on allocation failure",
            "swiotlb_init_remap(), kernel/dma/swiotlb.c",
            "no block of the size in low memory (memblock_alloc_low): the kernel boots without a bounce pool",
            "halves the size (ALIGN(nslabs >> 1, IO_TLB_SEGSIZE)) until the allocation succeeds or falls below"
                    + " IO_TLB_MIN_SLABS (1 MiB)",
            "H", "QEMU -m 16819M: 0x7e200 slabs failed, 0x7e180 fitted"),
    PURGE_FREES_RESOURCE("v6.4", "4110872b8115", "drm/ttm: stop allocating a dummy resource for pipelined gutting",
            "ttm_bo_pipeline_gutting(), drivers/gpu/drm/ttm/ttm_bo_util.c",
            "a purged buffer sits in SYSTEM with an unpopulated tt marked for clearing: later accesses read zeros",
            "bo->resource is NULL: the generic fault path and ttm_bo_kmap dereference it (a kernel oops)",
            "H", "with 00984ad39599 (no dummy resource at creation)"),
    PINNED_MOVE_REFUSED("v6.4", "b49323aa35d5", "drm/ttm: prevent moving of pinned BOs",
            "ttm_bo_validate(), drivers/gpu/drm/ttm/ttm_bo.c",
            "validate moves a pinned buffer",
            "-EINVAL (\"Moving of pinned BOs is forbidden\")",
            "H", ""),
    POPULATE_FAILURE_SIGBUS("v6.4", "e44f18c6ff8b", "drm/ttm: Make the call to ttm_tt_populate() interruptible when faulting",
            "ttm_bo_vm_fault_reserved(), drivers/gpu/drm/ttm/ttm_bo_vm.c",
            "a failed populate is VM_FAULT_OOM: the OOM killer runs and the fault is retried",
            "VM_FAULT_SIGBUS (signals: VM_FAULT_NOPAGE)",
            "H", ""),
    SNP_PSC_BATCH_64("v6.5", "69dcb1e3bbbe", "x86/sev: Put PSC struct on the stack in prep for unaccepted memory support",
            "__set_pages_state(), arch/x86/kernel/sev.c (with 15d9088779b8 x86/sev: Use large PSC requests if applicable)",
            "253 entries per page-state-change VMGEXIT",
            "64 entries per VMGEXIT, 2 MiB entries where aligned",
            "M", "release inferred from the unaccepted-memory batch"),
    TT_FLAG_DECRYPTED("v6.9", "71ce046327cf", "drm/ttm: Make sure the mapped tt pages are decrypted when needed",
            "ttm_tt_create(), ttm_io_prot(), ttm_bo_kmap_ttm(), drivers/gpu/drm/ttm/",
            "tt mappings take vm_page_prot / PAGE_KERNEL (encrypted); one cached page is kmapped through the linear map",
            "TTM_TT_FLAG_DECRYPTED iff use_dma_alloc && CC_ATTR_GUEST_MEM_ENCRYPT; ttm_io_prot decrypts such tts and"
                    + " the one-page kmap fast path is not taken for them",
            "M", "stable 6.1.120, 6.6.y, 6.8.y"),
    VMWGFX_COHERENT_UNDER_MEM_ENCRYPT("v6.9", "4c08f01934ab", "drm/vmwgfx: Enable DMA mappings with SEV",
            "vmw_dma_select_mode(), drivers/gpu/drm/vmwgfx/vmwgfx_drv.c",
            "DMA refused under memory encryption (v5.7)",
            "vmw_dma_alloc_coherent under CC_ATTR_MEM_ENCRYPT (\"otherwise ttm tt pool pages will bounce through swiotlb\")",
            "H", "stable 6.6+"),
    DMA_DIRECT_LEAKS_ON_CONVERSION_FAILURE("v6.9", "b9fa16949d18", "dma-direct: Leak pages on dma_set_decrypted() failure",
            "dma_direct_alloc(), kernel/dma/direct.c",
            "a failed decryption frees the pages back to the allocator in whatever state the failure left them",
            "the pages are leaked, never reused (CVE-2024-35939)",
            "H", "stable 6.1.86, 6.6.27, 6.8.6"),
    TDX_MPROTECT_KEEPS_SHARED_BIT("v6.9", "a0a8d15a798b", "x86/tdx: Preserve shared bit on mprotect()",
            "_COMMON_PAGE_CHG_MASK (_PAGE_CC), arch/x86/include/asm/pgtable_types.h",
            "mprotect drops TDX's shared bit: a shared mapping turns private",
            "the shared bit is kept",
            "H", "stable backports (6.8.y)"),
    AMDGPU_FAULT_REVALIDATES("v6.9", "", "drm/amdgpu: fix visible VRAM handling during faults",
            "amdgpu_bo_fault_reserve_notify(), drivers/gpu/drm/amd/amdgpu/amdgpu_object.c",
            "reads bo->resource->mem_type: a purged buffer (v6.4+) oopses the fault",
            "a buffer without a CPU-visible resource is validated into VRAM or GTT first (SIGBUS if pinned)",
            "M", "v6.9-rc, Cc stable; hash not identified");

    private final KernelRelease since;
    private final String commit;
    private final String title;
    private final String where;
    private final String before;
    private final String after;
    private final String confidence;
    private final String note;

    Change(final String since, final String commit, final String title, final String where, final String before,
            final String after, final String confidence, final String note) {
        final String[] mm = since.substring(1).split("\\.");
        this.since = new KernelRelease(Integer.parseInt(mm[0]), Integer.parseInt(mm[1]));
        this.commit = commit;
        this.title = title;
        this.where = where;
        this.before = before;
        this.after = after;
        this.confidence = confidence;
        this.note = note;
    }

    /** The row's id: the constant in kebab case, e.g. {@code mprotect-keeps-enc-bit}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The first release that has the new behaviour. */
    public KernelRelease since() {
        return since;
    }

    /** The commit's abbreviated hash, or the empty string when no source named it. */
    public String commit() {
        return commit;
    }

    /** The commit's title. */
    public String title() {
        return title;
    }

    /** The kernel function and file. */
    public String where() {
        return where;
    }

    /** What the code did before {@link #since()}. */
    public String before() {
        return before;
    }

    /** What it does from {@link #since()} on. */
    public String after() {
        return after;
    }

    /** {@code H}, {@code M} or {@code L} (see the class doc). */
    public String confidence() {
        return confidence;
    }

    /** Stable backports, uncertainties; may be empty. */
    public String note() {
        return note;
    }
}
