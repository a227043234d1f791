package dev.lattice.core.ipam;

import dev.lattice.spi.net.IpPrefix;
import java.util.List;

/**
 * Where IPAM takes the node's pod CIDRs from. Today the {@code ipam.podCidrs} setting (PID
 * {@code dev.lattice.ipam}); the cluster layer registers an implementation as an OSGi service
 * fed from the Node's {@code spec.podCIDRs} and calls {@link IpamComponent#podCidrsChanged()}
 * (or simply re-registers) when they change. The highest-ranked registered source wins over the
 * setting.
 */
@FunctionalInterface
public interface PodCidrSource {
    /** The node's pod CIDRs, at most one per family, IPv4 first; empty when not known yet. */
    List<IpPrefix> podCidrs();
}
