package dev.lattice.cluster.api;

import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A NetworkPolicy ({@code networking.k8s.io/v1}).
 *
 * @param namespace       its namespace
 * @param name            its name
 * @param uid             {@code metadata.uid}
 * @param resourceVersion {@code metadata.resourceVersion}
 * @param podSelector     {@code spec.podSelector}: the pods of this namespace it applies to
 * @param policyTypes     {@code spec.policyTypes}, with the Kubernetes default applied when absent
 *                        (Ingress, plus Egress when there are egress rules)
 * @param ingress         {@code spec.ingress} (empty with Ingress in policyTypes: deny all ingress)
 * @param egress          {@code spec.egress}
 */
public record ClusterNetworkPolicy(String namespace, String name, String uid, String resourceVersion,
                                   LabelSelector podSelector, Set<PolicyType> policyTypes, List<Rule> ingress,
                                   List<Rule> egress) implements ClusterObject {

    /** Ingress or Egress. */
    public enum PolicyType { INGRESS, EGRESS }

    /**
     * One ingress or egress rule: traffic from (ingress) or to (egress) any of {@code peers} on
     * any of {@code ports}. An empty peer list means every peer; an empty port list means every port.
     */
    public record Rule(List<Peer> peers, List<PolicyPort> ports) {
        public Rule {
            peers = List.copyOf(peers);
            ports = List.copyOf(ports);
        }
    }

    /**
     * A peer: either an {@code ipBlock}, or pods chosen by a pod selector and/or a namespace
     * selector. A null {@code namespaceSelector} with a pod selector means the policy's own
     * namespace; a null {@code podSelector} with a namespace selector means all pods there.
     */
    public record Peer(LabelSelector podSelector, LabelSelector namespaceSelector, IpBlock ipBlock) {
    }

    /** {@code ipBlock}: a CIDR minus exceptions. */
    public record IpBlock(IpPrefix cidr, List<IpPrefix> except) {
        public IpBlock {
            Objects.requireNonNull(cidr, "cidr");
            except = List.copyOf(except);
        }
    }

    /**
     * A port match.
     *
     * @param protocol TCP, UDP or SCTP
     * @param port     a number as text, a named container port, or null for every port
     * @param endPort  the end of a numeric range (0 when no range)
     */
    public record PolicyPort(PortProtocol protocol, String port, int endPort) {
        public PolicyPort {
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    public ClusterNetworkPolicy {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        Objects.requireNonNull(podSelector, "podSelector");
        policyTypes = Set.copyOf(policyTypes);
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(namespace, name);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.NETWORK_POLICY;
    }
}
