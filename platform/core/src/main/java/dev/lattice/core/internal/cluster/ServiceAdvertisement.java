package dev.lattice.core.internal.cluster;

import dev.lattice.cluster.api.ClusterEndpointSlice;
import dev.lattice.cluster.api.ClusterService;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.core.internal.config.SettingValues;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which Service addresses this node asks its route distributor to advertise, next to its pod
 * CIDRs (section {@code advertise:} of lattice.yaml, PID {@value #PID}; the model is kube-router's
 * {@code --advertise-cluster-ip}, {@code --advertise-external-ip} and
 * {@code --advertise-loadbalancer-ip}). Each address is a host prefix (/32, /128).
 *
 * <p>External and load-balancer IPs of a Service with {@code externalTrafficPolicy: Local} are
 * advertised only by nodes with a ready endpoint of it, so that routers send that traffic only
 * where it is served without a second hop (and the client address is kept). Cluster IPs are
 * advertised by every node: each node's service proxy serves them.
 */
final class ServiceAdvertisement {
    static final String PID = "dev.lattice.advertise";

    /** What to advertise. */
    record Settings(boolean clusterIps, boolean externalIps, boolean loadBalancerIps) {
        static final Settings NONE = new Settings(false, false, false);

        boolean any() {
            return clusterIps || externalIps || loadBalancerIps;
        }

        /** From the configuration; a value that is not true/false is an error naming the key. */
        static Settings parse(Map<String, ?> config) {
            return new Settings(SettingValues.bool(config, "advertise", "clusterIps", false),
                    SettingValues.bool(config, "advertise", "externalIps", false),
                    SettingValues.bool(config, "advertise", "loadBalancerIps", false));
        }
    }

    private ServiceAdvertisement() {
    }

    /** The Service addresses to advertise from this node, sorted, without duplicates. */
    static List<IpPrefix> prefixes(ClusterSnapshot snapshot, Settings settings) {
        TreeSet<IpPrefix> out = new TreeSet<>();
        if (!settings.any()) {
            return List.of();
        }
        for (ClusterService s : snapshot.services().values()) {
            if (s.type() == ClusterService.Type.EXTERNAL_NAME) {
                continue;
            }
            if (settings.clusterIps() && !s.headless()) {
                s.clusterIps().forEach(ip -> out.add(IpPrefix.host(ip)));
            }
            List<IpAddress> external = new ArrayList<>();
            if (settings.externalIps()) {
                external.addAll(s.externalIps());
            }
            if (settings.loadBalancerIps() && s.type() == ClusterService.Type.LOAD_BALANCER) {
                external.addAll(s.loadBalancerIngressIps());
            }
            if (external.isEmpty()) {
                continue;
            }
            if (s.externalTrafficPolicy() == ClusterService.TrafficPolicy.LOCAL
                    && !hasReadyLocalEndpoint(snapshot, s)) {
                continue;
            }
            external.forEach(ip -> out.add(IpPrefix.host(ip)));
        }
        return List.copyOf(out);
    }

    private static boolean hasReadyLocalEndpoint(ClusterSnapshot snapshot, ClusterService s) {
        String node = snapshot.localNodeName();
        for (ClusterEndpointSlice slice : snapshot.endpointSlicesFor(s.key())) {
            for (ClusterEndpointSlice.SliceEndpoint e : slice.endpoints()) {
                if (e.ready() && node.equals(e.nodeName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
