package org.ttmsim.hw;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The one helper the hw, mm and dma tests share (like the kernel's {@code ttm_kunit_helpers.c}):
 * builds concluded machines with the scenario defaults unless a test says otherwise, and converts bytes.
 */
public final class TestMachines {
    private static final HexFormat HEX = HexFormat.of();

    private TestMachines() {
    }

    /** A machine builder with the scenario defaults: C-bit 47, 1 GiB RAM, 4 CPUs, 256 MiB VRAM, mode's SWIOTLB. */
    public static Builder machine(final EncryptionMode mode) {
        return new Builder(mode);
    }

    public static byte[] hex(final String hex) {
        return HEX.parseHex(hex);
    }

    public static String hex(final byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** {@code n} bytes of a recognisable pattern that differs per {@code seed}. */
    public static byte[] pattern(final int n, final int seed) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        }
        return b;
    }

    /** Fluent builder over {@link MachineConfig#conclude}. */
    public static final class Builder {
        private final EncryptionMode mode;
        private int cbit = 47;
        private boolean smeCoherent;
        private long ramBytes = MachineConfig.GIB;
        private int cpus = 4;
        private long swiotlbBytes = -1;
        private long lowMemoryBytes = -1;
        private long vramBytes = 256 * MachineConfig.MIB;
        private final Set<Injection> injections = EnumSet.noneOf(Injection.class);
        private int cacheLines = CpuCache.DEFAULT_LINES;
        private boolean keepLog = true;

        private Builder(final EncryptionMode mode) {
            this.mode = mode;
        }

        public Builder cbit(final int bit) {
            this.cbit = bit;
            return this;
        }

        public Builder smeCoherent(final boolean coherent) {
            this.smeCoherent = coherent;
            return this;
        }

        public Builder ram(final long bytes) {
            this.ramBytes = bytes;
            return this;
        }

        public Builder cpus(final int n) {
            this.cpus = n;
            return this;
        }

        public Builder swiotlb(final long bytes) {
            this.swiotlbBytes = bytes;
            return this;
        }

        /** The largest free block below 4 GiB at the boot's SWIOTLB allocation (default: the model's). */
        public Builder lowMemory(final long bytes) {
            this.lowMemoryBytes = bytes;
            return this;
        }

        public Builder vram(final long bytes) {
            this.vramBytes = bytes;
            return this;
        }

        public Builder inject(final Injection injection) {
            injections.add(injection);
            return this;
        }

        /** The CPU cache's 64-byte lines, a power of two (default {@link CpuCache#DEFAULT_LINES}). */
        public Builder cacheLines(final int lines) {
            this.cacheLines = lines;
            return this;
        }

        public Builder keepLog(final boolean keep) {
            this.keepLog = keep;
            return this;
        }

        public MachineConfig config() {
            final MachineConfig c = MachineConfig.conclude(mode, cbit, smeCoherent, ramBytes, cpus, swiotlbBytes,
                    vramBytes, injections, CostParams.defaults(), cacheLines);
            return lowMemoryBytes < 0 ? c : c.withLowMemory(lowMemoryBytes);
        }

        public Machine build() {
            return new Machine(config(), keepLog);
        }
    }
}
