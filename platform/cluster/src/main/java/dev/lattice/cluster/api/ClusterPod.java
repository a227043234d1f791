package dev.lattice.cluster.api;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.node.PodInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Pod, reduced to what networking needs (kept small: the agent holds every pod of the cluster).
 *
 * @param namespace       its namespace
 * @param name            its name
 * @param uid             {@code metadata.uid}
 * @param resourceVersion {@code metadata.resourceVersion}
 * @param nodeName        {@code spec.nodeName}; empty while unscheduled
 * @param labels          its labels
 * @param ips             {@code status.podIPs} (or {@code status.podIP}); empty until assigned
 * @param hostNetwork     {@code spec.hostNetwork}
 * @param phase           {@code status.phase} (Pending, Running, Succeeded, Failed, Unknown), empty when unset
 * @param terminating     whether {@code metadata.deletionTimestamp} is set
 * @param ports           the containers' declared ports (for named ports in NetworkPolicies and Services)
 */
public record ClusterPod(String namespace, String name, String uid, String resourceVersion, String nodeName,
                         Map<String, String> labels, List<IpAddress> ips, boolean hostNetwork, String phase,
                         boolean terminating, List<ContainerPort> ports) implements ClusterObject {
    public ClusterPod {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        nodeName = nodeName == null ? "" : nodeName;
        phase = phase == null ? "" : phase;
        labels = Map.copyOf(labels);
        ips = List.copyOf(ips);
        ports = List.copyOf(ports);
    }

    /** A declared container port. */
    public record ContainerPort(String name, int port, PortProtocol protocol) {
        public ContainerPort {
            name = name == null ? "" : name;
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(namespace, name);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.POD;
    }

    /** Whether the pod has finished (Succeeded or Failed): its IPs may be reused. */
    public boolean finished() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** This pod as the SPI's {@link PodInfo}. */
    public PodInfo toPodInfo() {
        return new PodInfo(namespace, name, uid, nodeName, ips, labels, hostNetwork);
    }
}
