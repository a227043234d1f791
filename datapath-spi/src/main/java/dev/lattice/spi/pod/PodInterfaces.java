package dev.lattice.spi.pod;

import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.plugin.DataplaneException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Helpers for pod datapaths: configuring and verifying the pod end of an attachment (interface up
 * with its addresses, a default route per family via the gateway, loopback up) and the node's
 * host route to each pod address. Every datapath needs the same; this keeps them consistent.
 *
 * @since 1.1
 */
public final class PodInterfaces {
    private PodInterfaces() {
    }

    /**
     * A deterministic node-side interface name for a pod interface: {@code prefix} and 11 hex digits
     * of the SHA-1 of "containerId/ifName" (14 characters with a 3-character prefix, within IFNAMSIZ),
     * so every CNI call for the same pod interface finds the same link.
     *
     * @since 1.2
     */
    public static String nodeSideName(String prefix, String containerId, String ifName) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest((containerId + "/" + ifName).getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(h).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The default route of {@code gw}'s family: 0.0.0.0/0 or ::/0. */
    public static IpPrefix defaultRoute(IpAddress gw) {
        return IpPrefix.parse(gw.isIpv4() ? "0.0.0.0/0" : "::/0");
    }

    /** Returns the pod interface as it was before being set up (index and MAC). */
    public static LinkInfo configure(NetNamespace pod, String ifName, List<InterfaceAddress> addresses) {
        Rtnetlink rt = pod.rtnetlink();
        LinkInfo link = rt.link(ifName).orElseThrow(() -> new DataplaneException("interface " + ifName
                + " vanished from " + pod.path() + " while being set up"));
        int idx = link.index();
        for (InterfaceAddress a : addresses) {
            try {
                rt.addAddress(AddressEntry.of(idx, a.address(), a.prefixLength()));
            } catch (AlreadyExistsException e) {
                // idempotent
            }
        }
        rt.setLink(ifName, LinkSettings.create().up(true));
        for (InterfaceAddress a : addresses) {
            rt.replaceRoute(RouteEntry.to(defaultRoute(a.gateway())).via(a.gateway(), idx));
        }
        return link;
    }

    /** What differs from the expected pod side; empty when all is as made. */
    public static List<String> verify(NetNamespace pod, String ifName, List<InterfaceAddress> addresses, int mtu) {
        List<String> problems = new ArrayList<>();
        Rtnetlink rt = pod.rtnetlink();
        LinkInfo link = rt.link(ifName).orElse(null);
        if (link == null) {
            problems.add("interface " + ifName + " is missing in " + pod.path());
            return problems;
        }
        if (!link.up()) problems.add(ifName + " is down");
        if (mtu > 0 && link.mtu() != mtu) problems.add(ifName + " has MTU " + link.mtu() + ", expected " + mtu);
        List<AddressEntry> have = rt.addresses(link.index(), null);
        for (InterfaceAddress a : addresses) {
            boolean found = have.stream().anyMatch(h -> h.address().equals(a.address()) && h.prefixLength() == a.prefixLength());
            if (!found) problems.add("address " + a.address() + "/" + a.prefixLength() + " is missing on " + ifName);
        }
        for (InterfaceAddress a : addresses) {
            IpFamily fam = a.address().family();
            IpPrefix dflt = defaultRoute(a.gateway());
            boolean found = rt.routes(fam, RouteEntry.TABLE_MAIN).stream().anyMatch(r -> r.destination().equals(dflt)
                    && a.gateway().equals(r.gateway()) && r.outputIndex() == link.index());
            if (!found) problems.add("default route via " + a.gateway() + " dev " + ifName + " is missing");
        }
        return problems;
    }

    /**
     * Node-side host routes (/32, /128) to each pod address through the interface that holds the
     * gateway: the node reaches every pod even while two datapaths (during a swap) hold the same
     * pod CIDR on two interfaces.
     */
    public static void addHostRoutes(Rtnetlink node, int ifindex, List<InterfaceAddress> addresses) {
        for (InterfaceAddress a : addresses) {
            node.replaceRoute(RouteEntry.to(IpPrefix.host(a.address())).dev(ifindex).withProtocol(HOST_ROUTE_PROTOCOL));
        }
    }

    /** Removes the host routes {@link #addHostRoutes} added; already gone is fine. */
    public static void deleteHostRoutes(Rtnetlink node, int ifindex, List<InterfaceAddress> addresses) {
        for (InterfaceAddress a : addresses) {
            node.deleteRoute(RouteEntry.to(IpPrefix.host(a.address())).dev(ifindex).withProtocol(HOST_ROUTE_PROTOCOL));
        }
    }

    /** What is missing of the host routes {@link #addHostRoutes} added. */
    public static List<String> verifyHostRoutes(Rtnetlink node, int ifindex, String ifName, List<InterfaceAddress> addresses) {
        List<String> problems = new ArrayList<>();
        for (InterfaceAddress a : addresses) {
            IpPrefix host = IpPrefix.host(a.address());
            boolean found = node.routes(a.address().family(), RouteEntry.TABLE_MAIN).stream()
                    .anyMatch(r -> r.destination().equals(host) && r.outputIndex() == ifindex);
            if (!found) problems.add("node route " + host + " dev " + ifName + " is missing");
        }
        return problems;
    }

    /** The route protocol of the node-side pod host routes (RTPROT_STATIC: never flushed by routing daemons). */
    /** The protocol of the node-side host routes to pod addresses. */
    public static final int HOST_ROUTE_PROTOCOL = RouteEntry.PROTO_STATIC;

    /** The CHECK failure for {@code what}, listing the differences. */
    public static DataplaneException mismatch(String what, List<String> problems) {
        return new DataplaneException(what + ": " + String.join("; ", problems), null, false);
    }
}
