package dev.lattice.spi.kernel;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.MacAddress;
import java.util.Objects;

/**
 * A bridge forwarding database entry.
 *
 * @param ifindex     the port (for VXLAN, the VXLAN device)
 * @param mac         the MAC address; 00:00:00:00:00:00 on a VXLAN device is the flood entry
 * @param destination for VXLAN, the remote tunnel endpoint; {@code null} otherwise
 * @param vlan        VLAN id, 0 for none
 * @param self        true: the device's own table (NTF_SELF, what VXLAN uses); false: the
 *                    master bridge's table (NTF_MASTER)
 * @param state       {@link NeighbourState#PERMANENT} (VXLAN, or a local bridge entry) or
 *                    {@link NeighbourState#NOARP} (a static bridge entry); learned entries report REACHABLE/STALE
 */
public record FdbEntry(int ifindex, MacAddress mac, IpAddress destination, int vlan, boolean self,
                       NeighbourState state) {
    public FdbEntry {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(state, "state");
        if (vlan < 0 || vlan > 4094) {
            throw new IllegalArgumentException("VLAN " + vlan + " is outside 0..4094");
        }
    }

    /** A VXLAN entry: frames for {@code mac} go to {@code remote}. */
    public static FdbEntry vxlan(int ifindex, MacAddress mac, IpAddress remote) {
        return new FdbEntry(ifindex, mac, remote, 0, true, NeighbourState.PERMANENT);
    }

    /** A static entry in the master bridge's table: frames for {@code mac} leave through port {@code ifindex}. */
    public static FdbEntry bridgeStatic(int ifindex, MacAddress mac) {
        return new FdbEntry(ifindex, mac, null, 0, false, NeighbourState.NOARP);
    }
}
