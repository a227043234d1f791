package dev.lattice.apiserver;

import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded Kubernetes API server for tests, benchmarks and the sandbox: fabric8's mock server
 * in CRUD mode (with expectations, as {@code KubernetesMixedDispatcher} does) on an address of
 * this machine, plain HTTP by default.
 *
 * <p>What it gives: create/get/list/update/patch/delete of any kind, WebSocket watches (which
 * replay every object as ADDED and ignore {@code resourceVersion}), label selectors with
 * {@code =}/{@code !=}/exists, {@code metadata.name}/{@code metadata.namespace} field selectors
 * only, and the discovery answers kubectl needs ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<group>/<version>}, {@code /version}). The store survives
 * {@link #stop()} and {@link #start()}, like etcd behind a restarted API server.
 *
 * <p>For tests it can also expire the next watch of a resource with a 410 Gone watch event
 * ({@link #expireNextWatch(String)}) and seed objects straight into the store, bypassing HTTP
 * and the mock's linear duplicate check ({@link #seedDirect(Collection)}).
 *
 * <p>Not thread-safe against itself for {@code seedDirect}/{@code updateDirect}: call them from
 * one thread at a time. Everything else may be used concurrently.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedApiServer.class.getName());
    private static final Set<String> CLUSTER_SCOPED = Set.of("Node", "Namespace", "PersistentVolume",
            "ClusterRole", "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition",
            "PriorityClass", "IngressClass", "APIService");

    private final InetAddress address;
    private final int requestedPort;
    private final boolean https;
    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final Store store = new Store();
    private final LatticeDispatcher dispatcher = new LatticeDispatcher();
    private final List<Expiry> expiries = new CopyOnWriteArrayList<>();
    private final Context context = new Context(Serialization.jsonMapper());
    private volatile KubernetesMockServer server;
    private volatile int port;

    /**
     * An API server for {@code address:port} ({@code port} 0 picks a free one at the first
     * start and keeps it across restarts).
     */
    public EmbeddedApiServer(InetAddress address, int port, boolean https) {
        this.address = Objects.requireNonNull(address, "address");
        this.requestedPort = port;
        this.https = https;
    }

    /** A started plain-HTTP server on 127.0.0.1 and a free port. */
    public static EmbeddedApiServer startLoopback() {
        EmbeddedApiServer s = new EmbeddedApiServer(InetAddress.getLoopbackAddress(), 0, false);
        s.start();
        return s;
    }

    /** Starts (or restarts, keeping the store) the server. */
    public synchronized EmbeddedApiServer start() {
        if (server != null) {
            return this;
        }
        KubernetesMockServer s = new KubernetesMockServer(context, new MockWebServer(), responses, dispatcher,
                https, new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion("v1.32.0-lattice")
                .withPlatform("linux/amd64").build());
        s.start(address, port != 0 ? port : requestedPort);
        port = s.getPort();
        server = s;
        registerDiscovery(s);
        LOG.log(System.Logger.Level.INFO, "embedded API server listening on {0}", url());
        return this;
    }

    /** Stops listening; open watches are cut. The store is kept for a later {@link #start()}. */
    public synchronized void stop() {
        KubernetesMockServer s = server;
        server = null;
        if (s != null) {
            s.shutdown();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return server != null;
    }

    /** The port (fixed after the first start). */
    public int port() {
        return port;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:34567}. */
    public String url() {
        String host = address.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return (https ? "https://" : "http://") + host + ":" + port;
    }

    /** A fabric8 client for this server (JDK HTTP client, trusts the self-signed certificate). */
    public KubernetesClient client() {
        return new KubernetesClientBuilder()
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                        io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl(url()).withTrustCerts(true).withNamespace("default")
                        .withRequestTimeout(10_000).withConnectionTimeout(5_000).build())
                .build();
    }

    /** Creates (or replaces) every object of a YAML file (multi-document or a List) through the API. */
    public List<HasMetadata> seed(Path yamlFile) throws IOException {
        try (InputStream in = Files.newInputStream(yamlFile)) {
            return seed(in);
        }
    }

    /** Creates (or replaces) every object of a YAML stream through the API. */
    public List<HasMetadata> seed(InputStream yaml) {
        try (KubernetesClient c = client()) {
            List<HasMetadata> out = new ArrayList<>();
            for (HasMetadata item : c.load(yaml).items()) {
                out.add(c.resource(item).createOr(existing -> existing.update()));
            }
            return out;
        }
    }

    /**
     * Puts objects straight into the store, as the API would after a create: uid,
     * resourceVersion, creationTimestamp and namespace are set; watchers are told. Skips HTTP and
     * the mock's duplicate scan, so large seeds take seconds, not minutes. An object that already
     * exists (same kind, namespace, name) is replaced.
     *
     * @return how many objects were stored
     */
    public int seedDirect(Collection<? extends HasMetadata> objects) {
        int n = 0;
        for (HasMetadata o : objects) {
            store.put(toGeneric(o), true);
            n++;
        }
        return n;
    }

    /**
     * Replaces an existing object straight in the store (a new resourceVersion; watchers get
     * MODIFIED). Its labels must be unchanged (the store indexes them); use the API otherwise.
     */
    public void updateDirect(HasMetadata object) {
        store.put(toGeneric(object), false);
    }

    /** The number of objects in the store. */
    public int size() {
        return store.getMap().size();
    }

    /**
     * Makes the next watch request whose path starts with {@code resourcePath} (e.g.
     * {@code /api/v1/pods}) answer, once the returned handle is released, with a watch ERROR event
     * carrying a 410 Gone status, as a real API server does for an expired resourceVersion.
     * Until then that watch stays open and silent: changes made meanwhile are not sent on it.
     */
    public WatchExpiry expireNextWatch(String resourcePath) {
        Expiry e = new Expiry(resourcePath);
        expiries.add(e);
        return e;
    }

    /** A pending or delivered 410 Gone; see {@link EmbeddedApiServer#expireNextWatch(String)}. */
    public interface WatchExpiry {
        /** Sends the 410 on the intercepted watch (now, or as soon as it is opened). */
        void release();

        /** Waits until a watch request was intercepted. */
        boolean awaitIntercepted(long timeout, TimeUnit unit) throws InterruptedException;

        /** Waits until the 410 event has been sent. */
        boolean awaitSent(long timeout, TimeUnit unit) throws InterruptedException;
    }

    private static final class Expiry extends WebSocketListener implements WatchExpiry {
        final String prefix;
        final CountDownLatch intercepted = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final CountDownLatch sent = new CountDownLatch(1);
        final AtomicInteger claimed = new AtomicInteger();
        volatile WebSocket socket;

        Expiry(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            intercepted.countDown();
            Thread t = new Thread(() -> {
                try {
                    released.await();
                    WatchEvent event = new WatchEvent(new StatusBuilder().withStatus("Failure").withCode(410)
                            .withReason("Expired").withMessage("too old resource version (expired by Lattice test)")
                            .build(), "ERROR");
                    webSocket.send(Serialization.asJson(event));
                    sent.countDown();
                    webSocket.close(1000, "expired");
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }, "apiserver-watch-expiry");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void release() {
            released.countDown();
        }

        @Override
        public boolean awaitIntercepted(long timeout, TimeUnit unit) throws InterruptedException {
            return intercepted.await(timeout, unit);
        }

        @Override
        public boolean awaitSent(long timeout, TimeUnit unit) throws InterruptedException {
            return sent.await(timeout, unit);
        }
    }

    /** CRUD plus expectations (the mock's mixed mode), plus watch expiry. */
    private final class LatticeDispatcher extends Dispatcher {
        private final MockDispatcher expectations = new MockDispatcher(responses);

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            if (path != null && path.contains("watch=true")) {
                for (Expiry e : expiries) {
                    if (path.startsWith(e.prefix) && e.claimed.compareAndSet(0, 1)) {
                        expiries.remove(e);
                        return new MockResponse().withWebSocketUpgrade(e);
                    }
                }
            }
            Queue<ServerResponse> queue;
            synchronized (responses) {
                queue = responses.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), path));
            }
            if (queue != null && !queue.isEmpty()) {
                return expectations.dispatch(request);
            }
            return store.dispatch(request);
        }
    }

    /** The CRUD store with a direct (HTTP-less) write path. */
    private static final class Store extends KubernetesCrudDispatcher {
        private final Map<String, AttributeSet> keys = new ConcurrentHashMap<>();

        @Override
        public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                                 GenericKubernetesResource resource, String newState) {
            super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        }

        synchronized void put(GenericKubernetesResource r, boolean create) {
            String kind = r.getKind();
            String ns = r.getMetadata().getNamespace();
            boolean clusterScoped = CLUSTER_SCOPED.contains(kind);
            if (!clusterScoped && (ns == null || ns.isEmpty())) {
                ns = "default";
                r.getMetadata().setNamespace(ns);
            }
            String apiVersion = r.getApiVersion();
            String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
            String plural = Pluralize.toPlural(kind.toLowerCase(java.util.Locale.ROOT));
            String path = base + (clusterScoped ? "" : "/namespaces/" + ns) + "/" + plural;
            String id = path + "/" + r.getMetadata().getName();
            AttributeSet pathAttributes = getKey(path)
                    .add(new Attribute(KubernetesAttributesExtractor.NAME, r.getMetadata().getName()));
            AttributeSet old = keys.get(id);
            if (old == null) {
                Map.Entry<AttributeSet, String> found = create ? null : findResource(pathAttributes);
                old = found == null ? null : found.getKey();
            }
            if (old == null && !create) {
                throw new IllegalArgumentException("no such object: " + id);
            }
            if (r.getMetadata().getUid() == null) {
                r.getMetadata().setUid(UUID.randomUUID().toString());
            }
            if (r.getMetadata().getCreationTimestamp() == null) {
                r.getMetadata().setCreationTimestamp(ZonedDateTime.now(ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_INSTANT));
            }
            r.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
            String json = Serialization.asJson(r);
            processEvent(path, pathAttributes, old, r, json);
            AttributeSet now = ((KubernetesAttributesExtractor) getAttributeExtractor()).extract(r);
            if (!now.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                now = AttributeSet.merge(pathAttributes, now);
            }
            keys.put(id, now);
        }
    }

    private static GenericKubernetesResource toGeneric(HasMetadata o) {
        if (o instanceof GenericKubernetesResource g) {
            return g;
        }
        return Serialization.unmarshal(Serialization.asJson(o), GenericKubernetesResource.class);
    }

    // ---- discovery, so that kubectl works against this server --------------------------------

    private void registerDiscovery(KubernetesMockServer s) {
        Map<String, List<APIResource>> groups = new java.util.LinkedHashMap<>();
        groups.put("v1", List.of(
                res("pods", "Pod", true), res("pods/status", "Pod", true), res("nodes", "Node", false),
                res("nodes/status", "Node", false), res("namespaces", "Namespace", false),
                res("services", "Service", true), res("services/status", "Service", true),
                res("endpoints", "Endpoints", true), res("configmaps", "ConfigMap", true),
                res("secrets", "Secret", true), res("serviceaccounts", "ServiceAccount", true),
                res("events", "Event", true)));
        groups.put("discovery.k8s.io/v1", List.of(res("endpointslices", "EndpointSlice", true)));
        groups.put("networking.k8s.io/v1", List.of(res("networkpolicies", "NetworkPolicy", true),
                res("ingresses", "Ingress", true)));
        groups.put("apps/v1", List.of(res("deployments", "Deployment", true),
                res("daemonsets", "DaemonSet", true), res("replicasets", "ReplicaSet", true),
                res("statefulsets", "StatefulSet", true)));
        groups.put("coordination.k8s.io/v1", List.of(res("leases", "Lease", true)));
        groups.put("rbac.authorization.k8s.io/v1", List.of(res("clusterroles", "ClusterRole", false),
                res("clusterrolebindings", "ClusterRoleBinding", false), res("roles", "Role", true),
                res("rolebindings", "RoleBinding", true)));

        always(s, "/api", new APIVersionsBuilder().withVersions("v1").build());
        APIGroupListBuilder list = new APIGroupListBuilder();
        for (String gv : groups.keySet()) {
            if (!gv.contains("/")) {
                continue;
            }
            String group = gv.substring(0, gv.indexOf('/'));
            String version = gv.substring(gv.indexOf('/') + 1);
            var gvd = new GroupVersionForDiscoveryBuilder().withGroupVersion(gv).withVersion(version).build();
            list.addToGroups(new APIGroupBuilder().withName(group).withVersions(gvd).withPreferredVersion(gvd).build());
        }
        always(s, "/apis", list.build());
        groups.forEach((gv, resources) -> always(s, gv.contains("/") ? "/apis/" + gv : "/api/" + gv,
                new APIResourceListBuilder().withGroupVersion(gv).withResources(resources).build()));
        for (String p : List.of("/openapi/v2", "/openapi/v3")) {
            for (String q : List.of("", "?timeout=32s")) {
                s.expect().get().withPath(p + q).andReturn(404, new StatusBuilder().withCode(404)
                        .withStatus("Failure").withReason("NotFound").build()).always();
            }
        }
    }

    private static void always(KubernetesMockServer s, String path, Object body) {
        s.expect().get().withPath(path).andReturn(200, body).always();
        s.expect().get().withPath(path + "?timeout=32s").andReturn(200, body).always();
    }

    private static APIResource res(String plural, String kind, boolean namespaced) {
        return new APIResourceBuilder().withName(plural).withKind(kind).withNamespaced(namespaced)
                .withSingularName(plural.contains("/") ? "" : kind.toLowerCase(java.util.Locale.ROOT))
                .withVerbs("create", "delete", "get", "list", "patch", "update", "watch").build();
    }
}
