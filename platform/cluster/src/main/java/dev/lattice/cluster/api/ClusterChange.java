package dev.lattice.cluster.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One object that changed between two snapshots: added ({@code oldValue} null), updated (both
 * set, not equal) or deleted ({@code newValue} null). Several changes to one object between two
 * publications are folded into one.
 */
public record ClusterChange(ResourceKind kind, ObjectKey key, ClusterObject oldValue, ClusterObject newValue) {
    /** What happened. */
    public enum Type { ADDED, UPDATED, DELETED }

    public ClusterChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if (oldValue == null && newValue == null) {
            throw new IllegalArgumentException("a change needs an old or a new value");
        }
    }

    public Type type() {
        return oldValue == null ? Type.ADDED : newValue == null ? Type.DELETED : Type.UPDATED;
    }

    /** The old value if it is of {@code type}. */
    public <T extends ClusterObject> Optional<T> oldValue(Class<T> type) {
        return type.isInstance(oldValue) ? Optional.of(type.cast(oldValue)) : Optional.empty();
    }

    /** The new value if it is of {@code type}. */
    public <T extends ClusterObject> Optional<T> newValue(Class<T> type) {
        return type.isInstance(newValue) ? Optional.of(type.cast(newValue)) : Optional.empty();
    }

    @Override
    public String toString() {
        return type() + " " + kind + " " + key;
    }
}
