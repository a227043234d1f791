package dev.lattice.core.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.cluster.api.ClusterEndpointSlice;
import dev.lattice.cluster.api.ClusterService;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Service addresses a node advertises, per setting and traffic policy. */
class ServiceAdvertisementTest {
    static ClusterService service(String name, ClusterService.Type type, String clusterIp, List<String> external,
                                  List<String> lb, ClusterService.TrafficPolicy policy) {
        boolean headless = "None".equals(clusterIp);
        return new ClusterService("default", name, "uid-" + name, "1", Map.of(), type,
                headless ? List.of() : List.of(IpAddress.parse(clusterIp)), headless, List.of(), Map.of(),
                external.stream().map(IpAddress::parse).toList(), lb.stream().map(IpAddress::parse).toList(),
                List.of(), policy, ClusterService.TrafficPolicy.CLUSTER, ClusterService.SessionAffinity.NONE, 0, 0,
                "", false);
    }

    static ClusterEndpointSlice slice(String service, String node, boolean ready) {
        return new ClusterEndpointSlice("default", service + "-abc", "u", "1", service,
                Map.of(ClusterEndpointSlice.SERVICE_NAME_LABEL, service), ClusterEndpointSlice.AddressType.IPV4,
                List.of(new ClusterEndpointSlice.SliceEndpoint(List.of("10.244.1.5"), ready, ready, false, node, "", "",
                        null)), List.of());
    }

    static ClusterSnapshot snapshot(List<ClusterService> services, List<ClusterEndpointSlice> slices) {
        Map<ObjectKey, ClusterService> s = new LinkedHashMap<>();
        services.forEach(x -> s.put(x.key(), x));
        Map<ObjectKey, ClusterEndpointSlice> e = new LinkedHashMap<>();
        slices.forEach(x -> e.put(x.key(), x));
        return new ClusterSnapshot(1, true, "n1", Map.of(), Map.of(), Map.of(), s, e, Map.of(), null);
    }

    private static List<String> advertised(ClusterSnapshot s, ServiceAdvertisement.Settings settings) {
        return ServiceAdvertisement.prefixes(s, settings).stream().map(IpPrefix::toString).toList();
    }

    @Test
    void advertisesPerSettingAndKeepsLocalPolicyAddressesOnNodesWithReadyEndpoints() {
        ClusterSnapshot s = snapshot(List.of(
                service("web", ClusterService.Type.LOAD_BALANCER, "10.96.0.10", List.of("192.0.2.10"),
                        List.of("198.51.100.10"), ClusterService.TrafficPolicy.CLUSTER),
                service("local-here", ClusterService.Type.LOAD_BALANCER, "10.96.0.11", List.of(),
                        List.of("198.51.100.11"), ClusterService.TrafficPolicy.LOCAL),
                service("local-elsewhere", ClusterService.Type.NODE_PORT, "10.96.0.12", List.of("192.0.2.12"),
                        List.of(), ClusterService.TrafficPolicy.LOCAL),
                service("local-not-ready", ClusterService.Type.CLUSTER_IP, "10.96.0.13", List.of("192.0.2.13"),
                        List.of(), ClusterService.TrafficPolicy.LOCAL),
                service("headless", ClusterService.Type.CLUSTER_IP, "None", List.of(), List.of(),
                        ClusterService.TrafficPolicy.CLUSTER),
                service("v6", ClusterService.Type.CLUSTER_IP, "fd00:96::a", List.of(), List.of(),
                        ClusterService.TrafficPolicy.CLUSTER)),
                List.of(slice("local-here", "n1", true), slice("local-elsewhere", "n2", true),
                        slice("local-not-ready", "n1", false)));

        assertEquals(List.of(), advertised(s, ServiceAdvertisement.Settings.NONE));
        assertEquals(List.of("10.96.0.10/32", "10.96.0.11/32", "10.96.0.12/32", "10.96.0.13/32", "fd00:96::a/128"),
                advertised(s, new ServiceAdvertisement.Settings(true, false, false)),
                "every cluster IP, whatever the policy; none for a headless Service");
        assertEquals(List.of("192.0.2.10/32"), advertised(s, new ServiceAdvertisement.Settings(false, true, false)),
                "Local-policy external IPs only where a ready endpoint runs (none here)");
        assertEquals(List.of("198.51.100.10/32", "198.51.100.11/32"),
                advertised(s, new ServiceAdvertisement.Settings(false, false, true)));
    }

    @Test
    void settingsAcceptOnlyTrueOrFalse() {
        ServiceAdvertisement.Settings s = ServiceAdvertisement.Settings.parse(Map.of("clusterIps", "true",
                "loadBalancerIps", Boolean.TRUE));
        assertTrue(s.clusterIps() && s.loadBalancerIps() && !s.externalIps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceAdvertisement.Settings.parse(Map.of("externalIps", "yes")));
        assertTrue(e.getMessage().contains("advertise.externalIps must be true or false"), e.getMessage());
    }
}
