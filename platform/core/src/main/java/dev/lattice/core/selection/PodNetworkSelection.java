package dev.lattice.core.selection;

import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import java.util.Optional;

/**
 * Entry point of the CNI server. New pods go to the datapath in force; CHECK and DEL of an
 * existing pod go to the datapath that made its attachment, found by name, which stays
 * registered while its bundle is present even after another datapath was selected.
 */
public interface PodNetworkSelection extends PluginSelection {
    /** Remembers the node's network and prepares the datapath in force with it. */
    void prepare(NodeNetwork node);

    /** The datapath in force and its name, if any. */
    Optional<Named<PodNetworkDatapath>> active();

    /** A registered datapath by its {@code lattice.plugin.name}. */
    Optional<PodNetworkDatapath> byName(String name);

    /** A plugin instance with its name. */
    record Named<T>(String name, T plugin) {
    }
}
