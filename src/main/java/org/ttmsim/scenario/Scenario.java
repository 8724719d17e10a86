package org.ttmsim.scenario;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ttmsim.driver.DeviceSpec;

/**
 * A validated scenario file (docs/SCENARIOS.md): machine, device, design, injected faults, cost overrides,
 * steps and expectations, every default filled in except those derived from other fields.
 *
 * @param name        the scenario's name
 * @param description free text, empty when not given
 * @param file        the file name as given to the parser
 * @param machine     the machine section, defaults filled in
 * @param device      the device section, defaults filled in
 * @param design      the design id (default {@code upstream-2024})
 * @param kernel      the kernel release ({@code v6.9}), or null for the design's own release (docs/SCENARIOS.md, "design and kernel")
 * @param inject      injected faults in the order written (docs/SCENARIOS.md, "inject"), without repeats
 * @param costs       cost-parameter overrides, insertion-ordered
 * @param steps       the steps, step i at index i-1
 * @param expect      the expectations
 */
public record Scenario(String name, String description, String file, MachineSpec machine, DeviceSpec device,
                       String design, String kernel, List<InjectSpec> inject, Map<String, Long> costs, List<Step> steps,
                       Expect expect) {

    public static final String DEFAULT_DESIGN = "upstream-2024";

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(expect, "expect");
        inject = List.copyOf(inject);
        costs = Frozen.map(costs);
        steps = List.copyOf(steps);
    }

    /** The ids of {@link #inject()}, in order (an id limited twice is listed twice). */
    public List<String> injectIds() {
        return inject.stream().map(InjectSpec::id).toList();
    }
}
