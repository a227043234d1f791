package dev.lattice.cluster.api;

import java.util.Map;
import java.util.Objects;

/**
 * A Namespace (its labels feed NetworkPolicy namespace selectors).
 *
 * @param name            the namespace name
 * @param uid             {@code metadata.uid}
 * @param resourceVersion {@code metadata.resourceVersion}
 * @param labels          its labels (the API server adds {@code kubernetes.io/metadata.name})
 * @param terminating     whether it is being deleted
 */
public record ClusterNamespace(String name, String uid, String resourceVersion, Map<String, String> labels,
                               boolean terminating) implements ClusterObject {
    public ClusterNamespace {
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
        labels = Map.copyOf(labels);
    }

    @Override
    public ObjectKey key() {
        return ObjectKey.cluster(name);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.NAMESPACE;
    }
}
