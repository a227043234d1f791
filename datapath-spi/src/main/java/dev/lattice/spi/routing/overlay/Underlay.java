package dev.lattice.spi.routing.overlay;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.Optional;

/**
 * This node's underlay in one address family: its InternalIP, the subnet that holds it (nodes in
 * it are reached directly) and the interface it is on (the overlay's source device).
 */
public record Underlay(IpAddress address, IpPrefix subnet, String device) {
    /** The interface of this node that carries {@code address}, or empty when none does. */
    public static Optional<Underlay> find(Rtnetlink rt, IpAddress address) {
        for (LinkInfo link : rt.links()) {
            for (AddressEntry a : rt.addresses(link.index(), address.family())) {
                if (a.address().equals(address)) {
                    return Optional.of(new Underlay(address, IpPrefix.containing(address, a.prefixLength()), link.name()));
                }
            }
        }
        return Optional.empty();
    }
}
