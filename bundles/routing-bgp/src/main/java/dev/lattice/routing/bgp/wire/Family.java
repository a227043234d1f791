package dev.lattice.routing.bgp.wire;

/** An address family: AFI and SAFI (RFC 4760). */
public record Family(int afi, int safi) {
    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int SAFI_UNICAST = 1;
    public static final Family IPV4_UNICAST = new Family(AFI_IPV4, SAFI_UNICAST);
    public static final Family IPV6_UNICAST = new Family(AFI_IPV6, SAFI_UNICAST);

    public boolean isUnicastIp() {
        return safi == SAFI_UNICAST && (afi == AFI_IPV4 || afi == AFI_IPV6);
    }

    public static Family of(int afi, int safi) {
        if (safi == SAFI_UNICAST && afi == AFI_IPV4) {
            return IPV4_UNICAST;
        }
        if (safi == SAFI_UNICAST && afi == AFI_IPV6) {
            return IPV6_UNICAST;
        }
        return new Family(afi, safi);
    }

    /** ExaBGP-style name: {@code ipv4 unicast}, {@code ipv6 unicast}, or numbers. */
    public String name() {
        String a = switch (afi) {
            case 1 -> "ipv4";
            case 2 -> "ipv6";
            case 25 -> "l2vpn";
            case 16388 -> "bgp-ls";
            default -> "afi-" + afi;
        };
        String s = switch (safi) {
            case 1 -> "unicast";
            case 2 -> "multicast";
            case 4 -> "nlri-mpls";
            case 5 -> "mcast-vpn";
            case 65 -> "vpls";
            case 70 -> "evpn";
            case 71, 72 -> "bgp-ls";
            case 73 -> "sr-policy";
            case 85 -> "mup";
            case 128 -> "mpls-vpn";
            case 133 -> "flow";
            case 134 -> "flow-vpn";
            default -> "safi-" + safi;
        };
        return a + " " + s;
    }

    @Override
    public String toString() {
        return name();
    }
}
