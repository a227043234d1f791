package dev.lattice.core.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.cluster.api.ClusterChange;
import dev.lattice.cluster.api.ClusterListener;
import dev.lattice.cluster.api.ClusterNode;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.cluster.api.NodeIdentity;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.cluster.api.ResourceKind;
import dev.lattice.core.selection.RoutingSelection;
import dev.lattice.core.selection.SelectionStatus;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RoutingIntent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The routing controller sends the intent once the cluster is synced, whatever that publication carries. */
class RoutingControllerTest {
    private static final ClusterNode N1 = new ClusterNode("n1", "u1", "1", Map.of(), Map.of(),
            List.of(IpAddress.parse("10.99.1.11")), List.of(), List.of(IpPrefix.parse("10.244.1.0/24")),
            false, true, false);

    @Test
    void sendsTheIntentWhenTheSnapshotBecomesSyncedInAPublicationWithOnlyPodChanges() throws Exception {
        FakeCluster cluster = new FakeCluster();
        LinkedBlockingQueue<RoutingIntent> sent = new LinkedBlockingQueue<>();
        RoutingController controller = new RoutingController(cluster, new FakeRouting(sent));
        try {
            Map<ObjectKey, ClusterNode> nodes = Map.of(ObjectKey.cluster("n1"), N1);
            // Nodes arrive while the snapshot is not synced yet: nothing to send.
            cluster.publish(snapshot(1, false, nodes), List.of(new ClusterChange(ResourceKind.NODE,
                    ObjectKey.cluster("n1"), null, N1)));
            Thread.sleep(1500);
            // The flip to synced comes together with pod changes only.
            cluster.publish(snapshot(2, true, nodes), List.of(new ClusterChange(ResourceKind.POD,
                    ObjectKey.of("default", "p"), null, N1)));
            RoutingIntent intent = sent.poll(10, TimeUnit.SECONDS);
            assertNotNull(intent, "no routing intent after the cluster became synced");
            assertEquals(List.of(IpPrefix.parse("10.244.1.0/24")), intent.advertised());
        } finally {
            controller.deactivate();
        }
    }

    @Test
    void advertisesServiceAddressesWhenConfiguredAndFollowsServiceChanges() throws Exception {
        FakeCluster cluster = new FakeCluster();
        LinkedBlockingQueue<RoutingIntent> sent = new LinkedBlockingQueue<>();
        RoutingController controller = new RoutingController(cluster, new FakeRouting(sent),
                Map.of("clusterIps", "true"));
        try {
            Map<ObjectKey, ClusterNode> nodes = Map.of(ObjectKey.cluster("n1"), N1);
            cluster.publish(snapshot(1, true, nodes), List.of());
            RoutingIntent first = sent.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals(List.of(IpPrefix.parse("10.244.1.0/24")), first.advertised());
            sent.clear();
            var svc = ServiceAdvertisementTest.service("dns", dev.lattice.cluster.api.ClusterService.Type.CLUSTER_IP,
                    "10.96.0.10", List.of(), List.of(), dev.lattice.cluster.api.ClusterService.TrafficPolicy.CLUSTER);
            ClusterSnapshot withService = new ClusterSnapshot(2, true, "n1", nodes, Map.of(), Map.of(),
                    Map.of(svc.key(), svc), Map.of(), Map.of(), null);
            cluster.publish(withService, List.of(new ClusterChange(ResourceKind.SERVICE, svc.key(), null, svc)));
            RoutingIntent second = sent.poll(10, TimeUnit.SECONDS);
            assertNotNull(second, "a Service change leads to a new intent when Service addresses are advertised");
            assertEquals(List.of(IpPrefix.parse("10.244.1.0/24"), IpPrefix.parse("10.96.0.10/32")), second.advertised());

            controller.modified(Map.of("clusterIps", "sometimes"));
            assertEquals(dev.lattice.spi.telemetry.Health.Status.DEGRADED, controller.health().status());
            assertTrue(controller.health().message().contains("advertise.clusterIps must be true or false"),
                    controller.health().message());
        } finally {
            controller.deactivate();
        }
    }

    private static ClusterSnapshot snapshot(long version, boolean synced, Map<ObjectKey, ClusterNode> nodes) {
        return new ClusterSnapshot(version, synced, "n1", nodes, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null);
    }

    private static final class FakeCluster implements ClusterState {
        private volatile ClusterSnapshot snapshot = ClusterSnapshot.empty("n1");
        private volatile ClusterListener listener;

        void publish(ClusterSnapshot s, List<ClusterChange> changes) {
            snapshot = s;
            listener.clusterChanged(s, changes);
        }

        @Override
        public ClusterSnapshot snapshot() {
            return snapshot;
        }

        @Override
        public Subscription subscribe(ClusterListener l) {
            listener = l;
            return () -> listener = null;
        }

        @Override
        public NodeIdentity nodeIdentity() {
            return new NodeIdentity("n1", NodeIdentity.Source.values()[0]);
        }

        @Override
        public Status status() {
            return new Status(Phase.values()[0], "test", "", 0);
        }

        @Override
        public ClusterSnapshot awaitSynced(Duration timeout) {
            return snapshot.synced() ? snapshot : null;
        }
    }

    private record FakeRouting(LinkedBlockingQueue<RoutingIntent> sent) implements RoutingSelection {
        @Override
        public void update(RoutingIntent intent) {
            sent.add(intent);
        }

        @Override
        public List<Route> learnedRoutes() {
            return List.of();
        }

        @Override
        public AutoCloseable onChange(Runnable listener) {
            return () -> { };
        }

        @Override
        public PluginKind kind() {
            return PluginKind.values()[0];
        }

        @Override
        public SelectionStatus status() {
            return null;
        }
    }
}
