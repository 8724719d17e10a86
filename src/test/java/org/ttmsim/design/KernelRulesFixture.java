package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * A user's design as the tests load it ({@code --design-class org.ttmsim.design.KernelRulesFixture},
 * {@link Designs#load}): it keeps the release's own decision everywhere, like {@code stock}, under an id
 * of its own and on v6.9. Not listed in META-INF/services, so the built-in registry never sees it unless a
 * test loads it. Not final only so that {@link TakenId} can reuse it under a taken id.
 */
public class KernelRulesFixture implements Design {
    public static final String ID = "kernel-rules-fixture";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "The release's own rules, under a user's id (a test fixture).";
    }

    @Override
    public String origin() {
        return "src/test: DesignRegistryTest and CliTest";
    }

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse("v6.9");
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return kernelFlags;
    }

    @Override
    public long vmaProt(final MapContext now, final long vmPageProt) {
        return vmPageProt;
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return false;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt, final long kernelProt) {
        return kernelProt;
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return kernelProt;
    }

    /** The same rules under an id a built-in design has: the registry must refuse it. */
    public static final class TakenId extends KernelRulesFixture {
        @Override
        public String id() {
            return "stock";
        }
    }
}
