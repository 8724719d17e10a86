package org.ttmsim.explore;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.report.TextSummary;
import org.ttmsim.scenario.Data;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.scenario.Step;
import org.ttmsim.sim.BuiltinScenarios;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

/**
 * A counterexample made minimal and written as a scenario file: the search's sequence is shrunk by delta
 * debugging on its steps (ddmin: drop halves, quarters, ... then single steps, while the invariant still
 * breaks), then on each step's arguments (offsets to 0, lengths and data to one byte or halves, buffer sizes
 * to one page or halves). Each candidate is a scenario file read by the scenario parser and run from scratch
 * by {@link ScenarioRunner}: a candidate that is not valid input or no longer breaks the invariant is
 * refused. The file states in {@code expect.violations} exactly what broke and in {@code result:} every step
 * whose result is not {@code ok}, so {@code ttmsim run FILE} passes and prints {@link #runOutput}.
 *
 * @param invariant  the invariant id (or {@code model-error})
 * @param found      the length of the sequence the search found (its shortest)
 * @param fileName   the file name (no directory)
 * @param yaml       the file's text
 * @param steps      the steps of the file after shrinking
 * @param runOutput  what {@code ttmsim run DIR/FILE} prints for it (the file named as {@code shownPath})
 * @param violations every invariant the file's run breaks
 */
record Counterexample(String invariant, int found, String fileName, String yaml, int steps, String runOutput,
        List<String> violations) {

    /** Most candidate runs one shrink may make. */
    private static final int MAX_CANDIDATES = 400;

    /**
     * Shrinks the sequence {@code path} of {@code config}'s scope for one cell and writes the file.
     *
     * @param shownPath how the file will be named on the command line (for {@link #runOutput})
     */
    static Counterexample of(final ExploreConfig config, final String design, final String mode, final String kernel,
            final String invariant, final int[] path, final String fileName, final String shownPath) {
        final Shrinker shrinker = new Shrinker(config, design, mode, kernel, invariant);
        List<Step> steps = config.scope().steps(path, 1);
        steps = shrinker.steps(steps);
        steps = shrinker.arguments(steps);
        final RunResult first = shrinker.run(steps, null);
        final String name = fileName.replaceAll("\\.yaml$", "");
        final String text = file(config, design, mode, kernel, invariant, path.length, name, steps, first);
        final Scenario written;
        try {
            written = BuiltinScenarios.parser().parse(shownPath, text);
        } catch (final ScenarioException e) {
            throw new IllegalStateException("explore wrote a file the parser refuses: " + e.getMessage(), e);
        }
        final RunResult replay = ScenarioRunner.run(written, RunOptions.defaults());
        if (!replay.passed() || !(replay.violatedIds().contains(invariant) || replay.error() != null)) {
            throw new IllegalStateException("the counterexample " + fileName + " does not reproduce: verdict "
                    + replay.verdict() + ", violations " + replay.violatedIds() + " " + replay.failures());
        }
        return new Counterexample(invariant, path.length, fileName, text, steps.size(),
                TextSummary.render(replay, false), replay.violatedIds());
    }

    private static String file(final ExploreConfig config, final String design, final String mode, final String kernel,
            final String invariant, final int found, final String name, final List<Step> steps, final RunResult r) {
        final StringBuilder sb = new StringBuilder();
        sb.append("# Found by ttmsim explore in ").append(config.file()).append(": the shortest sequence of its scope\n");
        sb.append("# that breaks ").append(invariant).append(" has ").append(found)
                .append(" operation(s); shrunk to the ").append(steps.size()).append(" step(s) below.\n");
        sb.append("name: ").append(name).append('\n');
        sb.append("description: ").append(StepYaml.quoted("explore counterexample: " + invariant + " under design "
                + design + ", mode " + mode + ", kernel " + r.kernel())).append('\n');
        sb.append(StepYaml.configuration(config.base(), design, mode, r.kernel()));
        sb.append("steps:\n");
        final List<Step> all = new ArrayList<>(config.prefix());
        all.addAll(steps);
        for (int i = 0; i < all.size(); i++) {
            sb.append("  - ").append(StepYaml.step(all.get(i))).append('\n');
            final String result = i < r.steps().size() ? r.steps().get(i).result() : "ok";
            if (!"ok".equals(result)) {
                sb.append("    result: ").append(result).append('\n');
            }
        }
        sb.append("expect:\n  violations: [").append(String.join(", ", r.violatedIds())).append("]\n");
        return sb.toString();
    }

    /** Delta debugging of a sequence, then of its arguments, against one invariant in one cell. */
    static final class Shrinker {
        private final ExploreConfig config;
        private final RunOptions options;
        private final String invariant;
        private final ScenarioParser parser = BuiltinScenarios.parser();
        private int candidates;

        Shrinker(final ExploreConfig config, final String design, final String mode, final String kernel,
                final String invariant) {
            this.config = config;
            this.options = new RunOptions(design, mode, kernel, false);
            this.invariant = invariant;
        }

        /** ddmin over the steps, then single-step removal to a fixpoint. */
        List<Step> steps(final List<Step> start) {
            List<Step> cur = start;
            int n = 2;
            while (cur.size() >= 2 && candidates < MAX_CANDIDATES) {
                final int chunk = (cur.size() + n - 1) / n;
                boolean reduced = false;
                for (int from = 0; from < cur.size() && !reduced; from += chunk) {
                    final List<Step> rest = new ArrayList<>(cur.subList(0, from));
                    rest.addAll(cur.subList(Math.min(cur.size(), from + chunk), cur.size()));
                    if (!rest.isEmpty() && breaks(rest)) {
                        cur = rest;
                        n = Math.max(n - 1, 2);
                        reduced = true;
                    }
                }
                if (!reduced) {
                    if (n >= cur.size()) {
                        break;
                    }
                    n = Math.min(cur.size(), n * 2);
                }
            }
            return reindex(cur);
        }

        /** Each argument of each step made simpler while the invariant still breaks. */
        List<Step> arguments(final List<Step> start) {
            final List<Step> cur = new ArrayList<>(start);
            boolean changed = true;
            while (changed && candidates < MAX_CANDIDATES) {
                changed = false;
                for (int i = 0; i < cur.size(); i++) {
                    for (final Step simpler : simpler(cur.get(i))) {
                        final List<Step> trial = new ArrayList<>(cur);
                        trial.set(i, simpler);
                        if (breaks(trial)) {
                            cur.set(i, simpler);
                            changed = true;
                            break;
                        }
                    }
                }
            }
            return cur;
        }

        /** Simpler versions of a step, simplest first. */
        private static List<Step> simpler(final Step s) {
            final List<Step> out = new ArrayList<>();
            final Step.Meta m = s.meta();
            if (s instanceof Step.Create c) {
                for (final long size : smaller(c.size(), 4096, true)) {
                    out.add(new Step.Create(m, c.bo(), size, c.placement(), c.caching(), c.type(), c.priority()));
                }
            } else if (s instanceof Step.CpuRead r) {
                smallerReads(r.offset(), r.length(), (o, l) -> out.add(new Step.CpuRead(m, r.map(), o, l, r.expect())));
            } else if (s instanceof Step.KmapRead r) {
                smallerReads(r.offset(), r.length(), (o, l) -> out.add(new Step.KmapRead(m, r.bo(), o, l, r.expect())));
            } else if (s instanceof Step.VmapRead r) {
                smallerReads(r.offset(), r.length(), (o, l) -> out.add(new Step.VmapRead(m, r.bo(), o, l, r.expect())));
            } else if (s instanceof Step.DeviceRead r) {
                smallerReads(r.offset(), r.length(), (o, l) -> out.add(new Step.DeviceRead(m, r.bo(), o, l, r.expect())));
            } else if (s instanceof Step.HostRead r) {
                smallerReads(r.offset(), r.length(), (o, l) -> out.add(new Step.HostRead(m, r.bo(), o, l, r.expect())));
            } else if (s instanceof Step.CpuWrite w) {
                smallerWrites(w.offset(), w.data(), (o, d) -> out.add(new Step.CpuWrite(m, w.map(), o, d)));
            } else if (s instanceof Step.KmapWrite w) {
                smallerWrites(w.offset(), w.data(), (o, d) -> out.add(new Step.KmapWrite(m, w.bo(), o, d)));
            } else if (s instanceof Step.VmapWrite w) {
                smallerWrites(w.offset(), w.data(), (o, d) -> out.add(new Step.VmapWrite(m, w.bo(), o, d)));
            } else if (s instanceof Step.DeviceWrite w) {
                smallerWrites(w.offset(), w.data(), (o, d) -> out.add(new Step.DeviceWrite(m, w.bo(), o, d)));
            } else if (s instanceof Step.HostWrite w) {
                smallerWrites(w.offset(), w.data(), (o, d) -> out.add(new Step.HostWrite(m, w.bo(), o, d)));
            }
            return out;
        }

        private static List<Long> smaller(final long v, final long floor, final boolean pages) {
            final List<Long> out = new ArrayList<>();
            if (v > floor) {
                out.add(floor);
            }
            final long half = pages ? v / 2 / 4096 * 4096 : v / 2;
            if (half > floor && half < v) {
                out.add(half);
            }
            return out;
        }

        private static void smallerReads(final long offset, final long length, final ReadMaker make) {
            if (offset != 0) {
                make.make(0, length);
            }
            for (final long l : smaller(length, 1, false)) {
                make.make(offset, l);
            }
        }

        private static void smallerWrites(final long offset, final Data data, final WriteMaker make) {
            if (offset != 0) {
                make.make(0, data);
            }
            // A fill stays a fill (never spelled out); other data is as short as its file.
            for (final long l : smaller(data.length(), 1, false)) {
                make.make(offset, data.isFill() ? Data.fill(data.byteAt(0), l)
                        : new Data(java.util.Arrays.copyOf(data.bytes(), (int) l)));
            }
        }

        private interface ReadMaker {
            void make(long offset, long length);
        }

        private interface WriteMaker {
            void make(long offset, Data data);
        }

        private static List<Step> reindex(final List<Step> steps) {
            final List<Step> out = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                out.add(Scope.withIndex(steps.get(i), i + 1));
            }
            return out;
        }

        /** Whether the steps (after the configuration's prefix) still break the invariant. */
        boolean breaks(final List<Step> steps) {
            candidates++;
            final RunResult r = run(steps, null);
            if (r == null) {
                return false;
            }
            return CellData.MODEL_ERROR.equals(invariant) ? r.error() != null : r.violatedIds().contains(invariant);
        }

        /** The steps run from scratch as a scenario file, or null when the parser refuses them. */
        RunResult run(final List<Step> steps, final String fileName) {
            final StringBuilder sb = new StringBuilder("name: shrink\n");
            sb.append(StepYaml.configuration(config.base(), options.design(), options.mode(), options.kernel()));
            sb.append("steps:\n");
            final List<Step> all = new ArrayList<>(config.prefix());
            all.addAll(steps);
            for (final Step s : all) {
                sb.append("  - ").append(StepYaml.step(s)).append('\n');
            }
            try {
                final Scenario s = parser.parse(fileName == null ? "shrink" : fileName, sb.toString());
                return ScenarioRunner.run(s, options);
            } catch (final ScenarioException e) {
                return null;
            }
        }
    }
}
