package dev.lattice.datapath.bridge;

import java.util.Map;

/**
 * Settings of the linux-bridge datapath, {@code plugins.linux-bridge:} in lattice.yaml (PID
 * {@code dev.lattice.plugin.linux-bridge}).
 *
 * @param bridge               the node bridge ({@code bridge}, default {@code lattice0})
 * @param hairpin              hairpin mode on the pods' bridge ports ({@code hairpinMode}, default true), so a
 *                             pod reaches itself through a Service address
 * @param bridgeNfCallIptables set {@code net.bridge.bridge-nf-call-iptables}/{@code ip6tables} to 1
 *                             ({@code bridgeNfCallIptables}, default true) so iptables/nftables see bridged traffic
 * @param nodeNamespace        the network namespace that is "the node" ({@code nodeNamespace}: empty for the
 *                             agent's own, an iproute2 name, or a path); tests and the sandbox use their own
 */
public record BridgeSettings(String bridge, boolean hairpin, boolean bridgeNfCallIptables, String nodeNamespace) {
    public BridgeSettings {
        if (bridge == null || bridge.isBlank() || bridge.length() > 15 || bridge.contains("/") || bridge.contains(" ")) {
            throw new IllegalArgumentException("plugins.linux-bridge.bridge must be an interface name of 1..15 characters, got '"
                    + bridge + "'");
        }
        nodeNamespace = nodeNamespace == null ? "" : nodeNamespace.trim();
    }

    public static BridgeSettings defaults() {
        return new BridgeSettings("lattice0", true, true, "");
    }

    public static BridgeSettings from(Map<String, ?> c) {
        return new BridgeSettings(str(c, "bridge", "lattice0"), bool(c, "hairpinMode", true),
                bool(c, "bridgeNfCallIptables", true), str(c, "nodeNamespace", ""));
    }

    public BridgeSettings withBridge(String name) {
        return new BridgeSettings(name, hairpin, bridgeNfCallIptables, nodeNamespace);
    }

    public BridgeSettings withNodeNamespace(String ns) {
        return new BridgeSettings(bridge, hairpin, bridgeNfCallIptables, ns);
    }

    public BridgeSettings withHairpin(boolean value) {
        return new BridgeSettings(bridge, value, bridgeNfCallIptables, nodeNamespace);
    }

    private static String str(Map<String, ?> c, String k, String def) {
        Object v = c.get(k);
        return v == null || String.valueOf(v).isBlank() ? def : String.valueOf(v).trim();
    }

    private static boolean bool(Map<String, ?> c, String k, boolean def) {
        Object v = c.get(k);
        if (v == null) return def;
        String s = String.valueOf(v).trim().toLowerCase();
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("plugins.linux-bridge." + k + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(s);
    }
}
