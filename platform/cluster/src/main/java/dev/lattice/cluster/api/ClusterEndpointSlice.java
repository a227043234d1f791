package dev.lattice.cluster.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An EndpointSlice ({@code discovery.k8s.io/v1}).
 *
 * @param namespace       its namespace
 * @param name            its name
 * @param uid             {@code metadata.uid}
 * @param resourceVersion {@code metadata.resourceVersion}
 * @param serviceName     the owning Service: label {@code kubernetes.io/service-name} (empty when missing)
 * @param labels          its labels (e.g. {@code endpointslice.kubernetes.io/managed-by})
 * @param addressType     IPv4, IPv6 or FQDN
 * @param endpoints       the endpoints
 * @param ports           the ports
 */
public record ClusterEndpointSlice(String namespace, String name, String uid, String resourceVersion,
                                   String serviceName, Map<String, String> labels, AddressType addressType,
                                   List<SliceEndpoint> endpoints, List<SlicePort> ports) implements ClusterObject {

    /** The label naming the Service a slice belongs to. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** {@code addressType}. */
    public enum AddressType { IPV4, IPV6, FQDN }

    /**
     * One endpoint, with the Kubernetes defaults for absent conditions applied: an absent
     * {@code ready} is true, an absent {@code serving} equals ready, an absent
     * {@code terminating} is false.
     *
     * @param addresses  its addresses as text (IP literals, or names for FQDN slices)
     * @param ready      {@code conditions.ready}
     * @param serving    {@code conditions.serving}
     * @param terminating {@code conditions.terminating}
     * @param nodeName   {@code nodeName} (empty when unset)
     * @param zone       {@code zone} (empty when unset)
     * @param hostname   {@code hostname} (empty when unset)
     * @param targetPod  the pod of {@code targetRef} when it refers to a Pod (null otherwise)
     */
    public record SliceEndpoint(List<String> addresses, boolean ready, boolean serving, boolean terminating,
                                String nodeName, String zone, String hostname, ObjectKey targetPod) {
        public SliceEndpoint {
            addresses = List.copyOf(addresses);
            nodeName = nodeName == null ? "" : nodeName;
            zone = zone == null ? "" : zone;
            hostname = hostname == null ? "" : hostname;
        }
    }

    /**
     * One port of the slice.
     *
     * @param name        matches a {@link ClusterService.ServicePort#name()} (empty when unnamed)
     * @param port        the endpoint port (-1 when unset: "all ports")
     * @param protocol    TCP, UDP or SCTP
     * @param appProtocol {@code appProtocol} (empty when unset)
     */
    public record SlicePort(String name, int port, PortProtocol protocol, String appProtocol) {
        public SlicePort {
            name = name == null ? "" : name;
            Objects.requireNonNull(protocol, "protocol");
            appProtocol = appProtocol == null ? "" : appProtocol;
        }
    }

    public ClusterEndpointSlice {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        serviceName = serviceName == null ? "" : serviceName;
        labels = Map.copyOf(labels);
        Objects.requireNonNull(addressType, "addressType");
        endpoints = List.copyOf(endpoints);
        ports = List.copyOf(ports);
    }

    /** The key of the owning Service, or null when the slice names none. */
    public ObjectKey serviceKey() {
        return serviceName.isEmpty() ? null : new ObjectKey(namespace, serviceName);
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(namespace, name);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.ENDPOINT_SLICE;
    }
}
