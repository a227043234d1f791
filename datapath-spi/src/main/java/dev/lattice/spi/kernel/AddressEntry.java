package dev.lattice.spi.kernel;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;

/**
 * An address on an interface.
 *
 * @param ifindex      the interface index
 * @param address      the local address
 * @param prefixLength the length of the on-link prefix
 * @param scope        {@link RouteEntry#SCOPE_UNIVERSE}, {@link RouteEntry#SCOPE_LINK} or {@link RouteEntry#SCOPE_HOST}
 * @param flags        IFA_F_* flags; {@link #NODAD} on an IPv6 address skips duplicate address detection
 *                     so the address is usable at once
 */
public record AddressEntry(int ifindex, IpAddress address, int prefixLength, int scope, int flags) {
    /** IFA_F_NODAD. */
    public static final int NODAD = 0x02;
    /** IFA_F_PERMANENT (reported for addresses configured by hand). */
    public static final int PERMANENT = 0x80;

    public AddressEntry {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("interface index must be positive, got " + ifindex);
        }
        if (prefixLength < 0 || prefixLength > address.family().bitLength()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.."
                    + address.family().bitLength() + " for " + address);
        }
    }

    /** A universe-scope address; IPv6 addresses get {@link #NODAD}. */
    public static AddressEntry of(int ifindex, IpAddress address, int prefixLength) {
        return new AddressEntry(ifindex, address, prefixLength, RouteEntry.SCOPE_UNIVERSE,
                address.isIpv4() ? 0 : NODAD);
    }

    /** The on-link prefix, e.g. 10.0.0.0/24 for 10.0.0.1/24. */
    public IpPrefix prefix() {
        return IpPrefix.containing(address, prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength + " dev #" + ifindex;
    }
}
