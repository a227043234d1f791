package dev.lattice.spi.telemetry;

/** A component's health, polled by {@code /healthz}. Must be cheap and must not block. */
public interface HealthIndicator {
    /** A short stable name, e.g. {@code selector.service-proxy} or {@code bgp}. */
    String component();

    Health health();
}
