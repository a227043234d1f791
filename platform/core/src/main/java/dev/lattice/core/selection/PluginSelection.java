package dev.lattice.core.selection;

import dev.lattice.spi.plugin.PluginKind;

/** The selection of one plugin kind; registered as a service by each selector. */
public interface PluginSelection {
    PluginKind kind();

    SelectionStatus status();
}
