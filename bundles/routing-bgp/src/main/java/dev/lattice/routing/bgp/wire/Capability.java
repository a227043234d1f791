package dev.lattice.routing.bgp.wire;

import java.util.Arrays;

/** One capability TLV of an OPEN (RFC 5492), kept as bytes; {@link Capabilities} interprets them. */
public record Capability(int code, byte[] value) {
    public static final int MULTIPROTOCOL = 1;
    public static final int ROUTE_REFRESH = 2;
    public static final int EXTENDED_NEXT_HOP = 5;
    public static final int EXTENDED_MESSAGE = 6;
    public static final int GRACEFUL_RESTART = 64;
    public static final int FOUR_OCTET_AS = 65;
    public static final int ADD_PATH = 69;
    public static final int ENHANCED_ROUTE_REFRESH = 70;
    public static final int FQDN = 73;
    public static final int SOFTWARE_VERSION = 75;
    public static final int ROUTE_REFRESH_CISCO = 128;

    public Capability {
        value = value == null ? new byte[0] : value.clone();
    }

    public static Capability multiprotocol(Family f) {
        return new Capability(MULTIPROTOCOL, new byte[] {(byte) (f.afi() >> 8), (byte) f.afi(), 0, (byte) f.safi()});
    }

    public static Capability routeRefresh() {
        return new Capability(ROUTE_REFRESH, new byte[0]);
    }

    public static Capability fourOctetAs(long as) {
        return new Capability(FOUR_OCTET_AS, new byte[] {(byte) (as >>> 24), (byte) (as >>> 16), (byte) (as >>> 8), (byte) as});
    }

    /**
     * Graceful restart (RFC 4724).
     *
     * @param restarting the R bit: we are restarting
     * @param restartTime seconds (12 bits)
     * @param families    families whose forwarding state we preserved (F bit set), and others advertised
     */
    public static Capability gracefulRestart(boolean restarting, int restartTime, java.util.Map<Family, Boolean> families) {
        Writer w = new Writer(2 + 4 * families.size());
        w.u16((restarting ? 0x8000 : 0) | (restartTime & 0xfff));
        for (var e : families.entrySet()) {
            w.u16(e.getKey().afi()).u8(e.getKey().safi()).u8(e.getValue() ? 0x80 : 0);
        }
        return new Capability(GRACEFUL_RESTART, w.toArray());
    }

    public String name() {
        return switch (code) {
            case MULTIPROTOCOL -> "multiprotocol";
            case ROUTE_REFRESH -> "route-refresh";
            case EXTENDED_NEXT_HOP -> "extended-next-hop";
            case EXTENDED_MESSAGE -> "extended-message";
            case GRACEFUL_RESTART -> "graceful-restart";
            case FOUR_OCTET_AS -> "asn4";
            case ADD_PATH -> "add-path";
            case ENHANCED_ROUTE_REFRESH -> "enhanced-route-refresh";
            case FQDN -> "hostname";
            case SOFTWARE_VERSION -> "software-version";
            case ROUTE_REFRESH_CISCO -> "route-refresh-cisco";
            default -> "unknown";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capability c && c.code == code && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
        return code * 31 + Arrays.hashCode(value);
    }
}
