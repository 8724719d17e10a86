package org.ttmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A run that exhausts the JVM's heap is not a limit of the kernel: it ends with one sentence that says how
 * to give the model more heap, and exit 3, whether it happened in {@code run}'s thread or in a matrix cell's
 * (wrapped by the executor).
 */
class OutOfMemoryTest {
    @Test
    void shouldRecogniseTheJvmRunningOutOfHeapThroughTheMatrixsWrapping() {
        final OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        final Exception wrapped = new IllegalStateException("matrix cell failed: " + oom,
                new ExecutionException(oom));

        assertThat(Main.outOfMemory(oom)).isTrue();
        assertThat(Main.outOfMemory(wrapped)).isTrue();
        assertThat(Main.outOfMemory(new IllegalStateException("a model error"))).isFalse();
    }

    @Test
    void shouldSayHowToGiveTheModelMoreHeap() {
        assertThat(Main.OUT_OF_MEMORY).startsWith("error: out of memory:").contains("TTMSIM_JAVA_OPTS=-Xmx")
                .contains("--threads 1").doesNotContain("\n");
    }
}
