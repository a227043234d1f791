package dev.lattice.spi.routing.overlay;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.FdbEntry;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.Neighbour;
import dev.lattice.spi.kernel.NeighbourState;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.MacAddress;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One VXLAN device of this node (one per address family) and its forwarding entries: an FDB entry
 * per remote node (its overlay MAC to its underlay address) and a permanent neighbour entry (the
 * remote pod CIDR's network address to that MAC). Level-triggered: {@link #apply} makes the device
 * and entries match the peers given, creating, fixing or removing what differs.
 *
 * <p>The device's alias marks it as Lattice's and names its owner (the route distributor) and the
 * parameters it was made with: {@code lattice OWNER vni=V port=P local=A}. A distributor that
 * finds the device of another one with the same parameters adopts it (a hot swap between static
 * and BGP routing keeps the device and its forwarding entries), and {@link #remove} removes only a
 * device its owner still holds, so the distributor swapped out does not take the device away.
 */
public final class VxlanOverlay {
    private static final Logger LOG = System.getLogger(VxlanOverlay.class.getName());
    /** VXLAN adds 50 bytes over IPv4 and 70 over IPv6. */
    private static final int OVERHEAD_V4 = 50;
    private static final int OVERHEAD_V6 = 70;

    private final Rtnetlink rt;
    private final String owner;
    private final String name;
    private final int vni;
    private final int port;

    /**
     * @param owner the distributor using it, a word ({@code static}, {@code bgp})
     * @param name  the device name
     */
    public VxlanOverlay(Rtnetlink rt, String owner, String name, int vni, int port) {
        if (owner.isBlank() || owner.contains(" ")) {
            throw new IllegalArgumentException("overlay owner must be one word, got '" + owner + "'");
        }
        this.rt = rt;
        this.owner = owner;
        this.name = name;
        this.vni = vni;
        this.port = port;
    }

    public String name() {
        return name;
    }

    /**
     * Makes the device exist on {@code underlayDevice} with {@code local} as source, addressed
     * with {@code ownInner}, and holding exactly the entries of {@code peers}.
     */
    public void apply(IpAddress local, String underlayDevice, IpAddress ownInner, List<VtepPeer> peers) {
        LinkInfo underlay = rt.link(underlayDevice).orElseThrow(() -> new IllegalStateException(
                "underlay device " + underlayDevice + " is gone"));
        int mtu = underlay.mtu() - (local.isIpv4() ? OVERHEAD_V4 : OVERHEAD_V6);
        MacAddress mac = VtepPeer.macFor(local);
        LinkInfo dev = ensureDevice(local, underlayDevice, mtu, mac);
        ensureAddress(dev.index(), ownInner);
        syncFdb(dev.index(), peers);
        syncNeighbours(dev.index(), local.family(), peers);
    }

    private LinkInfo ensureDevice(IpAddress local, String underlayDevice, int mtu, MacAddress mac) {
        String alias = alias(local);
        Optional<LinkInfo> existing = rt.link(name);
        if (existing.isPresent()) {
            LinkInfo l = existing.get();
            if ("vxlan".equals(l.kind()) && sameParameters(l.alias(), alias)) {
                if (!alias.equals(l.alias())) {
                    LOG.log(Level.INFO, "{0}: taking over the overlay device from ''{1}''", name, l.alias());
                }
                if (!mac.equals(l.mac()) || l.mtu() != mtu || !l.up() || !alias.equals(l.alias())) {
                    rt.setLink(name, LinkSettings.create().mac(mac).mtu(mtu).alias(alias).up(true));
                    return rt.link(name).orElseThrow();
                }
                return l;
            }
            if (l.alias() == null || !l.alias().startsWith(MARK)) {
                throw new IllegalStateException("a device named " + name + " exists and is not Lattice's (alias '"
                        + l.alias() + "'); remove it or choose another vxlanDevice");
            }
            // Made for another VNI, port or source: those cannot change in place.
            LOG.log(Level.INFO, "recreating {0}: its VXLAN parameters changed", name);
            rt.deleteLink(name);
        }
        LOG.log(Level.INFO, "creating {0}: VNI {1}, UDP port {2}, source {3} on {4}, MTU {5}",
                name, vni, port, local, underlayDevice, mtu);
        return rt.createLink(new LinkSpec.Vxlan(name, vni, local, underlayDevice, port, false, mtu),
                LinkSettings.create().mac(mac).alias(alias).up(true));
    }

    private static final String MARK = "lattice ";

    /** Marks the device as ours and remembers the parameters it was made with. */
    String alias(IpAddress local) {
        return MARK + owner + " vni=" + vni + " port=" + port + " local=" + local;
    }

    /** Whether two aliases of ours name the same VNI, port and source (whoever owns them). */
    private static boolean sameParameters(String existing, String wanted) {
        return existing != null && existing.startsWith(MARK) && wanted.startsWith(MARK)
                && parameters(existing).equals(parameters(wanted));
    }

    private static String parameters(String alias) {
        int firstSpace = alias.indexOf(' ', MARK.length());
        return firstSpace < 0 ? "" : alias.substring(firstSpace + 1);
    }

    private void ensureAddress(int ifindex, IpAddress inner) {
        IpFamily family = inner.family();
        boolean present = false;
        for (AddressEntry a : rt.addresses(ifindex, family)) {
            if (a.address().equals(inner)) {
                present = true;
            } else {
                rt.deleteAddress(a);
            }
        }
        if (!present) {
            rt.addAddress(AddressEntry.of(ifindex, inner, family.bitLength()));
        }
    }

    private void syncFdb(int ifindex, List<VtepPeer> peers) {
        Map<MacAddress, IpAddress> wanted = new HashMap<>();
        peers.forEach(p -> wanted.put(p.mac(), p.underlay()));
        Set<MacAddress> have = new HashSet<>();
        for (FdbEntry e : rt.fdb(ifindex)) {
            if (e.destination() == null) {
                continue; // the device's own entries
            }
            IpAddress w = wanted.get(e.mac());
            if (w != null && w.equals(e.destination())) {
                have.add(e.mac());
            } else {
                rt.deleteFdb(e);
            }
        }
        for (Map.Entry<MacAddress, IpAddress> w : wanted.entrySet()) {
            if (!have.contains(w.getKey())) {
                rt.replaceFdb(FdbEntry.vxlan(ifindex, w.getKey(), w.getValue()));
            }
        }
    }

    private void syncNeighbours(int ifindex, IpFamily family, List<VtepPeer> peers) {
        Map<IpAddress, MacAddress> wanted = new HashMap<>();
        peers.forEach(p -> wanted.put(p.inner(), p.mac()));
        for (Neighbour n : rt.neighbours(ifindex, family)) {
            MacAddress w = wanted.get(n.address());
            if (w == null || !w.equals(n.mac()) || n.state() != NeighbourState.PERMANENT) {
                rt.deleteNeighbour(n);
            } else {
                wanted.remove(n.address());
            }
        }
        wanted.forEach((addr, mac) -> rt.replaceNeighbour(Neighbour.permanent(ifindex, addr, mac)));
    }

    /**
     * Removes the device (its entries and routes go with it) — only if it carries its owner's
     * mark, so neither a device Lattice did not make nor one another distributor took over is
     * touched.
     */
    public void remove() {
        Optional<LinkInfo> l = rt.link(name);
        if (l.isPresent() && l.get().alias() != null && l.get().alias().startsWith(MARK + owner + " ")
                && rt.deleteLink(name)) {
            LOG.log(Level.INFO, "removed {0}", name);
        }
    }
}
