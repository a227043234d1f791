package dev.lattice.cluster.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.cluster.api.ClusterObject;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.cluster.api.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Connects to one API server and keeps a {@link ClusterStore} current: one fabric8 informer per
 * kind (schema-less, see {@link KubeTranslator}), supervised by one thread that
 * <ul>
 * <li>connects, lists everything and marks the store synced;</li>
 * <li>watches the informers: when a watch is down it probes the API server; if that fails the
 * server is unreachable: the informers are stopped, the store keeps its last state, the status
 * turns DEGRADED with the reason, and it reconnects with exponential backoff and jitter;</li>
 * <li>after every reconnect lists every kind again and removes what no longer exists (an API
 * server that restarted without its data - as the embedded one does - is answered with a
 * relist, not just a re-watch);</li>
 * <li>restarts (relists) a kind whose informer stopped or whose watch stalled.</li>
 * </ul>
 * A 410 Gone on a watch is handled by fabric8's informer itself: it lists again and reports
 * deletions of what vanished.
 */
final class WatchLayer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WatchLayer.class.getName());
    private static final long MONITOR_MILLIS = 250;
    private static final long STALL_MILLIS = 30_000;

    private final ClusterConfig config;
    private final ClusterStore store;
    private final Map<String, String> env;
    private final ClassLoader loader;
    private final ScheduledExecutorService supervisor;
    private final Backoff backoff;
    private final Map<ResourceKind, Informer> informers = new ConcurrentHashMap<>();
    private final Map<String, String> skippedVersions = new ConcurrentHashMap<>();
    private final AtomicLongArray events = new AtomicLongArray(ResourceKind.values().length);
    private final AtomicLongArray skipped = new AtomicLongArray(ResourceKind.values().length);
    private final AtomicLong relists = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile KubernetesClient client;
    private volatile ClusterState.Phase phase = ClusterState.Phase.CONNECTING;
    private volatile String message = "connecting";
    private volatile String apiServerUrl = "";
    private volatile boolean everSynced;
    private volatile boolean closed;
    private ScheduledFuture<?> monitorTask;
    private ScheduledFuture<?> resyncTask;
    private long generation;

    /** One kind's informer and the generation it belongs to (events of older ones are ignored). */
    private record Informer(ResourceKind kind, long generation, SharedIndexInformer<GenericKubernetesResource> informer,
                            SlimItemStore items, long[] notWatchingSince) {
    }

    WatchLayer(ClusterConfig config, ClusterStore store, Map<String, String> env, ClassLoader loader) {
        this.config = config;
        this.store = store;
        this.env = env;
        this.loader = loader;
        this.backoff = new Backoff(250, 30_000, 0.2, () -> ThreadLocalRandom.current().nextDouble());
        this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lattice-cluster-watch");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        supervisor.execute(this::connect);
        if (config.resyncSeconds() > 0) {
            resyncTask = supervisor.scheduleWithFixedDelay(this::resyncAll, config.resyncSeconds(),
                    config.resyncSeconds(), TimeUnit.SECONDS);
        }
    }

    ClusterState.Status status() {
        return new ClusterState.Status(phase, message, apiServerUrl, relists.get());
    }

    long events(ResourceKind k) {
        return events.get(k.ordinal());
    }

    long skipped(ResourceKind k) {
        return skipped.get(k.ordinal());
    }

    long reconnects() {
        return reconnects.get();
    }

    long relists() {
        return relists.get();
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            supervisor.execute(() -> {
                stopInformers();
                closeClient();
                done.complete(null);
            });
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cluster watch did not stop cleanly: {0}", e.toString());
        } finally {
            supervisor.shutdownNow();
            if (!done.isDone()) {
                // the supervisor was stuck (e.g. in a long first list): clean up from here
                stopInformers();
                closeClient();
            }
            message = "stopped";
            phase = ClusterState.Phase.STOPPED;
        }
    }

    // ---- connection -------------------------------------------------------------------------

    private void connect() {
        if (closed) {
            return;
        }
        try {
            if (client == null) {
                client = withLoader(this::buildClient);
                String url = client.getConfiguration().getMasterUrl();
                apiServerUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            }
            message = "connecting to " + apiServerUrl;
            withLoader(() -> client.getKubernetesVersion());
            long gen = ++generation;
            Map<ResourceKind, CompletableFuture<Void>> started = new EnumMap<>(ResourceKind.class);
            for (ResourceKind k : ResourceKind.values()) {
                started.put(k, startInformer(k, gen));
            }
            CompletableFuture.allOf(started.values().toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            for (ResourceKind k : ResourceKind.values()) {
                reconcile(informers.get(k));
            }
            boolean again = everSynced;
            everSynced = true;
            backoff.reset();
            message = "synced with " + apiServerUrl;
            phase = ClusterState.Phase.SYNCED;
            store.setSynced(true);
            if (again) {
                relists.addAndGet(ResourceKind.values().length);
            }
            LOG.log(System.Logger.Level.INFO, "cluster state {0} with {1}", again ? "re-synced" : "synced", apiServerUrl);
            if (monitorTask == null) {
                monitorTask = supervisor.scheduleWithFixedDelay(this::monitor, MONITOR_MILLIS, MONITOR_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            failed(reason(e));
        }
    }

    private void failed(String reason) {
        stopInformers();
        if (closed) {
            return;
        }
        if (monitorTask != null) {
            monitorTask.cancel(false);
            monitorTask = null;
        }
        long delay = backoff.next();
        reconnects.incrementAndGet();
        if (everSynced) {
            // message first: whoever reads the new phase (volatile) then sees its message
            message = "API server " + apiServerUrl + " unreachable: " + reason
                    + "; keeping the last snapshot, reconnecting in " + delay + " ms";
            phase = ClusterState.Phase.DEGRADED;
        } else {
            message = "cannot reach API server" + (apiServerUrl.isEmpty() ? "" : " " + apiServerUrl) + ": " + reason
                    + "; retrying in " + delay + " ms";
            phase = ClusterState.Phase.CONNECTING;
        }
        LOG.log(backoff.failures() <= 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, message);
        supervisor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Watches the informers; probes the server when a watch is down. */
    private void monitor() {
        if (closed || phase != ClusterState.Phase.SYNCED && phase != ClusterState.Phase.DEGRADED) {
            return;
        }
        long now = System.nanoTime();
        boolean anyDown = false;
        ResourceKind stopped = null;
        ResourceKind stalled = null;
        for (Informer inf : informers.values()) {
            if (!inf.informer().isRunning()) {
                stopped = inf.kind();
                anyDown = true;
            } else if (!inf.informer().isWatching()) {
                anyDown = true;
                if (inf.notWatchingSince()[0] == 0) {
                    inf.notWatchingSince()[0] = now;
                } else if (now - inf.notWatchingSince()[0] > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                    stalled = inf.kind();
                }
            } else {
                inf.notWatchingSince()[0] = 0;
            }
        }
        if (!anyDown) {
            if (phase == ClusterState.Phase.DEGRADED) {
                message = "synced with " + apiServerUrl;
                phase = ClusterState.Phase.SYNCED;
            }
            return;
        }
        try {
            withLoader(() -> client.getKubernetesVersion());
        } catch (Exception e) {
            failed(reason(e));
            return;
        }
        ResourceKind restart = stopped != null ? stopped : stalled;
        if (restart != null) {
            String why = stopped != null ? "its informer stopped" : "its watch stalled for " + STALL_MILLIS / 1000 + " s";
            LOG.log(System.Logger.Level.WARNING, "relisting {0}: {1}", restart, why);
            message = "relisting " + restart + " (" + why + ")";
            phase = ClusterState.Phase.DEGRADED;
            restartKind(restart);
        }
    }

    private void restartKind(ResourceKind kind) {
        Informer old = informers.remove(kind);
        if (old != null) {
            old.informer().stop();
        }
        try {
            startInformer(kind, ++generation).get(120, TimeUnit.SECONDS);
            reconcile(informers.get(kind));
            relists.incrementAndGet();
            if (informers.values().stream().allMatch(i -> i.informer().isRunning())) {
                message = "synced with " + apiServerUrl;
                phase = ClusterState.Phase.SYNCED;
            }
        } catch (Exception e) {
            failed(reason(e));
        }
    }

    /** Lists everything again (resyncSeconds). */
    private void resyncAll() {
        if (closed || phase != ClusterState.Phase.SYNCED) {
            return;
        }
        for (ResourceKind k : ResourceKind.values()) {
            restartKind(k);
        }
    }

    /** After a (re)list: drop from the store what the list no longer has. */
    private void reconcile(Informer inf) {
        Set<ObjectKey> keys = new HashSet<>();
        for (String k : inf.items().keys()) {
            int slash = k.indexOf('/');
            keys.add(slash < 0 ? ObjectKey.cluster(k) : new ObjectKey(k.substring(0, slash), k.substring(slash + 1)));
        }
        store.retainOnly(inf.kind(), keys);
    }

    private CompletableFuture<Void> startInformer(ResourceKind kind, long gen) {
        Informer previous = informers.remove(kind);
        if (previous != null) {
            previous.informer().stop();
        }
        return withLoader(() -> {
            SharedIndexInformer<GenericKubernetesResource> inf = client.genericKubernetesResources(context(kind))
                    .inAnyNamespace().runnableInformer(0);
            SlimItemStore items = new SlimItemStore();
            inf.removeIndexer(Cache.NAMESPACE_INDEX);
            inf.itemStore(items);
            // Before the first list completes, fail (we retry with our own backoff); after it, any
            // error means relist (fabric8 does that itself, with its own backoff).
            inf.exceptionHandler((isStarted, t) -> {
                LOG.log(System.Logger.Level.DEBUG, "{0} informer error (started={1}): {2}", kind, isStarted, t.toString());
                return isStarted;
            });
            inf.addEventHandler(new Handler(kind, gen));
            Informer record = new Informer(kind, gen, inf, items, new long[1]);
            informers.put(kind, record);
            return inf.start().toCompletableFuture();
        });
    }

    private void stopInformers() {
        for (Informer inf : informers.values()) {
            try {
                inf.informer().stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "stopping informer: {0}", e.toString());
            }
        }
        informers.clear();
    }

    private void closeClient() {
        KubernetesClient c = client;
        client = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing client: {0}", e.toString());
            }
        }
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final ResourceKind kind;
        private final long gen;

        Handler(ResourceKind kind, long gen) {
            this.kind = kind;
            this.gen = gen;
        }

        private boolean current() {
            Informer inf = informers.get(kind);
            return !closed && inf != null && inf.generation() == gen;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            apply(obj);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            if (oldObj != newObj) {
                apply(newObj);
            }
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            if (!current() || obj.getMetadata() == null || obj.getMetadata().getName() == null) {
                return;
            }
            events.incrementAndGet(kind.ordinal());
            ObjectKey key = KubeTranslator.key(kind, obj);
            if (!skippedVersions.isEmpty()) {
                skippedVersions.remove(kind + ":" + key);
            }
            store.delete(kind, key);
        }

        private void apply(GenericKubernetesResource obj) {
            if (!current() || obj.getMetadata() == null || obj.getMetadata().getName() == null) {
                return;
            }
            events.incrementAndGet(kind.ordinal());
            try {
                // Pod watch events usually arrive already translated (PodWatchEvents, one streaming pass)
                ClusterObject value = kind == ResourceKind.POD && obj instanceof PodWatchEvents.TranslatedPod t ? t.pod()
                        : KubeTranslator.translate(kind, obj);
                store.upsert(value);
                if (!skippedVersions.isEmpty()) {
                    skippedVersions.remove(kind + ":" + value.key());
                }
            } catch (MalformedObjectException e) {
                skipped.incrementAndGet(kind.ordinal());
                ObjectKey key = KubeTranslator.key(kind, obj);
                String rv = String.valueOf(obj.getMetadata().getResourceVersion());
                if (!rv.equals(skippedVersions.put(kind + ":" + key, rv))) {
                    LOG.log(System.Logger.Level.WARNING, "skipping {0} {1} (resourceVersion {2}): {3}; keeping its last "
                            + "good state, if any", kind, key, rv, e.getMessage());
                }
            }
        }
    }

    // ---- client ---------------------------------------------------------------------------

    private KubernetesClient buildClient() throws Exception {
        Config base;
        if (!config.apiServer().isEmpty()) {
            ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(config.apiServer());
            if (!config.tokenFile().isEmpty()) {
                b.withOauthToken(Files.readString(Path.of(config.tokenFile()), StandardCharsets.UTF_8).trim());
            }
            base = b.build();
        } else if (!config.kubeconfig().isEmpty()) {
            Path p = Path.of(config.kubeconfig());
            base = Config.fromKubeconfig(null, Files.readString(p, StandardCharsets.UTF_8), p.toString());
        } else if (config.useInCluster(env)) {
            base = Config.autoConfigure(null);
        } else {
            throw new IllegalStateException("no cluster configured");
        }
        Config cfg = new ConfigBuilder(base)
                .withTrustCerts(config.insecureSkipTlsVerify() || base.isTrustCerts())
                .withConnectionTimeout(5_000)
                .withRequestTimeout(30_000)
                .withRequestRetryBackoffLimit(0)
                .withWatchReconnectInterval(500)
                .withWatchReconnectLimit(-1)
                .build();
        if (config.insecureSkipTlsVerify()) {
            cfg.setDisableHostnameVerification(true);
        }
        // No ServiceLoader scan for model classes (it needs the context class loader and every
        // model jar); Kubernetes objects arrive as GenericKubernetesResource. Status stays typed
        // so that a watch ERROR with 410 Gone is recognised. Pod watch events take a streaming fast
        // path (PodWatchEvents) and fall back to fabric8's parsing for anything it does not take.
        KubernetesSerialization serialization = new PodWatchEvents.Serialization(new ObjectMapper());
        serialization.registerKubernetesResource(Status.class);
        // fabric8 hands every watch event from the WebSocket thread to its task executor twice
        // (watcher, then informer listeners), each a thread wake-up costing more CPU than the work.
        // Run those tasks in the calling thread: everything our informers do there is non-blocking
        // (Reflector bookkeeping, our Handler, which only queues into the ClusterStore), and each
        // informer still delivers in order through fabric8's serial executors.
        return new KubernetesClientBuilder()
                .withTaskExecutor(Runnable::run)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withKubernetesSerialization(serialization)
                .withConfig(cfg)
                .build();
    }

    static ResourceDefinitionContext context(ResourceKind kind) {
        ResourceDefinitionContext.Builder b = new ResourceDefinitionContext.Builder();
        switch (kind) {
            case NODE -> b.withGroup("").withVersion("v1").withKind("Node").withPlural("nodes").withNamespaced(false);
            case POD -> b.withGroup("").withVersion("v1").withKind("Pod").withPlural("pods").withNamespaced(true);
            case NAMESPACE -> b.withGroup("").withVersion("v1").withKind("Namespace").withPlural("namespaces")
                    .withNamespaced(false);
            case SERVICE -> b.withGroup("").withVersion("v1").withKind("Service").withPlural("services")
                    .withNamespaced(true);
            case ENDPOINT_SLICE -> b.withGroup("discovery.k8s.io").withVersion("v1").withKind("EndpointSlice")
                    .withPlural("endpointslices").withNamespaced(true);
            case NETWORK_POLICY -> b.withGroup("networking.k8s.io").withVersion("v1").withKind("NetworkPolicy")
                    .withPlural("networkpolicies").withNamespaced(true);
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return b.build();
    }

    /** Runs with the cluster bundle's class loader as context loader (fabric8 looks things up there). */
    private <T> T withLoader(CheckedSupplier<T> s) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return s.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @FunctionalInterface
    private interface CheckedSupplier<T> {
        T get() throws Exception;
    }

    static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException
                || t.getMessage() == null || t instanceof IllegalStateException && t.getCause() != null)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (e instanceof TimeoutException) {
            return "timed out";
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (root != t && root.getMessage() != null && !msg.contains(root.getMessage())) {
            msg = msg + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        } else if (root != t && root.getMessage() == null) {
            msg = msg + " (" + root.getClass().getSimpleName() + ")";
        }
        return msg;
    }
}
