package dev.lattice.core.selection;

import dev.lattice.spi.plugin.PluginKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one kind's selection.
 *
 * @param kind       the plugin kind
 * @param configured the configured preference, first choice first ({@code none} allowed)
 * @param active     the plugin in force, {@code none}, or empty when nothing is in force yet
 * @param available  names of all registered providers of the kind
 * @param swaps      completed swaps since start
 * @param problem    why the selection is not what the configuration asks for, or empty
 * @param since      when {@code active} took over
 */
public record SelectionStatus(PluginKind kind, List<String> configured, String active, List<String> available,
                              long swaps, String problem, Instant since) {
    public SelectionStatus {
        Objects.requireNonNull(kind, "kind");
        configured = List.copyOf(configured);
        active = active == null ? "" : active;
        available = List.copyOf(available);
        problem = problem == null ? "" : problem;
        Objects.requireNonNull(since, "since");
    }
}
