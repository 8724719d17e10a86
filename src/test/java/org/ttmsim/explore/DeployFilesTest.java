package org.ttmsim.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped scale-out files stay runnable: the Kubernetes manifest is an Indexed Job whose pods each run
 * shard JOB_COMPLETION_INDEX+1 of as many shards as completions, plus a merge Job; the Slurm script is valid
 * bash and runs shard TASK_ID of TASK_COUNT.
 */
class DeployFilesTest {
    @Test
    @SuppressWarnings("unchecked")
    void shouldRunOneShardPerCompletionIndexAndMergeThemWhenAppliedToKubernetes() throws IOException {
        final List<Map<String, Object>> docs = new ArrayList<>();
        for (final Object doc : new Yaml().loadAll(Files.readString(Path.of("deploy/explore-job.yaml")))) {
            docs.add((Map<String, Object>) doc);
        }
        assertThat(docs).hasSize(2);
        final Map<String, Object> spec = (Map<String, Object>) docs.get(0).get("spec");
        assertThat(spec).containsEntry("completionMode", "Indexed");
        assertThat(spec.get("completions")).isEqualTo(spec.get("parallelism"));
        final Map<String, Object> container = container(spec);
        final String shards = env(container, "SHARDS");
        assertThat(Integer.parseInt(shards)).isEqualTo(spec.get("completions"));
        final String command = String.join(" ", (List<String>) container.get("args"));
        assertThat(command).contains("explore $SCOPE", "--shard $((JOB_COMPLETION_INDEX + 1))/$SHARDS",
                "--out /data/shards/$((JOB_COMPLETION_INDEX + 1))");
        final Map<String, Object> merge = container((Map<String, Object>) docs.get(1).get("spec"));
        assertThat(env(merge, "SHARDS")).isEqualTo(shards);
        assertThat(String.join(" ", (List<String>) merge.get("args"))).contains("explore-merge");
    }

    @Test
    void shouldBeValidBashThatRunsTheArrayTasksShardWhenSubmittedToSlurm() throws Exception {
        final Path script = Path.of("deploy/explore.slurm");
        final String text = Files.readString(script, StandardCharsets.UTF_8);
        assertThat(text).contains("#SBATCH --array=1-4", "--shard \"$k/$n\"", "SLURM_ARRAY_TASK_COUNT");
        final Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(final Map<String, Object> jobSpec) {
        final Map<String, Object> template = (Map<String, Object>) jobSpec.get("template");
        final Map<String, Object> podSpec = (Map<String, Object>) template.get("spec");
        return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static String env(final Map<String, Object> container, final String name) {
        for (final Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            if (name.equals(e.get("name"))) {
                return (String) e.get("value");
            }
        }
        throw new AssertionError("no env " + name);
    }
}
