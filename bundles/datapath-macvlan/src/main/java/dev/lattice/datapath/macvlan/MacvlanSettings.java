package dev.lattice.datapath.macvlan;

import java.util.Map;

/**
 * Settings of the macvlan datapath, {@code plugins.macvlan:} in lattice.yaml (PID
 * {@code dev.lattice.plugin.macvlan}).
 *
 * @param parent        the node's interface the pods' macvlans sit on ({@code parent}, required, e.g. {@code eth0})
 * @param hostInterface the node's own macvlan on the parent, holding the gateway addresses so the node reaches
 *                      its pods and routes for them ({@code hostInterface}, default {@code lattice-mv0})
 * @param nodeNamespace the network namespace that is "the node" ({@code nodeNamespace}: empty for the agent's
 *                      own, an iproute2 name, or a path)
 */
public record MacvlanSettings(String parent, String hostInterface, String nodeNamespace) {
    public MacvlanSettings {
        parent = parent == null ? "" : parent.trim();
        if (hostInterface == null || hostInterface.isBlank() || hostInterface.length() > 15 || hostInterface.contains("/")) {
            throw new IllegalArgumentException("plugins.macvlan.hostInterface must be an interface name of 1..15 characters, got '"
                    + hostInterface + "'");
        }
        nodeNamespace = nodeNamespace == null ? "" : nodeNamespace.trim();
    }

    public static MacvlanSettings from(Map<String, ?> c) {
        return new MacvlanSettings(str(c, "parent", ""), str(c, "hostInterface", "lattice-mv0"), str(c, "nodeNamespace", ""));
    }

    private static String str(Map<String, ?> c, String k, String def) {
        Object v = c.get(k);
        return v == null || String.valueOf(v).isBlank() ? def : String.valueOf(v).trim();
    }
}
