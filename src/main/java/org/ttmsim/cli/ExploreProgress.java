package org.ttmsim.cli;

import java.io.PrintWriter;
import org.ttmsim.explore.Explorer;

/**
 * The explorer's progress line on a terminal's stderr (states, states/s, depth, time left in the current
 * level), redrawn at most twice a second; nothing when stderr is not a terminal, so output stays
 * byte-identical. The time left is the current level's remaining frontier at this level's rate.
 */
final class ExploreProgress implements Explorer.Progress {
    private static final long REDRAW_NS = 500_000_000L;
    private final PrintWriter err;
    private final boolean enabled;
    private String cell = "";
    private int index;
    private int cells;
    private long cellStart;
    private long levelStart;
    private int levelDepth = -1;
    private long lastDraw;
    private boolean drawn;

    ExploreProgress(final PrintWriter err, final boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    @Override
    public void cell(final int i, final int n, final String name) {
        if (!enabled) {
            return;
        }
        if (name == null) {
            if (drawn) {
                err.print("\r" + " ".repeat(110) + "\r");
                err.flush();
            }
            return;
        }
        index = i;
        cells = n;
        cell = name;
        cellStart = System.nanoTime();
        levelDepth = -1;
    }

    @Override
    public void update(final long states, final int depth, final long doneInLevel, final long level) {
        if (!enabled) {
            return;
        }
        final long now = System.nanoTime();
        if (depth != levelDepth) {
            levelDepth = depth;
            levelStart = now;
        }
        if (now - lastDraw < REDRAW_NS) {
            return;
        }
        lastDraw = now;
        final double secs = Math.max(1e-9, (now - cellStart) / 1e9);
        final double levelSecs = (now - levelStart) / 1e9;
        final double left = doneInLevel == 0 ? 0 : levelSecs / doneInLevel * (level - doneInLevel);
        final String line = String.format("[explore %d/%d] %s depth %d: %d states, %.0f states/s, ~%.0f s left at"
                + " this depth", index, cells, cell, depth, states, states / secs, left);
        err.print("\r" + (line.length() > 110 ? line.substring(0, 110) : String.format("%-110s", line)));
        err.flush();
        drawn = true;
    }
}
