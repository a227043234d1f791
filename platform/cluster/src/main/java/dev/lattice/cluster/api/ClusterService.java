package dev.lattice.cluster.api;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Service, with every field a kube-proxy-like service proxy needs.
 *
 * @param namespace             its namespace
 * @param name                  its name
 * @param uid                   {@code metadata.uid}
 * @param resourceVersion       {@code metadata.resourceVersion}
 * @param labels                its labels (e.g. {@code service.kubernetes.io/service-proxy-name},
 *                              {@code service.kubernetes.io/headless})
 * @param type                  {@code spec.type}
 * @param clusterIps            {@code spec.clusterIPs} (or {@code spec.clusterIP}); empty when headless
 *                              ({@code None}) or not yet allocated
 * @param headless              whether {@code spec.clusterIP} is {@code None}
 * @param ports                 {@code spec.ports}
 * @param selector              {@code spec.selector} (empty: endpoints are managed by someone else)
 * @param externalIps           {@code spec.externalIPs}
 * @param loadBalancerIngressIps {@code status.loadBalancer.ingress[].ip}
 * @param loadBalancerSourceRanges {@code spec.loadBalancerSourceRanges}
 * @param externalTrafficPolicy {@code spec.externalTrafficPolicy} (Cluster when unset)
 * @param internalTrafficPolicy {@code spec.internalTrafficPolicy} (Cluster when unset)
 * @param sessionAffinity       {@code spec.sessionAffinity}
 * @param sessionAffinityTimeoutSeconds {@code spec.sessionAffinityConfig.clientIP.timeoutSeconds}
 *                              (10800 when ClientIP and unset; 0 when affinity is None)
 * @param healthCheckNodePort   {@code spec.healthCheckNodePort} (0 when unset)
 * @param externalName          {@code spec.externalName} (empty unless type ExternalName)
 * @param publishNotReadyAddresses {@code spec.publishNotReadyAddresses}
 */
public record ClusterService(String namespace, String name, String uid, String resourceVersion,
                             Map<String, String> labels, Type type, List<IpAddress> clusterIps, boolean headless,
                             List<ServicePort> ports, Map<String, String> selector, List<IpAddress> externalIps,
                             List<IpAddress> loadBalancerIngressIps, List<IpPrefix> loadBalancerSourceRanges,
                             TrafficPolicy externalTrafficPolicy, TrafficPolicy internalTrafficPolicy,
                             SessionAffinity sessionAffinity, int sessionAffinityTimeoutSeconds,
                             int healthCheckNodePort, String externalName, boolean publishNotReadyAddresses)
        implements ClusterObject {

    /** {@code spec.type}. */
    public enum Type { CLUSTER_IP, NODE_PORT, LOAD_BALANCER, EXTERNAL_NAME }

    /** {@code Cluster} or {@code Local}. */
    public enum TrafficPolicy { CLUSTER, LOCAL }

    /** {@code None} or {@code ClientIP}. */
    public enum SessionAffinity { NONE, CLIENT_IP }

    /**
     * One {@code spec.ports} entry.
     *
     * @param name        the port name (empty allowed when there is one port)
     * @param protocol    TCP, UDP or SCTP
     * @param port        the service port
     * @param targetPort  the target: a number as text, or a container port name; the service port
     *                    as text when unset
     * @param nodePort    the node port (0 when none)
     * @param appProtocol {@code appProtocol} (empty when unset)
     */
    public record ServicePort(String name, PortProtocol protocol, int port, String targetPort, int nodePort,
                              String appProtocol) {
        public ServicePort {
            name = name == null ? "" : name;
            Objects.requireNonNull(protocol, "protocol");
            targetPort = targetPort == null || targetPort.isEmpty() ? Integer.toString(port) : targetPort;
            appProtocol = appProtocol == null ? "" : appProtocol;
        }

        /** The numeric target port, or -1 when the target is a named port. */
        public int targetPortNumber() {
            try {
                return Integer.parseInt(targetPort);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    public ClusterService {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        labels = Map.copyOf(labels);
        Objects.requireNonNull(type, "type");
        clusterIps = List.copyOf(clusterIps);
        ports = List.copyOf(ports);
        selector = Map.copyOf(selector);
        externalIps = List.copyOf(externalIps);
        loadBalancerIngressIps = List.copyOf(loadBalancerIngressIps);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
        Objects.requireNonNull(externalTrafficPolicy, "externalTrafficPolicy");
        Objects.requireNonNull(internalTrafficPolicy, "internalTrafficPolicy");
        Objects.requireNonNull(sessionAffinity, "sessionAffinity");
        externalName = externalName == null ? "" : externalName;
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(namespace, name);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SERVICE;
    }
}
