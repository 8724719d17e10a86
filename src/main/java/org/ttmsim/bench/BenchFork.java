package org.ttmsim.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each figure in a JVM of its own, as JMH forks its benchmarks: measured one after another in one
 * JVM, a figure inherits the JIT profiles and the heap of the figures before it (first-touch faults
 * measured 0.85M/s after the mapped-write figure and 1.1M/s on their own, in the same minute).
 *
 * <p>The child is this class's {@link #main}: it measures one figure with the parent's
 * {@link BenchConfig} and prints the result as one JSON line. It runs with the parent's JVM options and
 * class path; its standard error (progress, failures) goes to the parent's.
 */
final class BenchFork {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The measurements, each with the type of its result. */
    enum Figure {
        ENGINE(EngineBench.Result.class),
        WRITES(MappedWriteBench.Result.class),
        FAULTS(FaultBench.Result.class),
        MATRIX(MatrixBench.Result.class),
        EXPLORE(ExploreBench.Result.class),
        HEAP(HeapBench.Result.class);

        private final Class<?> result;

        Figure(final Class<?> result) {
            this.result = result;
        }

        Object measure(final BenchConfig cfg) {
            return switch (this) {
                case ENGINE -> EngineBench.run(cfg);
                case WRITES -> MappedWriteBench.run(cfg);
                case FAULTS -> FaultBench.run(cfg);
                case MATRIX -> MatrixBench.run(cfg);
                case EXPLORE -> ExploreBench.run(cfg);
                case HEAP -> HeapBench.run(cfg);
            };
        }
    }

    private BenchFork() {
    }

    /** Measures {@code figure} in a fresh JVM and returns its result. */
    static <T> T run(final Figure figure, final BenchConfig cfg, final Class<T> type) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchFork.class.getName());
        cmd.add(figure.name());
        cmd.add(write(cfg));
        try {
            final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final String out = readAll(p.getInputStream());
            final int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException("bench: the " + figure + " figure failed in its JVM (exit " + code
                        + ")");
            }
            return type.cast(JSON.readValue(out, figure.result));
        } catch (final IOException e) {
            throw new IllegalStateException("bench: cannot run the " + figure + " figure in a JVM of its own", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bench: interrupted", e);
        }
    }

    /** The child: {@code BenchFork FIGURE CONFIG_JSON}; prints the result as one JSON line. */
    public static void main(final String[] args) throws IOException {
        final Figure figure = Figure.valueOf(args[0]);
        final BenchConfig cfg = JSON.readValue(args[1], BenchConfig.class);
        System.out.println(write(figure.measure(cfg)));
    }

    private static String write(final Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(final InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
