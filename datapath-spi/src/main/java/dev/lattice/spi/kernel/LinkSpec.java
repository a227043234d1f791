package dev.lattice.spi.kernel;

import dev.lattice.spi.net.IpAddress;
import java.util.Objects;

/**
 * What {@link Rtnetlink#createLink(LinkSpec)} creates. Names are validated up front: 1 to
 * {@link Rtnetlink#MAX_IFNAME} bytes, no '/', ':' or white space, not "." or "..".
 * An MTU of 0 keeps the kernel's default.
 */
public sealed interface LinkSpec {
    String name();

    int mtu();

    /**
     * A veth pair. When {@code peerNamespace} is given the peer end is created directly inside it
     * (one request, nothing to move afterwards).
     */
    record Veth(String name, String peerName, NetNamespace peerNamespace, int mtu) implements LinkSpec {
        public Veth {
            Objects.requireNonNull(peerName, "peerName");
        }

        public static Veth of(String name, String peerName) {
            return new Veth(name, peerName, null, 0);
        }
    }

    /** A Linux bridge. */
    record Bridge(String name, int mtu) implements LinkSpec {
        public static Bridge of(String name) {
            return new Bridge(name, 0);
        }
    }

    /** A macvlan on top of {@code parent} (a link in the same namespace). */
    record Macvlan(String name, String parent, Mode mode, int mtu) implements LinkSpec {
        public Macvlan {
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(mode, "mode");
        }

        /** Macvlan modes, with their kernel values. */
        public enum Mode {
            PRIVATE(1), VEPA(2), BRIDGE(4), PASSTHRU(8), SOURCE(16);

            private final int value;

            Mode(int value) {
                this.value = value;
            }

            public int value() {
                return value;
            }
        }
    }

    /**
     * A VXLAN device.
     *
     * @param vni      the VXLAN network identifier (0..16777215)
     * @param local    the local tunnel address, or {@code null}
     * @param device   the underlay interface name, or {@code null}
     * @param port     the UDP destination port, 0 for the IANA port 4789
     * @param learning whether the device learns remote MACs from received packets
     */
    record Vxlan(String name, int vni, IpAddress local, String device, int port, boolean learning, int mtu)
            implements LinkSpec {
        public Vxlan {
            if (vni < 0 || vni > 0xffffff) {
                throw new IllegalArgumentException("VXLAN id " + vni + " is outside 0..16777215");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("UDP port " + port + " is outside 0..65535");
            }
        }
    }
}
