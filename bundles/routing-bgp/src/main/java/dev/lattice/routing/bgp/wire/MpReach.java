package dev.lattice.routing.bgp.wire;

import dev.lattice.spi.net.IpAddress;
import java.util.Arrays;
import java.util.List;

/**
 * MP_REACH_NLRI (RFC 4760). For IPv4/IPv6 unicast the NLRI are parsed into {@code nlri}; for other
 * families {@code rawNlri} keeps the bytes and {@code nlri} is empty.
 */
public record MpReach(Family family, byte[] nextHop, List<Prefix> nlri, byte[] rawNlri, int flags) {
    public MpReach {
        nextHop = nextHop.clone();
        nlri = List.copyOf(nlri);
        rawNlri = rawNlri == null ? new byte[0] : rawNlri.clone();
    }

    public static MpReach of(Family family, IpAddress nextHop, List<Prefix> nlri) {
        return new MpReach(family, nextHop.bytes(), nlri, null, 0x80);
    }

    /** The (global) next hop: the first 4 or 16 octets, or null if the length is unusual. */
    public IpAddress nextHopAddress() {
        if (nextHop.length == 4 || nextHop.length == 16) {
            return IpAddress.ofBytes(nextHop);
        }
        if (nextHop.length == 32) {
            return IpAddress.ofBytes(Arrays.copyOf(nextHop, 16));
        }
        return null;
    }

    /** The link-local next hop of a 32-octet IPv6 next hop, or null. */
    public IpAddress linkLocalNextHop() {
        return nextHop.length == 32 ? IpAddress.ofBytes(Arrays.copyOfRange(nextHop, 16, 32)) : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MpReach m && m.family.equals(family) && Arrays.equals(m.nextHop, nextHop)
                && m.nlri.equals(nlri) && Arrays.equals(m.rawNlri, rawNlri);
    }

    @Override
    public int hashCode() {
        return family.hashCode() * 31 + nlri.hashCode();
    }
}
