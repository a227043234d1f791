package dev.lattice.cluster.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Kubernetes label selector ({@code matchLabels} plus {@code matchExpressions}). All terms must
 * hold; an empty selector matches everything. {@link #NOTHING} matches nothing (a selector that
 * was absent where absence means "no objects", or that could not be understood).
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions,
                            boolean matchesNothing) {
    /** Matches every object. */
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of(), false);
    /** Matches no object. */
    public static final LabelSelector NOTHING = new LabelSelector(Map.of(), List.of(), true);

    public LabelSelector {
        matchLabels = Map.copyOf(matchLabels);
        matchExpressions = List.copyOf(matchExpressions);
    }

    /** A selector of {@code matchLabels} only (a Service's selector). */
    public static LabelSelector of(Map<String, String> matchLabels) {
        return matchLabels.isEmpty() ? EVERYTHING : new LabelSelector(matchLabels, List.of(), false);
    }

    /** Whether an object with {@code labels} is selected. */
    public boolean matches(Map<String, String> labels) {
        if (matchesNothing) {
            return false;
        }
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Whether this selector matches every object. */
    public boolean isEverything() {
        return !matchesNothing && matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** A selector operator. */
    public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    /** One {@code matchExpressions} term. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = Set.copyOf(values);
        }

        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }
}
