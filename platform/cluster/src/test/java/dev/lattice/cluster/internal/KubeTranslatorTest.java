package dev.lattice.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.cluster.api.ClusterEndpointSlice;
import dev.lattice.cluster.api.ClusterNetworkPolicy;
import dev.lattice.cluster.api.ClusterNode;
import dev.lattice.cluster.api.ClusterPod;
import dev.lattice.cluster.api.ClusterService;
import dev.lattice.cluster.api.LabelSelector;
import dev.lattice.cluster.api.PortProtocol;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.node.PodInfo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubeTranslatorTest {

    static GenericKubernetesResource yaml(String text) {
        return Serialization.unmarshal(text, GenericKubernetesResource.class);
    }

    static final String NODE = """
            apiVersion: v1
            kind: Node
            metadata:
              name: worker-1
              uid: u1
              resourceVersion: "7"
              labels: {kubernetes.io/os: linux}
              annotations: %s
            spec:
              podCIDR: 10.244.1.0/24
              podCIDRs: [10.244.1.0/24, "fd00:10:244:1::/64"]
            status:
              addresses:
              - {type: Hostname, address: worker-1}
              - {type: InternalIP, address: 192.168.10.11}
              - {type: InternalIP, address: "fd00::11"}
              - {type: ExternalIP, address: 203.0.113.11}
              conditions:
              - {type: Ready, status: "True"}
            """;

    @Test
    void nodeDualStack() throws Exception {
        ClusterNode n = KubeTranslator.node(yaml(NODE.formatted("{}")));
        assertEquals("worker-1", n.name());
        assertEquals(List.of(IpAddress.parse("192.168.10.11"), IpAddress.parse("fd00::11")), n.internalIps());
        assertEquals(List.of(IpAddress.parse("203.0.113.11")), n.externalIps());
        assertEquals(List.of(IpPrefix.parse("10.244.1.0/24"), IpPrefix.parse("fd00:10:244:1::/64")), n.podCidrs());
        assertFalse(n.podCidrsFromAnnotation());
        assertTrue(n.ready());
        NodeInfo info = n.toNodeInfo();
        assertEquals(n.podCidrs(), info.podCidrs());
        assertEquals("linux", info.labels().get("kubernetes.io/os"));
    }

    @Test
    void podCidrAnnotationOverridesSpec() throws Exception {
        ClusterNode n = KubeTranslator.node(yaml(NODE.formatted(
                "{lattice.dev/pod-cidrs: \" 10.99.0.0/24 , fd00:99::/64\"}")));
        assertEquals(List.of(IpPrefix.parse("10.99.0.0/24"), IpPrefix.parse("fd00:99::/64")), n.podCidrs());
        assertTrue(n.podCidrsFromAnnotation());
    }

    @Test
    void badPodCidrAnnotationFallsBackToSpec() throws Exception {
        ClusterNode n = KubeTranslator.node(yaml(NODE.formatted("{lattice.dev/pod-cidrs: \"10.99.0.1/24\"}")));
        assertEquals(IpPrefix.parse("10.244.1.0/24"), n.podCidrs().get(0));
        assertFalse(n.podCidrsFromAnnotation());
        assertThrows(IllegalArgumentException.class, () -> KubeTranslator.parsePodCidrs("10.1.0.0/24,10.2.0.0/24"));
        assertThrows(IllegalArgumentException.class, () -> KubeTranslator.parsePodCidrs("10.1.0.0"));
    }

    @Test
    void pod() throws Exception {
        ClusterPod p = KubeTranslator.pod(yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: shop, uid: p1, labels: {app: web}}
                spec:
                  nodeName: worker-1
                  containers:
                  - name: c
                    ports: [{name: http, containerPort: 8080}, {containerPort: 53, protocol: UDP}]
                status:
                  phase: Running
                  podIP: 10.244.1.5
                  podIPs: [{ip: 10.244.1.5}, {ip: "fd00:10:244:1::5"}]
                """));
        PodInfo info = p.toPodInfo();
        assertEquals("shop/web-1", info.key());
        assertEquals("worker-1", info.nodeName());
        assertEquals(List.of(IpAddress.parse("10.244.1.5"), IpAddress.parse("fd00:10:244:1::5")), info.ips());
        assertEquals(Map.of("app", "web"), info.labels());
        assertFalse(info.hostNetwork());
        assertEquals(List.of(new ClusterPod.ContainerPort("http", 8080, PortProtocol.TCP),
                new ClusterPod.ContainerPort("", 53, PortProtocol.UDP)), p.ports());
        assertEquals("Running", p.phase());
    }

    @Test
    void malformedPodIsRejectedWithTheField() {
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> KubeTranslator.pod(yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: bad, namespace: default}
                spec: {hostNetwork: "yes"}
                """)));
        assertTrue(e.getMessage().contains("spec.hostNetwork"), e.getMessage());
        e = assertThrows(MalformedObjectException.class, () -> KubeTranslator.pod(yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: bad, namespace: default}
                status: {podIP: banana}
                """)));
        assertTrue(e.getMessage().contains("status.podIP"), e.getMessage());
    }

    @Test
    void service() throws Exception {
        ClusterService s = KubeTranslator.service(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  type: LoadBalancer
                  clusterIP: 10.96.0.10
                  clusterIPs: [10.96.0.10, "fd00:96::10"]
                  selector: {app: web}
                  ports:
                  - {name: http, port: 80, targetPort: http, nodePort: 30080}
                  - {name: dns, port: 53, protocol: UDP, targetPort: 5353}
                  externalIPs: [198.51.100.7]
                  externalTrafficPolicy: Local
                  healthCheckNodePort: 31000
                  sessionAffinity: ClientIP
                status:
                  loadBalancer: {ingress: [{ip: 203.0.113.50}, {hostname: lb.example}]}
                """));
        assertEquals(ClusterService.Type.LOAD_BALANCER, s.type());
        assertEquals(2, s.clusterIps().size());
        assertEquals("http", s.ports().get(0).targetPort());
        assertEquals(-1, s.ports().get(0).targetPortNumber());
        assertEquals(30080, s.ports().get(0).nodePort());
        assertEquals(5353, s.ports().get(1).targetPortNumber());
        assertEquals(PortProtocol.UDP, s.ports().get(1).protocol());
        assertEquals(List.of(IpAddress.parse("198.51.100.7")), s.externalIps());
        assertEquals(List.of(IpAddress.parse("203.0.113.50")), s.loadBalancerIngressIps());
        assertEquals(ClusterService.TrafficPolicy.LOCAL, s.externalTrafficPolicy());
        assertEquals(ClusterService.TrafficPolicy.CLUSTER, s.internalTrafficPolicy());
        assertEquals(ClusterService.SessionAffinity.CLIENT_IP, s.sessionAffinity());
        assertEquals(10800, s.sessionAffinityTimeoutSeconds());
        assertEquals(31000, s.healthCheckNodePort());

        ClusterService headless = KubeTranslator.service(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: shop}
                spec: {clusterIP: None, ports: [{port: 5432}]}
                """));
        assertTrue(headless.headless());
        assertTrue(headless.clusterIps().isEmpty());
        assertEquals("5432", headless.ports().get(0).targetPort());
    }

    @Test
    void endpointSliceConditionsDefault() throws Exception {
        ClusterEndpointSlice s = KubeTranslator.endpointSlice(yaml("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-abc, namespace: shop, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                endpoints:
                - addresses: [10.244.1.5]
                  nodeName: worker-1
                  targetRef: {kind: Pod, name: web-1}
                - addresses: [10.244.2.6]
                  conditions: {ready: false, serving: true, terminating: true}
                ports: [{name: http, port: 8080}]
                """));
        assertEquals("web", s.serviceName());
        var a = s.endpoints().get(0);
        assertTrue(a.ready() && a.serving() && !a.terminating());
        assertEquals("shop/web-1", a.targetPod().toString());
        var b = s.endpoints().get(1);
        assertTrue(!b.ready() && b.serving() && b.terminating());
        assertEquals(8080, s.ports().get(0).port());
        assertThrows(MalformedObjectException.class, () -> KubeTranslator.endpointSlice(yaml("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: x, namespace: shop}
                addressType: IPv4
                endpoints: [{addresses: ["fd00::1"]}]
                """)));
    }

    @Test
    void networkPolicy() throws Exception {
        ClusterNetworkPolicy p = KubeTranslator.networkPolicy(yaml("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchLabels: {team: a}}
                      podSelector: {matchExpressions: [{key: role, operator: In, values: [fe, be]}]}
                    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
                    ports: [{port: 80}, {protocol: UDP, port: 1000, endPort: 2000}, {port: http}]
                  egress:
                  - to: [{podSelector: {}}]
                """));
        assertEquals(Set.of(ClusterNetworkPolicy.PolicyType.INGRESS, ClusterNetworkPolicy.PolicyType.EGRESS),
                p.policyTypes());
        assertTrue(p.podSelector().matches(Map.of("app", "web")));
        var peer = p.ingress().get(0).peers().get(0);
        assertTrue(peer.podSelector().matches(Map.of("role", "fe")));
        assertFalse(peer.podSelector().matches(Map.of("role", "db")));
        assertEquals(IpPrefix.parse("10.0.0.0/8"), p.ingress().get(0).peers().get(1).ipBlock().cidr());
        assertEquals(2000, p.ingress().get(0).ports().get(1).endPort());
        assertEquals("http", p.ingress().get(0).ports().get(2).port());
        assertEquals(LabelSelector.EVERYTHING, p.egress().get(0).peers().get(0).podSelector());
        assertEquals(null, p.egress().get(0).peers().get(0).namespaceSelector());

        ClusterNetworkPolicy deny = KubeTranslator.networkPolicy(yaml("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: shop}
                spec: {podSelector: {}}
                """));
        assertEquals(Set.of(ClusterNetworkPolicy.PolicyType.INGRESS), deny.policyTypes());
        assertTrue(deny.ingress().isEmpty());
    }
}
