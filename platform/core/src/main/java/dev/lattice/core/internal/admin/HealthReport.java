package dev.lattice.core.internal.admin;

import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Polls health indicators and folds them into one report; the worst component sets the status. */
final class HealthReport {
    final Health.Status status;
    final Map<String, Health> components;

    private HealthReport(Health.Status status, Map<String, Health> components) {
        this.status = status;
        this.components = components;
    }

    static HealthReport of(Collection<HealthIndicator> indicators) {
        Map<String, Health> components = new TreeMap<>();
        Health.Status worst = Health.Status.UP;
        for (HealthIndicator h : indicators) {
            String name;
            Health health;
            try {
                name = h.component();
                health = h.health();
            } catch (RuntimeException e) {
                name = h.getClass().getName();
                health = Health.down("health check failed: " + e);
            }
            if (health == null) {
                health = Health.down("health check returned nothing");
            }
            components.put(name, health);
            if (health.status().compareTo(worst) > 0) {
                worst = health.status();
            }
        }
        return new HealthReport(worst, components);
    }

    Map<String, Object> toJsonMap(Map<String, Object> agent) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status.name());
        out.put("agent", agent);
        Map<String, Object> comps = new LinkedHashMap<>();
        components.forEach((name, h) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("status", h.status().name());
            c.put("message", h.message());
            if (!h.details().isEmpty()) {
                c.put("details", new TreeMap<>(h.details()));
            }
            comps.put(name, c);
        });
        out.put("components", comps);
        return out;
    }
}
