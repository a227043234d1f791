package dev.lattice.core.internal.cluster;

import dev.lattice.cluster.api.ClusterChange;
import dev.lattice.cluster.api.ClusterNode;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.cluster.api.ResourceKind;
import dev.lattice.core.controller.Controller;
import dev.lattice.core.controller.ControllerLoop;
import dev.lattice.core.controller.LoopSettings;
import dev.lattice.core.selection.RoutingSelection;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricsSource;
import dev.lattice.spi.net.IpPrefix;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Turns the cluster's Nodes into the routing intent: this node, every node with its InternalIPs
 * and pod CIDRs, and what this node advertises — its pod CIDRs and, with the {@code advertise:}
 * section, Service addresses ({@link ServiceAdvertisement}); hands it to the route distributor in
 * force. Runs on a controller loop: a sync at most once a second when Nodes change, and a full
 * one every five minutes. While the snapshot is not synced yet, nothing is sent (the distributor
 * keeps the last intent).
 */
@Component(service = {HealthIndicator.class, MetricsSource.class}, immediate = true,
        configurationPid = ServiceAdvertisement.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RoutingController implements Controller, HealthIndicator, MetricsSource {
    private static final Logger LOG = System.getLogger(RoutingController.class.getName());
    private static final Set<ResourceKind> SERVICE_KINDS = Set.of(ResourceKind.SERVICE, ResourceKind.ENDPOINT_SLICE);
    private final ClusterState cluster;
    private final RoutingSelection routing;
    private final ControllerLoop loop;
    private final ClusterState.Subscription subscription;
    private volatile String note = "";
    private volatile ServiceAdvertisement.Settings advertise = ServiceAdvertisement.Settings.NONE;
    private volatile String configProblem = "";
    /** Whether the last publication this controller saw was synced (publications come one at a time). */
    private volatile boolean sawSynced;

    /** Without configuration (tests): pod CIDRs only. */
    public RoutingController(ClusterState cluster, RoutingSelection routing) {
        this(cluster, routing, Map.of());
    }

    @Activate
    public RoutingController(@Reference ClusterState cluster, @Reference RoutingSelection routing,
                             Map<String, Object> config) {
        this.cluster = cluster;
        this.routing = routing;
        configure(config);
        this.loop = new ControllerLoop(this, LoopSettings.defaults());
        loop.start();
        // Node changes, but also the snapshot becoming synced (which need not change any Node, and
        // may come in a publication that carries only other kinds' changes, e.g. pod updates):
        // the loop coalesces, so reacting to every publication costs at most a sync a second.
        this.subscription = cluster.subscribe((snapshot, changes) -> {
            boolean becameSynced = snapshot.synced() && !sawSynced;
            sawSynced = snapshot.synced();
            if (becameSynced || !snapshot.synced() || changes.isEmpty()
                    || changes.stream().map(ClusterChange::kind).anyMatch(k -> k == ResourceKind.NODE
                            || (advertise.any() && SERVICE_KINDS.contains(k)))) {
                loop.onUpdate();
            }
        });
    }

    @Modified
    void modified(Map<String, Object> config) {
        configure(config);
        loop.onUpdate();
    }

    /** An invalid section keeps the settings in force and says so in health. */
    private void configure(Map<String, Object> config) {
        try {
            advertise = ServiceAdvertisement.Settings.parse(config);
            configProblem = "";
        } catch (IllegalArgumentException e) {
            configProblem = e.getMessage() + "; keeping " + advertise;
            LOG.log(Level.ERROR, "routing: {0}", configProblem);
        }
    }

    @Deactivate
    void deactivate() {
        subscription.close();
        loop.stop();
    }

    @Override
    public String name() {
        return "routing";
    }

    @Override
    public void sync() {
        ClusterSnapshot snapshot = cluster.snapshot();
        if (!snapshot.synced()) {
            note = "cluster not synced yet: " + cluster.status().message();
            return;
        }
        var local = snapshot.localNode();
        if (local.isEmpty()) {
            note = "this node ('" + snapshot.localNodeName() + "') is not among the cluster's Nodes;"
                    + " set nodeName (or NODE_NAME) to its Kubernetes name";
            return;
        }
        List<NodeInfo> nodes = snapshot.nodes().values().stream()
                .sorted(Comparator.comparing(ClusterNode::name))
                .map(ClusterNode::toNodeInfo).toList();
        NodeInfo self = local.get().toNodeInfo();
        List<IpPrefix> services = ServiceAdvertisement.prefixes(snapshot, advertise);
        List<IpPrefix> advertised = new ArrayList<>(self.podCidrs());
        advertised.addAll(services);
        routing.update(new RoutingIntent(self, nodes, advertised));
        note = nodes.size() + " nodes; advertising " + self.podCidrs()
                + (advertise.any() ? " and " + services.size() + " Service addresses" : "");
    }

    @Override
    public void cleanup() {
        // The distributor's routes belong to the FIB programmer; nothing of ours to remove.
    }

    @Override
    public String component() {
        return "controller.routing";
    }

    @Override
    public Health health() {
        Health h = loop.health().health();
        if (!configProblem.isEmpty()) {
            return new Health(Health.Status.DEGRADED, h.message() + "; " + configProblem, h.details());
        }
        return note.isEmpty() ? h : new Health(h.status(), h.message() + "; " + note, h.details());
    }

    @Override
    public List<MetricFamily> collect() {
        return loop.metrics().collect();
    }
}
