package dev.lattice.spi.policy;

import dev.lattice.spi.plugin.DataplaneException;

/**
 * Enforces NetworkPolicy (nftables, iptables + ipset...). Registered with
 * {@code lattice.plugin.kind=network-policy}.
 */
public interface PolicyDataplane {
    /** Makes enforcement match {@code desired}; level-triggered, atomic per call where possible. */
    void sync(PolicyState desired) throws DataplaneException;

    /** Removes everything this plugin programmed, and nothing else. */
    void cleanup() throws DataplaneException;
}
