package dev.lattice.cluster.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informer's cache, reduced to key and resourceVersion: the informer needs only those (to
 * drop unchanged updates and to find deletions after a relist), while the objects themselves
 * live translated in the {@link ClusterStore}. Keeps fabric8's per-object cost to ~150 bytes
 * instead of the whole parsed object. Objects handed back are stubs with name, namespace and
 * resourceVersion only; {@link #isFullState()} is false so that adds are delivered with the real
 * object, not a stub.
 */
final class SlimItemStore implements ItemStore<GenericKubernetesResource> {
    private final Map<String, String> versions = new ConcurrentHashMap<>();

    @Override
    public String getKey(GenericKubernetesResource obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource obj) {
        String old = versions.put(key, obj.getMetadata().getResourceVersion() == null ? ""
                : obj.getMetadata().getResourceVersion());
        return old == null ? null : stub(key, old);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        String old = versions.remove(key);
        return old == null ? null : stub(key, old);
    }

    @Override
    public Stream<String> keySet() {
        return versions.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return versions.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return versions.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        String rv = versions.get(key);
        return rv == null ? null : stub(key, rv);
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    /** The informer's keys ({@code namespace/name} or {@code name}). */
    java.util.Set<String> keys() {
        return versions.keySet();
    }

    static GenericKubernetesResource stub(String key, String resourceVersion) {
        int slash = key.indexOf('/');
        ObjectMeta meta = new ObjectMeta();
        if (slash >= 0) {
            meta.setNamespace(key.substring(0, slash));
            meta.setName(key.substring(slash + 1));
        } else {
            meta.setName(key);
        }
        meta.setResourceVersion(resourceVersion);
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setMetadata(meta);
        return r;
    }
}
