package dev.lattice.spi.service;

import dev.lattice.spi.plugin.DataplaneException;

/**
 * Programs service load balancing (nftables, iptables, IPVS...). Registered with
 * {@code lattice.plugin.kind=service-proxy}.
 */
public interface ServiceDataplane {
    /**
     * Makes the dataplane match {@code desired}. Level-triggered: the whole state comes every
     * time; the plugin may diff against what it applied last. Atomic per call where the backend
     * allows it; on failure the previous state stays in force.
     */
    void sync(ServiceState desired) throws DataplaneException;

    /** Removes everything this plugin programmed, and nothing else. */
    void cleanup() throws DataplaneException;
}
