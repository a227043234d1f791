package dev.lattice.datapath.bridge;

import dev.lattice.spi.pod.PodInterfaces;
import dev.lattice.spi.kernel.AddressEntry;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.kernel.NotFoundException;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.kernel.Sysctl;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.pod.AttachRequest;
import dev.lattice.spi.pod.DatapathNamespaces;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.pod.NodeGateways;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kube-router's pod network model: a node bridge (default {@code lattice0}) holding the gateway
 * address of each pod CIDR, one veth pair per pod with the node end enslaved to the bridge and
 * named from the container ID ({@code lat} + 11 hex digits of SHA-1 of "containerId/ifName"),
 * the pod end created directly inside the pod's namespace under {@code CNI_IFNAME} with the
 * addresses and a default route per family via the gateway. Plain Java; the node namespace is
 * given, so tests and the sandbox run it inside a namespace of their own.
 */
public final class LinuxBridgeDatapath implements PodNetworkDatapath, AutoCloseable {
    public static final String NAME = "linux-bridge";
    static final String ALIAS_PREFIX = "lattice-pod ";
    private static final System.Logger LOG = System.getLogger(LinuxBridgeDatapath.class.getName());

    private final NetworkNamespaces netns;
    private final BridgeSettings settings;
    private final NetNamespace node;
    private final boolean ownsNode;

    public LinuxBridgeDatapath(NetworkNamespaces netns, BridgeSettings settings) {
        this.netns = netns;
        this.settings = settings;
        this.node = DatapathNamespaces.openNode(netns, settings.nodeNamespace());
        this.ownsNode = !settings.nodeNamespace().isEmpty();
    }

    /** The node-side interface name of a pod interface: deterministic, 14 characters. */
    public static String hostInterfaceName(String containerId, String ifName) {
        return PodInterfaces.nodeSideName("lat", containerId, ifName);
    }

    public BridgeSettings settings() {
        return settings;
    }

    @Override
    public void prepareNode(NodeNetwork nodeNet) {
        Rtnetlink rt = node.rtnetlink();
        String br = settings.bridge();
        LinkInfo link = rt.link(br).orElse(null);
        if (link == null) {
            try {
                link = rt.createLink(new LinkSpec.Bridge(br, nodeNet.mtu()), LinkSettings.create().up(true));
                LOG.log(Level.INFO, "linux-bridge: created bridge {0}", br);
            } catch (AlreadyExistsException e) {
                link = rt.link(br).orElseThrow(() -> e);
            }
        }
        if (!"bridge".equals(link.kind())) {
            throw new DataplaneException("a link named '" + br + "' exists and is a " + link.kind()
                    + ", not a bridge; remove it or set plugins.linux-bridge.bridge", null, false);
        }
        rt.setLink(br, LinkSettings.create().mtu(nodeNet.mtu()).up(true));
        for (AddressEntry a : NodeGateways.assign(rt, link.index(), nodeNet)) {
            LOG.log(Level.INFO, "linux-bridge: removed stale gateway address {0} from {1}", a, br);
        }
        Sysctl sys = node.sysctl();
        NodeGateways.enableForwarding(sys, nodeNet);
        if (settings.bridgeNfCallIptables()) {
            try {
                NodeGateways.setIfDifferent(sys, "net.bridge.bridge-nf-call-iptables", "1");
                NodeGateways.setIfDifferent(sys, "net.bridge.bridge-nf-call-ip6tables", "1");
            } catch (NotFoundException e) {
                LOG.log(Level.WARNING, "linux-bridge: net.bridge.bridge-nf-call-iptables does not exist: load the "
                        + "br_netfilter module (modprobe br_netfilter) so that the service proxy and network policy "
                        + "see traffic between pods on this node");
            }
        }
    }

    @Override
    public Attachment attach(AttachRequest req) {
        String hostIf = hostInterfaceName(req.containerId(), req.ifName());
        Rtnetlink rt = node.rtnetlink();
        try (NetNamespace pod = DatapathNamespaces.openPod(netns, req.netnsPath())) {
            LinkSettings s = LinkSettings.create().master(settings.bridge()).up(true)
                    .alias(ALIAS_PREFIX + req.containerId() + "/" + req.ifName());
            if (settings.hairpin()) s = s.hairpin(true);
            LinkInfo host;
            boolean created;
            try {
                // the common case first: no pair yet (one request instead of looking first)
                host = rt.createLink(new LinkSpec.Veth(hostIf, req.ifName(), pod, req.mtu()), s);
                created = true;
            } catch (AlreadyExistsException e) {
                LinkInfo existing = rt.link(hostIf).orElse(null);
                if (existing != null && pod.rtnetlink().link(req.ifName()).isPresent()) {
                    host = existing; // a repeated ADD: keep the pair, make sure the pod side is complete
                    created = false;
                } else if (existing != null) {
                    rt.deleteLink(hostIf); // a stale node end without its pod end: start over
                    host = createPair(rt, req, hostIf, pod, s);
                    created = true;
                } else {
                    throw new DataplaneException("cannot attach " + req.containerId() + ": an interface named "
                            + req.ifName() + " exists in " + req.netnsPath() + " already", e, false);
                }
            } catch (NotFoundException e) {
                throw new DataplaneException("cannot attach " + req.containerId() + ": bridge " + settings.bridge()
                        + " is missing (the node was not prepared: is ipam.podCidrs set?): " + e.getMessage(), e, true);
            }
            try {
                LinkInfo podLink = PodInterfaces.configure(pod, req.ifName(), req.addresses());
                int bridgeIndex = host.masterIndex() > 0 ? host.masterIndex() : rt.linkIndex(settings.bridge());
                PodInterfaces.addHostRoutes(rt, bridgeIndex, req.addresses());
                return new Attachment(req.containerId(), req.netnsPath(), req.ifName(), NAME, hostIf, podLink.mac(),
                        req.addresses(), Map.of("bridge", settings.bridge()));
            } catch (RuntimeException e) {
                if (created) {
                    rt.deleteLink(hostIf);
                }
                rt.link(settings.bridge()).ifPresent(b -> PodInterfaces.deleteHostRoutes(rt, b.index(), req.addresses()));
                throw e instanceof DataplaneException d ? d
                        : new DataplaneException("configuring " + req.ifName() + " in " + req.netnsPath() + " failed: " + e, e);
            }
        }
    }

    private static LinkInfo createPair(Rtnetlink rt, AttachRequest req, String hostIf, NetNamespace pod, LinkSettings s) {
        try {
            return rt.createLink(new LinkSpec.Veth(hostIf, req.ifName(), pod, req.mtu()), s);
        } catch (AlreadyExistsException e) {
            throw new DataplaneException("cannot attach " + req.containerId() + ": an interface named "
                    + req.ifName() + " exists in " + req.netnsPath() + " already", e, false);
        }
    }

    @Override
    public void check(Attachment a) {
        List<String> problems = new ArrayList<>();
        Rtnetlink rt = node.rtnetlink();
        String hostIf = a.hostInterface().isEmpty() ? hostInterfaceName(a.containerId(), a.ifName()) : a.hostInterface();
        LinkInfo host = rt.link(hostIf).orElse(null);
        LinkInfo br = rt.link(settings.bridge()).orElse(null);
        if (br == null) {
            problems.add("bridge " + settings.bridge() + " is missing");
        }
        if (host == null) {
            problems.add("node-side interface " + hostIf + " is missing");
        } else {
            if (!host.up()) problems.add(hostIf + " is down");
            if (br != null && host.masterIndex() != br.index()) problems.add(hostIf + " is not a port of " + settings.bridge());
            if (settings.hairpin() && !Boolean.TRUE.equals(host.hairpin())) problems.add(hostIf + " has hairpin mode off");
        }
        if (br != null) {
            problems.addAll(NodeGateways.verify(rt, br.index(), settings.bridge(), a.addresses()));
            problems.addAll(PodInterfaces.verifyHostRoutes(rt, br.index(), settings.bridge(), a.addresses()));
        }
        if (!"1".equals(node.sysctl().get("net.ipv4.ip_forward"))) {
            problems.add("net.ipv4.ip_forward is not 1 on the node");
        }
        if (!Files.exists(Path.of(a.netnsPath()))) {
            problems.add("network namespace " + a.netnsPath() + " is gone");
        } else {
            try (NetNamespace pod = DatapathNamespaces.openPod(netns, a.netnsPath())) {
                problems.addAll(PodInterfaces.verify(pod, a.ifName(), a.addresses(), host == null ? 0 : host.mtu()));
            }
        }
        if (!problems.isEmpty()) {
            throw PodInterfaces.mismatch("pod " + a.containerId() + "/" + a.ifName() + " differs", problems);
        }
    }

    @Override
    public void detach(Attachment a) {
        String hostIf = a.hostInterface().isEmpty() ? hostInterfaceName(a.containerId(), a.ifName()) : a.hostInterface();
        Rtnetlink rt = node.rtnetlink();
        LinkInfo host = rt.link(hostIf).orElse(null);
        if (host != null) {
            boolean done = false;
            if (Files.exists(Path.of(a.netnsPath()))) {
                // Delete through the pod's own netlink socket: a veth takes the kernel tens of
                // milliseconds to remove, and DELs of many pods then run in parallel instead of
                // queueing on the node's socket. Only our pair's pod end (its peer is our node end).
                try (NetNamespace pod = netns.open(Path.of(a.netnsPath()))) {
                    Rtnetlink prt = pod.rtnetlink();
                    LinkInfo podLink = prt.link(a.ifName()).orElse(null);
                    if (podLink != null && "veth".equals(podLink.kind()) && podLink.parentIndex() == host.index()) {
                        done = prt.deleteLink(a.ifName());
                    }
                } catch (KernelException | IllegalArgumentException e) {
                    LOG.log(Level.DEBUG, "linux-bridge: namespace {0} not usable for DEL: {1}", a.netnsPath(), e.getMessage());
                }
            }
            if (!done) {
                rt.deleteLink(hostIf); // the pod end goes with it; false when already gone
            }
        }
        rt.link(settings.bridge()).ifPresent(b -> PodInterfaces.deleteHostRoutes(rt, b.index(), a.addresses()));
    }

    @Override
    public void cleanupNode() {
        if (node.rtnetlink().deleteLink(settings.bridge())) {
            LOG.log(Level.INFO, "linux-bridge: removed bridge {0}", settings.bridge());
        }
    }

    /** The node-side interfaces of pods this datapath made (by their alias), for diagnostics and tests. */
    public List<String> podInterfaces() {
        return node.rtnetlink().links().stream()
                .filter(l -> l.alias() != null && l.alias().startsWith(ALIAS_PREFIX)).map(LinkInfo::name).toList();
    }

    @Override
    public void close() {
        if (ownsNode) {
            node.close();
        }
    }
}
