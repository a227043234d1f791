package dev.lattice.cluster.internal;

import dev.lattice.cluster.api.ClusterEndpointSlice;
import dev.lattice.cluster.api.ClusterNamespace;
import dev.lattice.cluster.api.ClusterNetworkPolicy;
import dev.lattice.cluster.api.ClusterNode;
import dev.lattice.cluster.api.ClusterObject;
import dev.lattice.cluster.api.ClusterPod;
import dev.lattice.cluster.api.ClusterService;
import dev.lattice.cluster.api.LabelSelector;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.cluster.api.PortProtocol;
import dev.lattice.cluster.api.ResourceKind;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes objects (as fabric8's schema-less {@link GenericKubernetesResource}, so that a
 * field of the wrong type never breaks a whole list) into Lattice values. Every method either
 * returns a value or throws {@link MalformedObjectException} naming the field at fault.
 * Stateless and thread-safe.
 */
final class KubeTranslator {
    private static final System.Logger LOG = System.getLogger(KubeTranslator.class.getName());

    private KubeTranslator() {
    }

    static ClusterObject translate(ResourceKind kind, GenericKubernetesResource r) throws MalformedObjectException {
        try {
            return switch (kind) {
                case NODE -> node(r);
                case POD -> pod(r);
                case NAMESPACE -> namespace(r);
                case SERVICE -> service(r);
                case ENDPOINT_SLICE -> endpointSlice(r);
                case NETWORK_POLICY -> networkPolicy(r);
            };
        } catch (MalformedObjectException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedObjectException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** The key an object has (namespace/name), from metadata alone. */
    static ObjectKey key(ResourceKind kind, GenericKubernetesResource r) {
        ObjectMeta m = r.getMetadata();
        return new ObjectKey(kind.namespaced() ? m.getNamespace() : "", m.getName());
    }

    // ---- Node ------------------------------------------------------------------------------

    static ClusterNode node(GenericKubernetesResource r) throws MalformedObjectException {
        ObjectMeta m = meta(r);
        Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"), "spec");
        Map<String, Object> status = map(r.getAdditionalProperties().get("status"), "status");
        List<IpAddress> internal = new ArrayList<>();
        List<IpAddress> external = new ArrayList<>();
        for (Object a : list(status.get("addresses"), "status.addresses")) {
            Map<String, Object> am = map(a, "status.addresses[]");
            String type = str(am.get("type"), "status.addresses[].type");
            String addr = str(am.get("address"), "status.addresses[].address");
            if ("InternalIP".equals(type)) {
                internal.add(ip(addr, "status.addresses[InternalIP]"));
            } else if ("ExternalIP".equals(type)) {
                external.add(ip(addr, "status.addresses[ExternalIP]"));
            }
        }
        List<IpPrefix> specCidrs = new ArrayList<>();
        List<Object> cidrs = list(spec.get("podCIDRs"), "spec.podCIDRs");
        if (cidrs.isEmpty() && spec.get("podCIDR") != null) {
            cidrs = List.of(spec.get("podCIDR"));
        }
        for (Object c : cidrs) {
            specCidrs.add(prefix(str(c, "spec.podCIDRs[]"), "spec.podCIDRs"));
        }
        List<IpPrefix> podCidrs = specCidrs;
        boolean fromAnnotation = false;
        String override = annotations(m).get(ClusterNode.POD_CIDRS_ANNOTATION);
        if (override != null && !override.isBlank()) {
            try {
                podCidrs = parsePodCidrs(override);
                fromAnnotation = true;
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "node {0}: ignoring annotation {1}=\"{2}\" ({3}); using spec.podCIDRs",
                        m.getName(), ClusterNode.POD_CIDRS_ANNOTATION, override, e.getMessage());
            }
        }
        boolean ready = false;
        for (Object c : list(status.get("conditions"), "status.conditions")) {
            Map<String, Object> cm = map(c, "status.conditions[]");
            if ("Ready".equals(cm.get("type"))) {
                ready = "True".equals(cm.get("status"));
            }
        }
        return new ClusterNode(m.getName(), m.getUid(), m.getResourceVersion(), labels(m), annotations(m), internal,
                external, podCidrs, fromAnnotation, ready, bool(spec.get("unschedulable"), "spec.unschedulable"));
    }

    /** The {@code lattice.dev/pod-cidrs} annotation: comma-separated prefixes, at most one per family. */
    static List<IpPrefix> parsePodCidrs(String text) {
        List<IpPrefix> out = new ArrayList<>();
        Set<IpFamily> seen = EnumSet.noneOf(IpFamily.class);
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.indexOf('/') < 0) {
                throw new IllegalArgumentException("'" + p + "' has no prefix length");
            }
            IpPrefix prefix = IpPrefix.parse(p);
            if (!seen.add(prefix.family())) {
                throw new IllegalArgumentException("more than one " + prefix.family() + " prefix");
            }
            out.add(prefix);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no prefix");
        }
        return out;
    }

    // ---- Pod -------------------------------------------------------------------------------

    static ClusterPod pod(GenericKubernetesResource r) throws MalformedObjectException {
        ObjectMeta m = meta(r);
        Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"), "spec");
        Map<String, Object> status = map(r.getAdditionalProperties().get("status"), "status");
        List<IpAddress> ips = new ArrayList<>();
        List<Object> podIps = list(status.get("podIPs"), "status.podIPs");
        if (!podIps.isEmpty()) {
            for (Object o : podIps) {
                ips.add(ip(str(map(o, "status.podIPs[]").get("ip"), "status.podIPs[].ip"), "status.podIPs[].ip"));
            }
        } else if (status.get("podIP") != null && !str(status.get("podIP"), "status.podIP").isEmpty()) {
            ips.add(ip(str(status.get("podIP"), "status.podIP"), "status.podIP"));
        }
        List<ClusterPod.ContainerPort> ports = new ArrayList<>();
        for (Object c : list(spec.get("containers"), "spec.containers")) {
            for (Object p : list(map(c, "spec.containers[]").get("ports"), "spec.containers[].ports")) {
                Map<String, Object> pm = map(p, "spec.containers[].ports[]");
                ports.add(new ClusterPod.ContainerPort(optStr(pm.get("name"), "ports[].name"),
                        intVal(pm.get("containerPort"), "ports[].containerPort", 0),
                        protocol(pm.get("protocol"), "ports[].protocol")));
            }
        }
        return new ClusterPod(m.getNamespace(), m.getName(), m.getUid(), m.getResourceVersion(),
                optStr(spec.get("nodeName"), "spec.nodeName"), labels(m), ips,
                bool(spec.get("hostNetwork"), "spec.hostNetwork"), optStr(status.get("phase"), "status.phase"),
                m.getDeletionTimestamp() != null, ports);
    }

    // ---- Namespace -------------------------------------------------------------------------

    static ClusterNamespace namespace(GenericKubernetesResource r) throws MalformedObjectException {
        ObjectMeta m = meta(r);
        Map<String, Object> status = map(r.getAdditionalProperties().get("status"), "status");
        boolean terminating = m.getDeletionTimestamp() != null || "Terminating".equals(status.get("phase"));
        return new ClusterNamespace(m.getName(), m.getUid(), m.getResourceVersion(), labels(m), terminating);
    }

    // ---- Service ---------------------------------------------------------------------------

    static ClusterService service(GenericKubernetesResource r) throws MalformedObjectException {
        ObjectMeta m = meta(r);
        Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"), "spec");
        Map<String, Object> status = map(r.getAdditionalProperties().get("status"), "status");
        String typeText = optStr(spec.get("type"), "spec.type");
        ClusterService.Type type = switch (typeText) {
            case "", "ClusterIP" -> ClusterService.Type.CLUSTER_IP;
            case "NodePort" -> ClusterService.Type.NODE_PORT;
            case "LoadBalancer" -> ClusterService.Type.LOAD_BALANCER;
            case "ExternalName" -> ClusterService.Type.EXTERNAL_NAME;
            default -> throw new MalformedObjectException("spec.type: unknown type '" + typeText + "'");
        };
        String clusterIp = optStr(spec.get("clusterIP"), "spec.clusterIP");
        boolean headless = "None".equals(clusterIp);
        List<IpAddress> clusterIps = new ArrayList<>();
        if (!headless) {
            List<Object> ipsList = list(spec.get("clusterIPs"), "spec.clusterIPs");
            if (ipsList.isEmpty() && !clusterIp.isEmpty()) {
                ipsList = List.of(clusterIp);
            }
            for (Object o : ipsList) {
                String s = str(o, "spec.clusterIPs[]");
                if (!"None".equals(s)) {
                    clusterIps.add(ip(s, "spec.clusterIPs[]"));
                }
            }
        }
        List<ClusterService.ServicePort> ports = new ArrayList<>();
        for (Object p : list(spec.get("ports"), "spec.ports")) {
            Map<String, Object> pm = map(p, "spec.ports[]");
            int port = intVal(pm.get("port"), "spec.ports[].port", -1);
            if (port <= 0 || port > 65535) {
                throw new MalformedObjectException("spec.ports[].port: " + pm.get("port") + " is not a port");
            }
            Object target = pm.get("targetPort");
            String targetPort = target == null ? null : target instanceof Number n ? Integer.toString(n.intValue())
                    : str(target, "spec.ports[].targetPort");
            ports.add(new ClusterService.ServicePort(optStr(pm.get("name"), "spec.ports[].name"),
                    protocol(pm.get("protocol"), "spec.ports[].protocol"), port, targetPort,
                    intVal(pm.get("nodePort"), "spec.ports[].nodePort", 0),
                    optStr(pm.get("appProtocol"), "spec.ports[].appProtocol")));
        }
        List<IpAddress> externalIps = new ArrayList<>();
        for (Object o : list(spec.get("externalIPs"), "spec.externalIPs")) {
            externalIps.add(ip(str(o, "spec.externalIPs[]"), "spec.externalIPs[]"));
        }
        List<IpAddress> lbIps = new ArrayList<>();
        Map<String, Object> lb = map(status.get("loadBalancer"), "status.loadBalancer");
        for (Object o : list(lb.get("ingress"), "status.loadBalancer.ingress")) {
            Object ip = map(o, "status.loadBalancer.ingress[]").get("ip");
            if (ip != null) {
                lbIps.add(ip(str(ip, "status.loadBalancer.ingress[].ip"), "status.loadBalancer.ingress[].ip"));
            }
        }
        List<IpPrefix> sourceRanges = new ArrayList<>();
        for (Object o : list(spec.get("loadBalancerSourceRanges"), "spec.loadBalancerSourceRanges")) {
            sourceRanges.add(prefix(str(o, "spec.loadBalancerSourceRanges[]").trim(), "spec.loadBalancerSourceRanges"));
        }
        ClusterService.SessionAffinity affinity = "ClientIP".equals(spec.get("sessionAffinity"))
                ? ClusterService.SessionAffinity.CLIENT_IP : ClusterService.SessionAffinity.NONE;
        int timeout = 0;
        if (affinity == ClusterService.SessionAffinity.CLIENT_IP) {
            Map<String, Object> sac = map(spec.get("sessionAffinityConfig"), "spec.sessionAffinityConfig");
            timeout = intVal(map(sac.get("clientIP"), "spec.sessionAffinityConfig.clientIP").get("timeoutSeconds"),
                    "spec.sessionAffinityConfig.clientIP.timeoutSeconds", 10800);
        }
        Map<String, String> selector = stringMap(spec.get("selector"), "spec.selector");
        return new ClusterService(m.getNamespace(), m.getName(), m.getUid(), m.getResourceVersion(), labels(m), type,
                clusterIps, headless, ports, selector, externalIps, lbIps, sourceRanges,
                trafficPolicy(spec.get("externalTrafficPolicy"), "spec.externalTrafficPolicy"),
                trafficPolicy(spec.get("internalTrafficPolicy"), "spec.internalTrafficPolicy"), affinity, timeout,
                intVal(spec.get("healthCheckNodePort"), "spec.healthCheckNodePort", 0),
                optStr(spec.get("externalName"), "spec.externalName"),
                bool(spec.get("publishNotReadyAddresses"), "spec.publishNotReadyAddresses"));
    }

    private static ClusterService.TrafficPolicy trafficPolicy(Object o, String field) throws MalformedObjectException {
        String s = optStr(o, field);
        // "Local" (and the pre-1.22 spelling "Local" only); anything else is Cluster.
        return "Local".equals(s) ? ClusterService.TrafficPolicy.LOCAL : ClusterService.TrafficPolicy.CLUSTER;
    }

    // ---- EndpointSlice ---------------------------------------------------------------------

    static ClusterEndpointSlice endpointSlice(GenericKubernetesResource r) throws MalformedObjectException {
        ObjectMeta m = meta(r);
        Map<String, Object> p = r.getAdditionalProperties();
        String at = optStr(p.get("addressType"), "addressType");
        ClusterEndpointSlice.AddressType addressType = switch (at) {
            case "IPv4" -> ClusterEndpointSlice.AddressType.IPV4;
            case "IPv6" -> ClusterEndpointSlice.AddressType.IPV6;
            case "FQDN" -> ClusterEndpointSlice.AddressType.FQDN;
            default -> throw new MalformedObjectException("addressType: unknown '" + at + "'");
        };
        List<ClusterEndpointSlice.SliceEndpoint> endpoints = new ArrayList<>();
        for (Object e : list(p.get("endpoints"), "endpoints")) {
            Map<String, Object> em = map(e, "endpoints[]");
            List<String> addresses = new ArrayList<>();
            for (Object a : list(em.get("addresses"), "endpoints[].addresses")) {
                String s = str(a, "endpoints[].addresses[]");
                if (addressType != ClusterEndpointSlice.AddressType.FQDN) {
                    IpAddress ip = ip(s, "endpoints[].addresses[]");
                    if ((addressType == ClusterEndpointSlice.AddressType.IPV4) != ip.isIpv4()) {
                        throw new MalformedObjectException("endpoints[].addresses[]: " + s + " is not " + at);
                    }
                    s = ip.toString();
                }
                addresses.add(s.intern());
            }
            Map<String, Object> cond = map(em.get("conditions"), "endpoints[].conditions");
            boolean ready = cond.get("ready") == null || bool(cond.get("ready"), "conditions.ready");
            boolean serving = cond.get("serving") == null ? ready : bool(cond.get("serving"), "conditions.serving");
            boolean terminating = bool(cond.get("terminating"), "conditions.terminating");
            ObjectKey target = null;
            Map<String, Object> ref = map(em.get("targetRef"), "endpoints[].targetRef");
            if ("Pod".equals(ref.get("kind")) && ref.get("name") != null) {
                String ns = optStr(ref.get("namespace"), "targetRef.namespace");
                target = new ObjectKey(ns.isEmpty() ? m.getNamespace() : ns, str(ref.get("name"), "targetRef.name"));
            }
            endpoints.add(new ClusterEndpointSlice.SliceEndpoint(addresses, ready, serving, terminating,
                    intern(optStr(em.get("nodeName"), "endpoints[].nodeName")),
                    intern(optStr(em.get("zone"), "endpoints[].zone")),
                    optStr(em.get("hostname"), "endpoints[].hostname"), target));
        }
        List<ClusterEndpointSlice.SlicePort> ports = new ArrayList<>();
        for (Object o : list(p.get("ports"), "ports")) {
            Map<String, Object> pm = map(o, "ports[]");
            ports.add(new ClusterEndpointSlice.SlicePort(optStr(pm.get("name"), "ports[].name"),
                    intVal(pm.get("port"), "ports[].port", -1), protocol(pm.get("protocol"), "ports[].protocol"),
                    optStr(pm.get("appProtocol"), "ports[].appProtocol")));
        }
        Map<String, String> labels = labels(m);
        return new ClusterEndpointSlice(m.getNamespace(), m.getName(), m.getUid(), m.getResourceVersion(),
                labels.get(ClusterEndpointSlice.SERVICE_NAME_LABEL), labels, addressType, endpoints, ports);
    }

    // ---- NetworkPolicy ---------------------------------------------------------------------

    static ClusterNetworkPolicy networkPolicy(GenericKubernetesResource r) throws MalformedObjectException {
        ObjectMeta m = meta(r);
        Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"), "spec");
        LabelSelector podSelector = spec.get("podSelector") == null ? LabelSelector.EVERYTHING
                : selector(spec.get("podSelector"), "spec.podSelector");
        List<ClusterNetworkPolicy.Rule> ingress = rules(spec.get("ingress"), "from", "spec.ingress");
        List<ClusterNetworkPolicy.Rule> egress = rules(spec.get("egress"), "to", "spec.egress");
        Set<ClusterNetworkPolicy.PolicyType> types = EnumSet.noneOf(ClusterNetworkPolicy.PolicyType.class);
        List<Object> typeList = list(spec.get("policyTypes"), "spec.policyTypes");
        if (typeList.isEmpty()) {
            types.add(ClusterNetworkPolicy.PolicyType.INGRESS);
            if (spec.get("egress") != null) {
                types.add(ClusterNetworkPolicy.PolicyType.EGRESS);
            }
        } else {
            for (Object t : typeList) {
                String s = str(t, "spec.policyTypes[]");
                switch (s) {
                    case "Ingress" -> types.add(ClusterNetworkPolicy.PolicyType.INGRESS);
                    case "Egress" -> types.add(ClusterNetworkPolicy.PolicyType.EGRESS);
                    default -> throw new MalformedObjectException("spec.policyTypes: unknown '" + s + "'");
                }
            }
        }
        return new ClusterNetworkPolicy(m.getNamespace(), m.getName(), m.getUid(), m.getResourceVersion(),
                podSelector, types, ingress, egress);
    }

    private static List<ClusterNetworkPolicy.Rule> rules(Object o, String peersField, String field)
            throws MalformedObjectException {
        List<ClusterNetworkPolicy.Rule> out = new ArrayList<>();
        for (Object ro : list(o, field)) {
            Map<String, Object> rm = map(ro, field + "[]");
            List<ClusterNetworkPolicy.Peer> peers = new ArrayList<>();
            for (Object po : list(rm.get(peersField), field + "[]." + peersField)) {
                Map<String, Object> pm = map(po, field + "[]." + peersField + "[]");
                ClusterNetworkPolicy.IpBlock block = null;
                if (pm.get("ipBlock") != null) {
                    Map<String, Object> bm = map(pm.get("ipBlock"), "ipBlock");
                    List<IpPrefix> except = new ArrayList<>();
                    for (Object e : list(bm.get("except"), "ipBlock.except")) {
                        except.add(lenientPrefix(str(e, "ipBlock.except[]"), "ipBlock.except"));
                    }
                    block = new ClusterNetworkPolicy.IpBlock(lenientPrefix(str(bm.get("cidr"), "ipBlock.cidr"),
                            "ipBlock.cidr"), except);
                }
                LabelSelector podSel = pm.get("podSelector") == null ? null : selector(pm.get("podSelector"), "podSelector");
                LabelSelector nsSel = pm.get("namespaceSelector") == null ? null
                        : selector(pm.get("namespaceSelector"), "namespaceSelector");
                if (block == null && podSel == null && nsSel == null) {
                    throw new MalformedObjectException(field + ": a peer with neither ipBlock nor selectors");
                }
                peers.add(new ClusterNetworkPolicy.Peer(podSel, nsSel, block));
            }
            List<ClusterNetworkPolicy.PolicyPort> ports = new ArrayList<>();
            for (Object p : list(rm.get("ports"), field + "[].ports")) {
                Map<String, Object> pm = map(p, field + "[].ports[]");
                Object port = pm.get("port");
                String portText = port == null ? null : port instanceof Number n ? Integer.toString(n.intValue())
                        : str(port, "ports[].port");
                ports.add(new ClusterNetworkPolicy.PolicyPort(protocol(pm.get("protocol"), "ports[].protocol"),
                        portText, intVal(pm.get("endPort"), "ports[].endPort", 0)));
            }
            out.add(new ClusterNetworkPolicy.Rule(peers, ports));
        }
        return out;
    }

    /** ipBlock CIDRs: the API server accepts host bits set (10.0.0.1/24); use the network. */
    private static IpPrefix lenientPrefix(String s, String field) throws MalformedObjectException {
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new MalformedObjectException(field + ": '" + s + "' is not a CIDR");
        }
        try {
            return IpPrefix.containing(IpAddress.parse(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new MalformedObjectException(field + ": " + e.getMessage());
        }
    }

    static LabelSelector selector(Object o, String field) throws MalformedObjectException {
        Map<String, Object> sm = map(o, field);
        Map<String, String> matchLabels = stringMap(sm.get("matchLabels"), field + ".matchLabels");
        List<LabelSelector.Requirement> reqs = new ArrayList<>();
        for (Object e : list(sm.get("matchExpressions"), field + ".matchExpressions")) {
            Map<String, Object> em = map(e, field + ".matchExpressions[]");
            String op = str(em.get("operator"), field + ".matchExpressions[].operator");
            LabelSelector.Operator operator = switch (op) {
                case "In" -> LabelSelector.Operator.IN;
                case "NotIn" -> LabelSelector.Operator.NOT_IN;
                case "Exists" -> LabelSelector.Operator.EXISTS;
                case "DoesNotExist" -> LabelSelector.Operator.DOES_NOT_EXIST;
                default -> throw new MalformedObjectException(field + ": unknown operator '" + op + "'");
            };
            Set<String> values = new HashSet<>();
            for (Object v : list(em.get("values"), field + ".matchExpressions[].values")) {
                values.add(str(v, field + ".matchExpressions[].values[]"));
            }
            reqs.add(new LabelSelector.Requirement(str(em.get("key"), field + ".matchExpressions[].key"), operator,
                    values));
        }
        if (matchLabels.isEmpty() && reqs.isEmpty()) {
            return LabelSelector.EVERYTHING;
        }
        return new LabelSelector(matchLabels, reqs, false);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static ObjectMeta meta(GenericKubernetesResource r) throws MalformedObjectException {
        ObjectMeta m = r.getMetadata();
        if (m == null || m.getName() == null || m.getName().isEmpty()) {
            throw new MalformedObjectException("metadata.name is missing");
        }
        return m;
    }

    private static Map<String, String> labels(ObjectMeta m) {
        Map<String, String> l = m.getLabels();
        return l == null ? Map.of() : internMap(l);
    }

    private static Map<String, String> annotations(ObjectMeta m) {
        Map<String, String> a = m.getAnnotations();
        return a == null ? Map.of() : a;
    }

    /** Label keys and values repeat across thousands of pods: share the strings. */
    private static Map<String, String> internMap(Map<String, String> m) {
        if (m.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] entries = new Map.Entry[m.size()];
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            entries[i++] = Map.entry(e.getKey().intern(), e.getValue() == null ? "" : e.getValue().intern());
        }
        return Map.ofEntries(entries);
    }

    private static String intern(String s) {
        return s.isEmpty() ? "" : s.intern();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String field) throws MalformedObjectException {
        if (o == null) {
            return Map.of();
        }
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new MalformedObjectException(field + ": expected an object, got " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String field) throws MalformedObjectException {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new MalformedObjectException(field + ": expected a list, got " + describe(o));
    }

    private static String str(Object o, String field) throws MalformedObjectException {
        if (o instanceof String s) {
            return s;
        }
        throw new MalformedObjectException(field + ": expected a string, got " + describe(o));
    }

    private static String optStr(Object o, String field) throws MalformedObjectException {
        return o == null ? "" : str(o, field);
    }

    private static boolean bool(Object o, String field) throws MalformedObjectException {
        if (o == null) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        throw new MalformedObjectException(field + ": expected true or false, got " + describe(o));
    }

    private static int intVal(Object o, String field, int dflt) throws MalformedObjectException {
        if (o == null) {
            return dflt;
        }
        if (o instanceof Integer || o instanceof Long || o instanceof Short) {
            return ((Number) o).intValue();
        }
        throw new MalformedObjectException(field + ": expected an integer, got " + describe(o));
    }

    private static Map<String, String> stringMap(Object o, String field) throws MalformedObjectException {
        Map<String, Object> m = map(o, field);
        if (m.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out.put(e.getKey(), str(e.getValue(), field + "." + e.getKey()));
        }
        return internMap(out);
    }

    private static PortProtocol protocol(Object o, String field) throws MalformedObjectException {
        try {
            return PortProtocol.parse(optStr(o, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedObjectException(field + ": unknown protocol " + describe(o));
        }
    }

    private static IpAddress ip(String s, String field) throws MalformedObjectException {
        try {
            return IpAddress.parse(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedObjectException(field + ": " + e.getMessage());
        }
    }

    private static IpPrefix prefix(String s, String field) throws MalformedObjectException {
        try {
            return IpPrefix.parse(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedObjectException(field + ": " + e.getMessage());
        }
    }

    private static String describe(Object o) {
        String s = String.valueOf(o);
        if (s.length() > 60) {
            s = s.substring(0, 57) + "...";
        }
        return (o instanceof String ? "\"" + s + "\"" : s) + (o == null ? "" : " (" + o.getClass().getSimpleName()
                .toLowerCase(Locale.ROOT) + ")");
    }

}
