package dev.lattice.cluster.internal;

import dev.lattice.cluster.api.ClusterChange;
import dev.lattice.cluster.api.ClusterListener;
import dev.lattice.cluster.api.ClusterObject;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.cluster.api.ObjectKey;
import dev.lattice.cluster.api.ResourceKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watch layer's state: mutable maps owned by one publishing thread, fed by informer
 * callbacks through a queue, published as immutable {@link ClusterSnapshot}s at most every
 * {@code minPublishIntervalMillis} (changes in between are folded, so a burst of 10,000 updates
 * costs a few snapshots, not 10,000; each shares all unchanged structure with the last, see
 * {@link TrieMap}).
 */
final class ClusterStore {
    private static final System.Logger LOG = System.getLogger(ClusterStore.class.getName());
    /** How long object events may wait in the queue before the publishing thread wakes up. */
    private static final long DRAIN_DELAY_MICROS = 2_000;

    private sealed interface Op permits Upsert, Delete, Retain, Synced, Clear, Run {
    }

    private record Upsert(ClusterObject value) implements Op {
    }

    private record Delete(ResourceKind kind, ObjectKey key) implements Op {
    }

    private record Retain(ResourceKind kind, Set<ObjectKey> keys) implements Op {
    }

    private record Synced(boolean synced) implements Op {
    }

    private record Clear() implements Op {
    }

    private record Run(Runnable task) implements Op {
    }

    private volatile String localNodeName;
    private volatile long minPublishIntervalNanos;
    private final ScheduledExecutorService thread;
    private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** The current objects per kind; frozen (O(1), structure shared) into each snapshot. */
    private final Map<ResourceKind, TrieMap.Editor<ObjectKey, ClusterObject>> state = new EnumMap<>(ResourceKind.class);
    private final Map<ResourceKind, Boolean> dirty = new EnumMap<>(ResourceKind.class);
    /** First old and latest new value per object since the last publication. */
    private final Map<ObjectKey, Pending>[] pending;
    /** The raw maps behind the last snapshot, reused (by identity) for kinds that did not change. */
    private final Map<ResourceKind, Map<ObjectKey, ClusterObject>> publishedRaw = new EnumMap<>(ResourceKind.class);
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Object syncedMonitor = new Object();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private volatile ClusterSnapshot snapshot;
    private boolean synced;
    private boolean syncedChanged;
    private long lastPublishNanos;
    private long lastBuildNanos;
    private boolean publishScheduled;

    private static final class Pending {
        final ClusterObject oldValue;
        ClusterObject newValue;

        Pending(ClusterObject oldValue, ClusterObject newValue) {
            this.oldValue = oldValue;
            this.newValue = newValue;
        }
    }

    private static final class Subscriber {
        final ClusterListener listener;
        volatile boolean active = true;

        Subscriber(ClusterListener listener) {
            this.listener = listener;
        }
    }

    @SuppressWarnings("unchecked")
    ClusterStore(String localNodeName, long minPublishIntervalMillis) {
        this.localNodeName = localNodeName;
        this.minPublishIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, minPublishIntervalMillis));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lattice-cluster-publish");
            t.setDaemon(true);
            return t;
        });
        this.pending = new Map[ResourceKind.values().length];
        for (ResourceKind k : ResourceKind.values()) {
            state.put(k, TrieMap.<ObjectKey, ClusterObject>empty().edit());
            pending[k.ordinal()] = new LinkedHashMap<>();
            publishedRaw.put(k, Map.of());
        }
        this.snapshot = ClusterSnapshot.empty(localNodeName);
    }

    /** Sets the node name and the minimum time between snapshots (config changes). */
    void configure(String nodeName, long minPublishIntervalMillis) {
        this.minPublishIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, minPublishIntervalMillis));
        runAfterQueued(() -> {
            if (!java.util.Objects.equals(localNodeName, nodeName)) {
                localNodeName = nodeName;
                syncedChanged = true;
                publishNow();
            }
        });
    }

    ClusterSnapshot snapshot() {
        return snapshot;
    }

    /** Events applied to the maps so far (for metrics and benchmarks). */
    long appliedEvents() {
        return applied.get();
    }

    long publishedSnapshots() {
        return published.get();
    }

    void upsert(ClusterObject value) {
        submit(new Upsert(value));
    }

    void delete(ResourceKind kind, ObjectKey key) {
        submit(new Delete(kind, key));
    }

    /** After a (re)list: drop every object of {@code kind} whose key is not in {@code keys}. */
    void retainOnly(ResourceKind kind, Set<ObjectKey> keys) {
        submit(new Retain(kind, keys));
    }

    void setSynced(boolean value) {
        submit(new Synced(value));
    }

    /** Forget everything (another cluster was configured). */
    void clear() {
        submit(new Clear());
    }

    /** Runs a task on the publishing thread after everything queued so far. */
    void runAfterQueued(Runnable task) {
        submit(new Run(task));
    }

    ClusterState.Subscription subscribe(ClusterListener listener) {
        Subscriber s = new Subscriber(listener);
        runAfterQueued(() -> {
            if (!s.active) {
                return;
            }
            ClusterSnapshot snap = snapshot;
            if (snap.version() > 0) {
                List<ClusterChange> all = new ArrayList<>(snap.size());
                for (ResourceKind k : ResourceKind.values()) {
                    for (Map.Entry<ObjectKey, ? extends ClusterObject> e : snap.objects(k).entrySet()) {
                        all.add(new ClusterChange(k, e.getKey(), null, e.getValue()));
                    }
                }
                deliver(s, snap, List.copyOf(all));
            }
            subscribers.add(s);
        });
        return () -> {
            s.active = false;
            subscribers.remove(s);
        };
    }

    ClusterSnapshot awaitSynced(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (syncedMonitor) {
            while (!snapshot.synced()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                syncedMonitor.wait(left);
            }
            return snapshot;
        }
    }

    void close() {
        thread.shutdownNow();
    }

    private void submit(Op op) {
        queue.add(op);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                if (op instanceof Upsert || op instanceof Delete) {
                    // Let a few events gather: waking this thread per event cost more CPU than
                    // applying them (~10 us per hand-off), and a snapshot waits for minPublishInterval anyway.
                    thread.schedule(this::drain, DRAIN_DELAY_MICROS, TimeUnit.MICROSECONDS);
                } else {
                    thread.execute(this::drain);
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Op op;
        int n = 0;
        while ((op = queue.poll()) != null) {
            try {
                apply(op);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cluster store: failed to apply " + op, e);
            }
            n++;
        }
        if (n > 0) {
            maybePublish();
        }
    }

    private void apply(Op op) {
        if (op instanceof Upsert u) {
            ClusterObject v = u.value();
            ClusterObject old = state.get(v.kind()).put(v.key(), v);
            if (!v.equals(old)) {
                record(v.kind(), v.key(), old, v);
            }
            applied.incrementAndGet();
        } else if (op instanceof Delete d) {
            ClusterObject old = state.get(d.kind()).remove(d.key());
            if (old != null) {
                record(d.kind(), d.key(), old, null);
            }
            applied.incrementAndGet();
        } else if (op instanceof Retain r) {
            TrieMap.Editor<ObjectKey, ClusterObject> m = state.get(r.kind());
            List<ObjectKey> gone = new ArrayList<>();
            m.forEach((k, v) -> {
                if (!r.keys().contains(k)) {
                    gone.add(k);
                }
            });
            for (ObjectKey k : gone) {
                record(r.kind(), k, m.remove(k), null);
            }
            if (!gone.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "relist of {0}: removed {1} objects that no longer exist",
                        r.kind(), gone.size());
            }
        } else if (op instanceof Synced s) {
            if (synced != s.synced()) {
                synced = s.synced();
                syncedChanged = true;
            }
        } else if (op instanceof Clear) {
            for (ResourceKind k : ResourceKind.values()) {
                TrieMap.Editor<ObjectKey, ClusterObject> m = state.get(k);
                m.forEach((key, v) -> record(k, key, v, null));
                m.clear();
            }
            if (synced) {
                synced = false;
                syncedChanged = true;
            }
        } else if (op instanceof Run r) {
            // publish what came before, so that the task sees it in snapshot()
            publishNow();
            r.task().run();
        }
    }

    private void record(ResourceKind kind, ObjectKey key, ClusterObject old, ClusterObject now) {
        dirty.put(kind, Boolean.TRUE);
        Map<ObjectKey, Pending> m = pending[kind.ordinal()];
        Pending p = m.get(key);
        if (p == null) {
            m.put(key, new Pending(old, now));
        } else {
            p.newValue = now;
        }
    }

    private void maybePublish() {
        if (dirty.isEmpty() && !syncedChanged) {
            return;
        }
        long now = System.nanoTime();
        // Freezing the maps is O(1) now, but keep the guard: building a snapshot must stay under
        // ~5 % of a core on big clusters.
        long due = lastPublishNanos + Math.max(minPublishIntervalNanos, 20 * lastBuildNanos);
        if (lastPublishNanos == 0 || now - due >= 0) {
            publishNow();
        } else if (!publishScheduled) {
            publishScheduled = true;
            thread.schedule(() -> {
                publishScheduled = false;
                drain();
                publishNow();
            }, due - now, TimeUnit.NANOSECONDS);
        }
    }

    @SuppressWarnings("unchecked")
    private void publishNow() {
        if (dirty.isEmpty() && !syncedChanged) {
            return;
        }
        List<ClusterChange> changes = new ArrayList<>();
        for (ResourceKind k : ResourceKind.values()) {
            Map<ObjectKey, Pending> m = pending[k.ordinal()];
            for (Map.Entry<ObjectKey, Pending> e : m.entrySet()) {
                Pending p = e.getValue();
                if (p.oldValue == null && p.newValue == null) {
                    continue;
                }
                if (p.oldValue != null && p.oldValue.equals(p.newValue)) {
                    continue;
                }
                changes.add(new ClusterChange(k, e.getKey(), p.oldValue, p.newValue));
            }
            m.clear();
        }
        long buildStart = System.nanoTime();
        ClusterSnapshot prev = snapshot;
        Map<ResourceKind, Map<ObjectKey, ? extends ClusterObject>> maps = new EnumMap<>(ResourceKind.class);
        for (ResourceKind k : ResourceKind.values()) {
            if (dirty.containsKey(k)) {
                publishedRaw.put(k, state.get(k).freeze());
            }
            maps.put(k, publishedRaw.get(k));
        }
        dirty.clear();
        syncedChanged = false;
        if (changes.isEmpty() && prev.synced() == synced && prev.version() > 0
                && java.util.Objects.equals(prev.localNodeName(), localNodeName)) {
            return;
        }
        ClusterSnapshot next = new ClusterSnapshot(prev.version() + 1, synced, localNodeName,
                (Map) maps.get(ResourceKind.NODE), (Map) maps.get(ResourceKind.POD),
                (Map) maps.get(ResourceKind.NAMESPACE), (Map) maps.get(ResourceKind.SERVICE),
                (Map) maps.get(ResourceKind.ENDPOINT_SLICE), (Map) maps.get(ResourceKind.NETWORK_POLICY), prev);
        lastPublishNanos = System.nanoTime();
        lastBuildNanos = lastPublishNanos - buildStart;
        snapshot = next;
        published.incrementAndGet();
        if (next.synced()) {
            synchronized (syncedMonitor) {
                syncedMonitor.notifyAll();
            }
        }
        List<ClusterChange> frozen = List.copyOf(changes);
        for (Subscriber s : subscribers) {
            deliver(s, next, frozen);
        }
    }

    private void deliver(Subscriber s, ClusterSnapshot snap, List<ClusterChange> changes) {
        if (!s.active) {
            return;
        }
        try {
            s.listener.clusterChanged(snap, changes);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cluster listener " + s.listener + " failed", e);
        }
    }

}
