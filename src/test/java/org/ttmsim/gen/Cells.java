package org.ttmsim.gen;

import java.util.ArrayList;
import java.util.List;
import org.ttmsim.design.Designs;
import org.ttmsim.report.ResultJson;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Vocabulary;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

/**
 * Runs generated scenarios cell by cell (scenario × design × mode) and reads model errors: an
 * {@code error} verdict, or an exception that escaped {@link ScenarioRunner#run} altogether (which
 * {@link Matrix#run} would turn into a failure of the whole matrix). Also names an error's root cause:
 * the exception's class and its top frame in the model ({@code org.ttmsim.*}), marked
 * {@code escaped the runner:} when the exception was not turned into a verdict.
 */
final class Cells {

    /** Every design id, in registry order. */
    static final List<String> DESIGNS = Designs.ids();
    /** Every mode, in registry order. */
    static final List<String> MODES = Vocabulary.ENCRYPTIONS;

    /** One generated scenario under one design and mode. */
    record Cell(ScenarioGenerator.Generated generated, Scenario scenario, String design, String mode) {
        Matrix.Cell matrixCell() {
            return new Matrix.Cell(scenario, design, mode);
        }

        @Override
        public String toString() {
            return "seed " + ScenarioGenerator.hex(generated.seed()) + " design " + design + " mode " + mode;
        }
    }

    /** What one run of a cell gave: a result, or an exception that escaped the runner. */
    record Outcome(Cell cell, RunResult result, Throwable escaped) {
        /** Whether the run could not complete (verdict error, or an escaped exception). */
        boolean error() {
            return escaped != null || "error".equals(result.verdict());
        }

        /** Result line, or a line naming the escaped exception. */
        String line() {
            return escaped != null ? "escaped: " + escaped : ResultJson.line(result);
        }

        /** {@link #line()} without the frames of whoever called the runner (see {@link Cells#comparable}). */
        String comparableLine() {
            return comparable(line());
        }

        /** The error with its stack, as the result's {@code error} reads; null when there is none. */
        String errorText() {
            if (escaped != null) {
                return "escaped ScenarioRunner.run (not turned into verdict error): " + stackText(escaped);
            }
            return result.error();
        }

        /** The error's first line. */
        String firstLine() {
            final String e = errorText();
            return e == null ? null : e.lines().findFirst().orElse("");
        }

        /** The error's root cause, e.g. {@code NullPointerException at org.ttmsim.ttm.TtmBo.x(TtmBo.java:12)}. */
        String rootCause() {
            return Cells.rootCause(errorText());
        }
    }

    private Cells() {
    }

    /** Every cell of the scenarios, in Matrix order (scenario, mode, design). */
    static List<Cell> cells(final List<ScenarioGenerator.Generated> gens, final List<Scenario> parsed) {
        final List<Cell> out = new ArrayList<>();
        for (int i = 0; i < gens.size(); i++) {
            for (final String m : MODES) {
                for (final String d : DESIGNS) {
                    out.add(new Cell(gens.get(i), parsed.get(i), d, m));
                }
            }
        }
        return out;
    }

    /** Runs every cell on {@code threads} threads, catching what escapes; outcomes in cell order. */
    static List<Outcome> runAll(final List<Cell> cells, final int threads) {
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, threads));
        try {
            final List<java.util.concurrent.Future<Outcome>> futures = new ArrayList<>();
            for (final Cell c : cells) {
                futures.add(pool.submit(() -> run(c)));
            }
            final List<Outcome> out = new ArrayList<>(cells.size());
            for (final java.util.concurrent.Future<Outcome> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one cell, catching what escapes the runner. */
    static Outcome run(final Cell c) {
        return run(c, c.scenario());
    }

    /** Runs {@code s} under the cell's design and mode. */
    static Outcome run(final Cell c, final Scenario s) {
        try {
            return new Outcome(c, ScenarioRunner.run(s, new RunOptions(c.design(), c.mode(), false)), null);
        } catch (final RuntimeException | StackOverflowError e) {
            return new Outcome(c, null, e);
        }
    }

    /**
     * A result line with an error's stack cut after the {@code ScenarioRunner.run} frame: the frames
     * below it belong to the caller (this class, {@code Matrix}'s worker, the CLI), not to the run, so
     * the same cell run from two places differs only there.
     */
    static String comparable(final String line) {
        return CALLER_FRAMES.matcher(line).replaceAll("$1");
    }

    /** In JSON text: the runner's frame, then every further {@code \n\tat …} or {@code \n\t… N more}. */
    private static final java.util.regex.Pattern CALLER_FRAMES = java.util.regex.Pattern.compile(
            "(org\\.ttmsim\\.sim\\.ScenarioRunner\\.run\\(ScenarioRunner\\.java:\\d+\\))(\\\\n\\\\t[^\\\\\"]*)*");

    /** The exception and its frames, as {@code printStackTrace} writes them (at most 40 frames). */
    static String stackText(final Throwable e) {
        final StringBuilder sb = new StringBuilder(e.toString());
        final StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(40, frames.length); i++) {
            sb.append("\n\tat ").append(frames[i]);
        }
        return sb.toString();
    }

    /**
     * The root cause of an error text: the exception class (simple name) and the first frame in the
     * model's own code; for an error without a stack (an impossible machine), its first line.
     */
    static String rootCause(final String errorText) {
        if (errorText == null) {
            return null;
        }
        final String first = errorText.lines().findFirst().orElse("");
        final int at = first.indexOf("model error: ");
        final String exception;
        if (at >= 0) {
            exception = first.substring(at + "model error: ".length());
        } else if (first.startsWith("escaped")) {
            final String cause = rootCause("model error: " + errorText.substring(first.indexOf(": ") + 2));
            return "escaped the runner: " + cause;
        } else {
            return first;
        }
        String cls = exception.split(":", 2)[0].strip();
        cls = cls.substring(cls.lastIndexOf('.') + 1);
        final String frame = errorText.lines().map(String::strip).filter(l -> l.startsWith("at org.ttmsim."))
                .findFirst().map(l -> l.substring(3)).orElse("(no model frame)");
        return cls + " at " + frame;
    }
}
