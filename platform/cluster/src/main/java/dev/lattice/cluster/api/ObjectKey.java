package dev.lattice.cluster.api;

import java.util.Objects;

/**
 * The identity of a Kubernetes object of a known kind: its namespace ({@code ""} for
 * cluster-scoped kinds such as Node and Namespace) and name.
 */
public record ObjectKey(String namespace, String name) implements Comparable<ObjectKey> {
    public ObjectKey {
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    /** The key of a cluster-scoped object. */
    public static ObjectKey cluster(String name) {
        return new ObjectKey("", name);
    }

    public static ObjectKey of(String namespace, String name) {
        return new ObjectKey(namespace, name);
    }

    @Override
    public int compareTo(ObjectKey o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    /** {@code namespace/name}, or {@code name} when cluster-scoped. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
