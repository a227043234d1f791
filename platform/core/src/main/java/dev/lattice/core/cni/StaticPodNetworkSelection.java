package dev.lattice.core.cni;

import dev.lattice.core.selection.PodNetworkSelection;
import dev.lattice.core.selection.SelectionStatus;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PodNetworkSelection} over datapaths given in code, for running the CNI server without
 * OSGi (kernel-tier tests, benchmarks, tools). {@link #select(String)} switches make before break
 * like the agent's selector: the new datapath prepares the node first.
 */
public final class StaticPodNetworkSelection implements PodNetworkSelection {
    private final Map<String, PodNetworkDatapath> datapaths = new LinkedHashMap<>();
    private volatile String active;
    private volatile NodeNetwork node;
    private long swaps;
    private Instant since = Instant.now();

    public synchronized StaticPodNetworkSelection add(String name, PodNetworkDatapath datapath) {
        datapaths.put(name, datapath);
        if (active == null) active = name;
        return this;
    }

    public synchronized void remove(String name) {
        datapaths.remove(name);
        if (name.equals(active)) active = null;
    }

    /** Makes {@code name} the datapath in force, preparing the node with it first. */
    public synchronized void select(String name) {
        PodNetworkDatapath dp = datapaths.get(name);
        if (dp == null) throw new IllegalArgumentException("no datapath named " + name);
        if (node != null) dp.prepareNode(node);
        active = name;
        swaps++;
        since = Instant.now();
    }

    @Override
    public synchronized void prepare(NodeNetwork nodeNetwork) {
        node = nodeNetwork;
        if (active != null) datapaths.get(active).prepareNode(nodeNetwork);
    }

    @Override
    public synchronized Optional<Named<PodNetworkDatapath>> active() {
        return active == null ? Optional.empty() : Optional.of(new Named<>(active, datapaths.get(active)));
    }

    @Override
    public synchronized Optional<PodNetworkDatapath> byName(String name) {
        return Optional.ofNullable(datapaths.get(name));
    }

    @Override
    public PluginKind kind() {
        return PluginKind.POD_NETWORK;
    }

    @Override
    public synchronized SelectionStatus status() {
        return new SelectionStatus(PluginKind.POD_NETWORK, active == null ? List.of() : List.of(active), active,
                new ArrayList<>(datapaths.keySet()), swaps, "", since);
    }
}
