package org.ttmsim.cli;

import java.util.List;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.EncryptionMode;

/** Checks --design / --mode values, naming the valid ones. */
final class Overrides {
    static final List<String> MODES = java.util.Arrays.stream(EncryptionMode.values()).map(EncryptionMode::id)
            .toList();

    private Overrides() {
    }

    /** An error message for a {@code --kernel}/{@code --kernels} value, or null when it is a known release. */
    static String checkKernel(final String option, final String kernel) {
        if (kernel == null) {
            return null;
        }
        try {
            org.ttmsim.release.KernelRelease.parse(kernel);
            return null;
        } catch (final IllegalArgumentException e) {
            return option + ": " + e.getMessage() + " (`ttmsim kernels` lists them)";
        }
    }

    /** An error message, or null when both are valid (or absent). */
    static String check(final String design, final String mode) {
        if (design != null && !Designs.ids().contains(design)) {
            return "--design: unknown design '" + design + "'; valid: " + String.join(", ", Designs.ids());
        }
        if (mode != null && !MODES.contains(mode)) {
            return "--mode: unknown mode '" + mode + "'; valid: " + String.join(", ", MODES);
        }
        return null;
    }

    /**
     * An error message for a comma list with an empty item ({@code --designs pre-2019,,}), or null. picocli
     * drops trailing empty items when it splits, so this reads each split option's values as typed.
     */
    static String checkNoEmptyItems(final picocli.CommandLine.Model.CommandSpec spec) {
        for (final picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (o.splitRegex().isEmpty()) {
                continue;
            }
            for (final String typed : o.originalStringValues()) {
                for (final String item : typed.split(o.splitRegex(), -1)) {
                    if (item.isBlank()) {
                        return o.longestName() + ": empty item in '" + typed + "'; give a comma list without"
                                + " empty items, e.g. " + o.longestName() + " a,b";
                    }
                }
            }
        }
        return null;
    }

    /** Splits and checks a comma list against valid values; returns an error or null. */
    static String checkList(final String option, final List<String> values, final List<String> valid) {
        for (final String v : values) {
            if (!valid.contains(v)) {
                return option + ": unknown value '" + v + "'; valid: " + String.join(", ", valid);
            }
        }
        return null;
    }
}
