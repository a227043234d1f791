package dev.lattice.spi.plugin;

/** The four plugin points of the agent, with the configuration key that selects each. */
public enum PluginKind {
    /** {@link dev.lattice.spi.pod.PodNetworkDatapath}, selected by {@code podNetwork}. */
    POD_NETWORK("pod-network", "podNetwork"),
    /** {@link dev.lattice.spi.routing.RouteDistributor}, selected by {@code routing}. */
    ROUTING("routing", "routing"),
    /** {@link dev.lattice.spi.service.ServiceDataplane}, selected by {@code serviceProxy}. */
    SERVICE_PROXY("service-proxy", "serviceProxy"),
    /** {@link dev.lattice.spi.policy.PolicyDataplane}, selected by {@code networkPolicy}. */
    NETWORK_POLICY("network-policy", "networkPolicy");

    private final String id;
    private final String configKey;

    PluginKind(String id, String configKey) {
        this.id = id;
        this.configKey = configKey;
    }

    /** The value of the {@code lattice.plugin.kind} service property. */
    public String id() {
        return id;
    }

    /** The key in {@code lattice.yaml} that selects the plugin of this kind. */
    public String configKey() {
        return configKey;
    }

    public static PluginKind ofId(String id) {
        for (PluginKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown plugin kind '" + id + "'");
    }
}
