/**
 * Scenario files (docs/SCENARIOS.md): YAML in, validated immutable {@link org.ttmsim.scenario.Scenario} out, and
 * every piece of bad input rejected before anything runs as {@code FILE:LINE:COL: message}.
 *
 * <p>Entry point: {@link org.ttmsim.scenario.ScenarioParser}. Records: {@code Scenario},
 * {@code MachineSpec}, {@code driver.DeviceSpec}, {@code PlaceSpec}, {@code Data}, {@code Step} (one record
 * per operation), {@code Expect}, {@code SourcePos}. Closed word lists: {@code Vocabulary}.
 *
 * <h2>Decisions of detail (all in docs/SCENARIOS.md too)</h2>
 * <ul>
 *   <li>Lines and columns are 1-based; columns count code points (a tab is one column); a leading
 *       byte-order mark is ignored. Problems with the file as a whole (missing, unreadable) have no
 *       line: the message is {@code FILE: message}.</li>
 *   <li>Paths in messages count list items from 1, like step indexes: {@code steps[3]} is step 3.</li>
 *   <li>The first problem in reading order is reported (sections in the order name, description,
 *       machine, device, design, inject, costs, steps, expect).</li>
 *   <li>Sizes, offsets and lengths: decimal or {@code 0x} hex, {@code _} separators allowed, with an
 *       optional {@code KiB}/{@code MiB}/{@code GiB}/{@code TiB} suffix (binary units only; {@code 4GB}
 *       is rejected with "did you mean '4GiB'?"). Leading zeros are decimal, not YAML 1.1 octal.
 *       Other integers (cbit, cpus, priority, fill, pages, costs) must be unquoted.</li>
 *   <li>RAM, SWIOTLB, VRAM and BO sizes are multiples of 4096. RAM 16 MiB..64 TiB; SWIOTLB at most
 *       RAM; with encryption on, RAM must lie below the C-bit (2^cbit bytes).</li>
 *   <li>{@code offset} defaults to 0. A read may leave out {@code length} when it has {@code expect};
 *       when both are given they must agree. One access moves at most 16 MiB; the data of all steps
 *       together is at most 256 MiB.</li>
 *   <li>Hex data may contain spaces ({@code "de ad be ef"}). Data written as an unquoted number or
 *       boolean is rejected (quote it to mean the text).</li>
 *   <li>Names of BOs, mappings and processes: letters, digits, {@code _ - .}, at most 64 characters.
 *       {@code managers} is reserved (it names the resource managers in {@code expect.state}).</li>
 *   <li>{@code create} needs a non-empty placement; {@code validate} accepts {@code []} (gutting).</li>
 *   <li>A BO is defined by {@code create}; {@code destroy} frees the name for a new {@code create}
 *       but a later use of the destroyed BO is not bad input (the run decides, e.g. ENOENT). A mapping
 *       is defined by {@code mmap ... as:}; {@code munmap} does not undefine it (a later access is a
 *       SIGSEGV at run time), and mapping names are unique within a scenario. Offsets through a
 *       mapping are checked against the BO's size at mmap time.</li>
 *   <li>{@code expect.state}: keys are {@code managers} or a BO some step creates; a BO's
 *       {@code placement} must be system, tt or vram; {@code size}/{@code usage} values may be written
 *       as sizes. Values become String, Long, Boolean, Double, null, or ordered maps and lists.</li>
 *   <li>Limits, each reported with a location: 2 MiB per file, 128 Ki characters per line, 512 Ki
 *       characters per scalar, 64 levels of nesting, 64 aliases to
 *       mappings or lists, no recursive aliases, 10000 values in {@code expect.state}. Merge keys
 *       ({@code <<}) are not supported.</li>
 * </ul>
 */
package org.ttmsim.scenario;
