package dev.lattice.itest.recorder;

import dev.lattice.spi.pod.AttachRequest;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import dev.lattice.spi.policy.PolicyDataplane;
import dev.lattice.spi.policy.PolicyState;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.RoutingStatus;
import dev.lattice.spi.service.ServiceDataplane;
import dev.lattice.spi.service.ServiceState;
import java.util.List;
import java.util.Map;

/** One recording implementation of each contract; every call goes to the {@link CallLog}. */
final class RecordingDataplanes {
    private RecordingDataplanes() {
    }

    static final class Services implements ServiceDataplane {
        private final CallLog log;

        Services(CallLog log) {
            this.log = log;
        }

        @Override
        public void sync(ServiceState desired) {
            log.record("service-proxy", "sync " + desired.services().size());
        }

        @Override
        public void cleanup() {
            log.record("service-proxy", "cleanup");
        }
    }

    static final class Policies implements PolicyDataplane {
        private final CallLog log;

        Policies(CallLog log) {
            this.log = log;
        }

        @Override
        public void sync(PolicyState desired) {
            log.record("network-policy", "sync " + desired.pods().size());
        }

        @Override
        public void cleanup() {
            log.record("network-policy", "cleanup");
        }
    }

    static final class Routing implements RouteDistributor {
        private final CallLog log;

        Routing(CallLog log) {
            this.log = log;
        }

        @Override
        public void start(RoutingContext context) {
            log.record("routing", "start " + context.localNodeName());
        }

        @Override
        public void update(RoutingIntent intent) {
            log.record("routing", "update " + intent.nodes().size());
        }

        @Override
        public RoutingStatus status() {
            return new RoutingStatus(true, "recording", List.of());
        }

        @Override
        public void stop() {
            log.record("routing", "stop");
        }
    }

    static final class Pods implements PodNetworkDatapath {
        private final CallLog log;
        private final String name;

        Pods(CallLog log, String name) {
            this.log = log;
            this.name = name;
        }

        @Override
        public void prepareNode(NodeNetwork node) {
            log.record("pod-network", "prepareNode " + node.nodeName());
        }

        @Override
        public Attachment attach(AttachRequest request) {
            log.record("pod-network", "attach " + request.containerId());
            return new Attachment(request.containerId(), request.netnsPath(), request.ifName(), name, "", null,
                    request.addresses(), Map.of());
        }

        @Override
        public void check(Attachment attachment) {
            log.record("pod-network", "check " + attachment.containerId());
        }

        @Override
        public void detach(Attachment attachment) {
            log.record("pod-network", "detach " + attachment.containerId());
        }

        @Override
        public void cleanupNode() {
            log.record("pod-network", "cleanupNode");
        }
    }
}
