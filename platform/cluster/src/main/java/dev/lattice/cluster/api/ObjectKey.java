package dev.lattice.cluster.api;

import java.util.Objects;

/**
 * The identity of a Kubernetes object of a known kind: its namespace ({@code ""} for
 * cluster-scoped kinds such as Node and Namespace) and name. Immutable, with value equality;
 * the hash is computed once (snapshot maps are copied often).
 */
public final class ObjectKey implements Comparable<ObjectKey> {
    private final String namespace;
    private final String name;
    private final int hash;

    public ObjectKey(String namespace, String name) {
        this.namespace = namespace == null ? "" : namespace;
        this.name = Objects.requireNonNull(name, "name");
        this.hash = this.namespace.hashCode() * 31 + name.hashCode();
    }

    /** The key of a cluster-scoped object. */
    public static ObjectKey cluster(String name) {
        return new ObjectKey("", name);
    }

    public static ObjectKey of(String namespace, String name) {
        return new ObjectKey(namespace, name);
    }

    /** The namespace, {@code ""} for cluster-scoped objects. */
    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    @Override
    public int compareTo(ObjectKey o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ObjectKey k && k.hash == hash && k.name.equals(name)
                && k.namespace.equals(namespace);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@code namespace/name}, or {@code name} when cluster-scoped. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
