package dev.lattice.spi.pod;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.Objects;

/**
 * An address assigned to a pod interface, with the prefix length of its subnet and the gateway
 * the pod's default route uses (the first address of the node's pod CIDR).
 */
public record InterfaceAddress(IpAddress address, int prefixLength, IpAddress gateway) {
    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        if (address.family() != gateway.family()) {
            throw new IllegalArgumentException("address " + address + " and gateway " + gateway
                    + " are of different families");
        }
        IpPrefix.containing(address, prefixLength); // validates the length
    }

    /** The subnet this address belongs to. */
    public IpPrefix subnet() {
        return IpPrefix.containing(address, prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength + " via " + gateway;
    }
}
