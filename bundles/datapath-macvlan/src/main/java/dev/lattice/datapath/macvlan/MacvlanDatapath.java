package dev.lattice.datapath.macvlan;

import dev.lattice.spi.pod.PodInterfaces;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.LinkInfo;
import dev.lattice.spi.kernel.LinkSettings;
import dev.lattice.spi.kernel.LinkSpec;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.kernel.Rtnetlink;
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
 * Each pod gets a macvlan in bridge mode on the configured parent interface, renamed to
 * {@code CNI_IFNAME} inside the pod, with its addresses and a default route via the gateway.
 * Macvlans cannot talk to their parent, so the node gets a macvlan of its own on the same parent
 * ({@code lattice-mv0}) that holds the gateway addresses: node ↔ pod traffic and the pods'
 * traffic to anywhere else go through it. Limits are in docs/cni.md.
 */
public final class MacvlanDatapath implements PodNetworkDatapath, AutoCloseable {
    public static final String NAME = "macvlan";
    static final String ALIAS_PREFIX = "lattice-pod ";
    private static final System.Logger LOG = System.getLogger(MacvlanDatapath.class.getName());

    private final NetworkNamespaces netns;
    private final MacvlanSettings settings;
    private final NetNamespace node;
    private final boolean ownsNode;

    public MacvlanDatapath(NetworkNamespaces netns, MacvlanSettings settings) {
        this.netns = netns;
        this.settings = settings;
        this.node = DatapathNamespaces.openNode(netns, settings.nodeNamespace());
        this.ownsNode = !settings.nodeNamespace().isEmpty();
    }

    /** The temporary node-side name of a pod's macvlan before it moves into the pod. */
    static String temporaryName(String containerId, String ifName) {
        return PodInterfaces.nodeSideName("lmv", containerId, ifName);
    }

    private LinkInfo parent() {
        if (settings.parent().isEmpty()) {
            throw new DataplaneException("the macvlan datapath needs a parent interface: set plugins.macvlan.parent "
                    + "(e.g. eth0) in lattice.yaml", null, false);
        }
        return node.rtnetlink().link(settings.parent()).orElseThrow(() -> new DataplaneException("parent interface '"
                + settings.parent() + "' of plugins.macvlan.parent does not exist on this node", null, false));
    }

    @Override
    public void prepareNode(NodeNetwork nodeNet) {
        parent();
        Rtnetlink rt = node.rtnetlink();
        String hostIf = settings.hostInterface();
        LinkInfo link = rt.link(hostIf).orElse(null);
        if (link == null) {
            try {
                link = rt.createLink(new LinkSpec.Macvlan(hostIf, settings.parent(), LinkSpec.Macvlan.Mode.BRIDGE, nodeNet.mtu()),
                        LinkSettings.create().up(true));
                LOG.log(Level.INFO, "macvlan: created the node''s macvlan {0} on {1}", hostIf, settings.parent());
            } catch (AlreadyExistsException e) {
                link = rt.link(hostIf).orElseThrow(() -> e);
            }
        }
        if (!"macvlan".equals(link.kind())) {
            throw new DataplaneException("a link named '" + hostIf + "' exists and is a " + link.kind()
                    + ", not a macvlan; remove it or set plugins.macvlan.hostInterface", null, false);
        }
        rt.setLink(hostIf, LinkSettings.create().mtu(nodeNet.mtu()).up(true));
        NodeGateways.assign(rt, link.index(), nodeNet);
        NodeGateways.enableForwarding(node.sysctl(), nodeNet);
    }

    private static String alias(String containerId, String ifName) {
        return ALIAS_PREFIX + containerId + "/" + ifName;
    }

    @Override
    public Attachment attach(AttachRequest req) {
        parent();
        String alias = alias(req.containerId(), req.ifName());
        try (NetNamespace pod = DatapathNamespaces.openPod(netns, req.netnsPath())) {
            Rtnetlink prt = pod.rtnetlink();
            LinkInfo existing = prt.link(req.ifName()).orElse(null);
            boolean created = false;
            if (existing == null || !alias.equals(existing.alias())) {
                if (existing != null) {
                    throw new DataplaneException("cannot attach " + req.containerId() + ": an interface named "
                            + req.ifName() + " exists in " + req.netnsPath() + " already", null, false);
                }
                String tmp = temporaryName(req.containerId(), req.ifName());
                node.rtnetlink().deleteLink(tmp); // a leftover of an interrupted attempt
                node.rtnetlink().createLink(new LinkSpec.Macvlan(tmp, settings.parent(), LinkSpec.Macvlan.Mode.BRIDGE, req.mtu()),
                        LinkSettings.create().alias(alias).namespace(pod));
                created = true;
                try {
                    prt.setLink(tmp, LinkSettings.create().rename(req.ifName()));
                } catch (RuntimeException e) {
                    prt.deleteLink(tmp);
                    throw new DataplaneException("cannot name the pod's macvlan " + req.ifName() + ": " + e.getMessage(), e, false);
                }
            }
            try {
                PodInterfaces.configure(pod, req.ifName(), req.addresses());
                PodInterfaces.addHostRoutes(node.rtnetlink(), node.rtnetlink().linkIndex(settings.hostInterface()), req.addresses());
                LinkInfo l = prt.link(req.ifName()).orElseThrow();
                return new Attachment(req.containerId(), req.netnsPath(), req.ifName(), NAME, "", l.mac(), req.addresses(),
                        Map.of("parent", settings.parent()));
            } catch (RuntimeException e) {
                if (created) prt.deleteLink(req.ifName());
                node.rtnetlink().link(settings.hostInterface())
                        .ifPresent(h -> PodInterfaces.deleteHostRoutes(node.rtnetlink(), h.index(), req.addresses()));
                throw e instanceof DataplaneException d ? d
                        : new DataplaneException("configuring " + req.ifName() + " in " + req.netnsPath() + " failed: " + e, e);
            }
        }
    }

    @Override
    public void check(Attachment a) {
        List<String> problems = new ArrayList<>();
        Rtnetlink rt = node.rtnetlink();
        LinkInfo host = rt.link(settings.hostInterface()).orElse(null);
        if (host == null) {
            problems.add("the node's macvlan " + settings.hostInterface() + " is missing");
        } else {
            problems.addAll(NodeGateways.verify(rt, host.index(), settings.hostInterface(), a.addresses()));
            problems.addAll(PodInterfaces.verifyHostRoutes(rt, host.index(), settings.hostInterface(), a.addresses()));
        }
        if (!Files.exists(Path.of(a.netnsPath()))) {
            problems.add("network namespace " + a.netnsPath() + " is gone");
        } else {
            try (NetNamespace pod = DatapathNamespaces.openPod(netns, a.netnsPath())) {
                LinkInfo l = pod.rtnetlink().link(a.ifName()).orElse(null);
                if (l != null && !"macvlan".equals(l.kind())) problems.add(a.ifName() + " is a " + l.kind() + ", not a macvlan");
                problems.addAll(PodInterfaces.verify(pod, a.ifName(), a.addresses(), 0));
            }
        }
        if (!problems.isEmpty()) {
            throw PodInterfaces.mismatch("pod " + a.containerId() + "/" + a.ifName() + " differs", problems);
        }
    }

    @Override
    public void detach(Attachment a) {
        node.rtnetlink().deleteLink(temporaryName(a.containerId(), a.ifName()));
        node.rtnetlink().link(settings.hostInterface())
                .ifPresent(h -> PodInterfaces.deleteHostRoutes(node.rtnetlink(), h.index(), a.addresses()));
        if (!Files.exists(Path.of(a.netnsPath()))) {
            return; // the macvlan went with the namespace
        }
        try (NetNamespace pod = netns.open(Path.of(a.netnsPath()))) {
            Rtnetlink prt = pod.rtnetlink();
            prt.link(a.ifName()).filter(l -> alias(a.containerId(), a.ifName()).equals(l.alias()))
                    .ifPresent(l -> prt.deleteLink(l.name()));
        } catch (KernelException | IllegalArgumentException e) {
            LOG.log(Level.DEBUG, "macvlan: namespace {0} is gone: {1}", a.netnsPath(), e.getMessage());
        }
    }

    @Override
    public void cleanupNode() {
        if (node.rtnetlink().deleteLink(settings.hostInterface())) {
            LOG.log(Level.INFO, "macvlan: removed the node''s macvlan {0}", settings.hostInterface());
        }
    }

    @Override
    public void close() {
        if (ownsNode) node.close();
    }
}
