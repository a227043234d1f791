package dev.lattice.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's underlay, all in network namespaces named {@code lsb-*} and closed to the
 * machine: a switch namespace ({@code lsb-sw}, a bridge = subnet A 10.99.1.0/24), a router
 * ({@code lsb-rt}: 10.99.1.1 on A, 10.99.2.1 on subnet B), the control plane ({@code lsb-cp},
 * 10.99.1.2 on A) and the nodes ({@code lsb-n1..}): every node but the last on subnet A, the last
 * alone on subnet B behind the router, so traffic to it takes the VXLAN overlay. Nothing is ever
 * done in the machine's own namespace.
 */
final class Topology {
    static final String PREFIX = "lsb-";
    static final String SWITCH = PREFIX + "sw";
    static final String ROUTER = PREFIX + "rt";
    static final String CONTROL_PLANE = PREFIX + "cp";
    static final String API_ADDRESS = "10.99.1.2";
    static final int API_PORT = 6443;

    private final int nodes;

    Topology(int nodes) {
        this.nodes = nodes;
    }

    static String nodeNamespace(int i) {
        return PREFIX + "n" + i;
    }

    static String nodeName(int i) {
        return "n" + i;
    }

    /** The node's InternalIP: subnet A for all but the last node, subnet B for the last. */
    static String nodeAddress(int i, int nodes) {
        return (i < nodes ? "10.99.1." : "10.99.2.") + (10 + i);
    }

    /** The router's address on the node's subnet: its default gateway (and, with BGP, its peer). */
    static String gatewayOf(int i, int nodes) {
        return i < nodes ? "10.99.1.1" : "10.99.2.1";
    }

    static String nodeSubnet(int i, int nodes) {
        return i < nodes ? "A 10.99.1.0/24" : "B 10.99.2.0/24";
    }

    static String podCidr(int i) {
        return "10.244." + i + ".0/24";
    }

    /** Every namespace whose name starts with {@code lsb-}: the sandbox's own, nothing else. */
    static List<String> sandboxNamespaces() {
        List<String> out = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "list").split("\n")) {
            String name = line.trim().split(" ")[0];
            if (name.startsWith(PREFIX)) {
                out.add(name);
            }
        }
        return out;
    }

    /** Removes every {@code lsb-} namespace; returns how many there were. */
    static int removeAll() {
        List<String> all = sandboxNamespaces();
        for (String ns : all) {
            Shell.quiet("ip", "netns", "del", ns);
        }
        return all.size();
    }

    void build() {
        List<String> roles = new ArrayList<>(List.of(SWITCH, ROUTER, CONTROL_PLANE));
        for (int i = 1; i <= nodes; i++) {
            roles.add(nodeNamespace(i));
        }
        for (String ns : roles) {
            Shell.run("ip", "netns", "add", ns);
            Shell.ip(ns, "link set lo up");
        }
        Shell.ip(SWITCH, "link add br0 type bridge");
        Shell.ip(SWITCH, "link set br0 up");
        List<String[]> legs = new ArrayList<>();
        legs.add(new String[] {ROUTER, "rt"});
        legs.add(new String[] {CONTROL_PLANE, "cp"});
        for (int i = 1; i < nodes; i++) {
            legs.add(new String[] {nodeNamespace(i), "n" + i});
        }
        for (String[] leg : legs) {
            Shell.ip(SWITCH, "link add " + leg[1] + " type veth peer name eth0 netns " + leg[0]);
            Shell.ip(SWITCH, "link set " + leg[1] + " master br0 up");
            Shell.ip(leg[0], "link set eth0 up");
        }
        String last = nodeNamespace(nodes);
        Shell.ip(ROUTER, "link add eth1 type veth peer name eth0 netns " + last);
        Shell.ip(ROUTER, "link set eth1 up");
        Shell.ip(last, "link set eth0 up");
        Shell.ip(ROUTER, "addr add 10.99.1.1/24 dev eth0");
        Shell.ip(ROUTER, "addr add 10.99.2.1/24 dev eth1");
        Shell.inNamespace(ROUTER, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        Shell.ip(CONTROL_PLANE, "addr add " + API_ADDRESS + "/24 dev eth0");
        Shell.ip(CONTROL_PLANE, "route add default via 10.99.1.1");
        for (int i = 1; i <= nodes; i++) {
            String ns = nodeNamespace(i);
            Shell.ip(ns, "addr add " + nodeAddress(i, nodes) + "/24 dev eth0");
            Shell.ip(ns, "route add default via " + gatewayOf(i, nodes));
            Shell.inNamespace(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        }
    }
}
