package org.ttmsim.design;

import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmDecisions;
import org.ttmsim.ttm.TtmTt;

/**
 * The small pieces of protection arithmetic the design patches share, published for users' own designs:
 * each takes and returns a pgprot {@code long} (see {@link org.ttmsim.hw.Pte}) or tt page flags.
 */
public final class Prots {
    private Prots() {
    }

    /** {@code pgprot_decrypted()} iff {@code cond}. */
    public static long decIf(final boolean cond, final MapContext ctx, final long prot) {
        return cond ? ctx.decrypted(prot) : prot;
    }

    /** {@code kernelProt} with the encryption attribute of {@code from} (caching and the rest kept). */
    public static long encryptionOf(final MapContext ctx, final long from, final long kernelProt) {
        return ctx.cc().isPrivate(from) ? ctx.cc().mkEnc(kernelProt) : ctx.cc().mkDec(kernelProt);
    }

    /**
     * A tt kernel map decrypted when {@code decrypt}: a vmap with the decrypted protection (the linear
     * fast path is not taken, since the linear map of such pages need not be decrypted); iomem and
     * other tts keep the release's choice.
     */
    public static long kmapDecryptedIf(final boolean decrypt, final MapContext ctx, final long kernelProt) {
        if (ctx.iomem() || !decrypt) {
            return kernelProt;
        }
        return ctx.decrypted(kernelProt == TtmDecisions.LINEAR_MAP ? ctx.vmapProt() : kernelProt);
    }

    /** The kernel map of a design that uses the address dma_alloc_coherent() returned: the linear map. */
    public static long kmapLinearForTt(final MapContext ctx, final long kernelProt) {
        return ctx.iomem() ? kernelProt : TtmDecisions.LINEAR_MAP;
    }

    /** The tt flags without DECRYPTED (designs that predate TTM_TT_FLAG_DECRYPTED revert it). */
    public static int withoutDecrypted(final int flags) {
        return flags & ~TtmTt.FLAG_DECRYPTED;
    }

    /** The tt flags with DECRYPTED iff {@code decrypted}. */
    public static int decryptedIff(final boolean decrypted, final int flags) {
        return decrypted ? flags | TtmTt.FLAG_DECRYPTED : withoutDecrypted(flags);
    }
}
