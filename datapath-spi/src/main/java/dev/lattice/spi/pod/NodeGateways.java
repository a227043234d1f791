package dev.lattice.spi.pod;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.kernel.Sysctl;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The node side of a pod network: the interface that holds the gateway address of each pod CIDR
 * (a bridge, the node's own macvlan, ...) and IP forwarding, which every datapath that routes its
 * pods through the node needs.
 *
 * @since 1.2
 */
public final class NodeGateways {
    private NodeGateways() {
    }

    /**
     * Gives interface {@code ifindex} exactly the gateway addresses of {@code node} (each with its pod
     * CIDR's prefix length) among its global addresses; returns the stale ones it removed.
     */
    public static List<AddressEntry> assign(Rtnetlink rt, int ifindex, NodeNetwork node) {
        Set<String> want = new HashSet<>();
        for (int i = 0; i < node.podCidrs().size(); i++) {
            IpAddress gw = node.gateways().get(i);
            int len = node.podCidrs().get(i).length();
            want.add(gw + "/" + len);
            try {
                rt.addAddress(AddressEntry.of(ifindex, gw, len));
            } catch (AlreadyExistsException e) {
                // already there
            }
        }
        List<AddressEntry> removed = new ArrayList<>();
        for (AddressEntry a : rt.addresses(ifindex, null)) {
            if (a.scope() == RouteEntry.SCOPE_UNIVERSE && !want.contains(a.address() + "/" + a.prefixLength())) {
                rt.deleteAddress(a);
                removed.add(a);
            }
        }
        return removed;
    }

    /** Turns on IPv4 forwarding, and IPv6 forwarding when a pod CIDR is IPv6; writes only what differs. */
    public static void enableForwarding(Sysctl sysctl, NodeNetwork node) {
        setIfDifferent(sysctl, "net.ipv4.ip_forward", "1");
        if (node.podCidrs().stream().anyMatch(p -> p.family() == IpFamily.IPV6)) {
            setIfDifferent(sysctl, "net.ipv6.conf.all.forwarding", "1");
        }
    }

    /** Writes {@code value} unless the key has it already (a write is not free and may be refused). */
    public static void setIfDifferent(Sysctl sysctl, String key, String value) {
        if (!value.equals(sysctl.get(key))) {
            sysctl.set(key, value);
        }
    }

    /** What is missing of the gateway addresses of {@code addresses} on interface {@code ifindex} ({@code ifName}). */
    public static List<String> verify(Rtnetlink rt, int ifindex, String ifName, List<InterfaceAddress> addresses) {
        Set<String> have = new HashSet<>();
        rt.addresses(ifindex, null).forEach(x -> have.add(x.address() + "/" + x.prefixLength()));
        List<String> problems = new ArrayList<>();
        for (InterfaceAddress x : addresses) {
            if (!have.contains(x.gateway() + "/" + x.prefixLength())) {
                problems.add("gateway " + x.gateway() + " is missing on " + ifName);
            }
        }
        return problems;
    }
}
