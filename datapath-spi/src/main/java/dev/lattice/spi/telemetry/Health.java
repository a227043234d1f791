package dev.lattice.spi.telemetry;

import java.util.Map;
import java.util.Objects;

/** The health of one component: a status, a sentence for people, and details. */
public record Health(Status status, String message, Map<String, String> details) {
    /** Ordered from best to worst; the agent's overall status is the worst of its components. */
    public enum Status { UP, DEGRADED, DOWN }

    public Health {
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
        details = Map.copyOf(details);
    }

    public static Health up(String message) {
        return new Health(Status.UP, message, Map.of());
    }

    public static Health degraded(String message) {
        return new Health(Status.DEGRADED, message, Map.of());
    }

    public static Health down(String message) {
        return new Health(Status.DOWN, message, Map.of());
    }
}
