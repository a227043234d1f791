/**
 * Health and metrics by the whiteboard pattern: any bundle (plugin or core) registers a
 * {@link dev.lattice.spi.telemetry.HealthIndicator} or a
 * {@link dev.lattice.spi.telemetry.MetricsSource} service and the agent's {@code /healthz} and
 * {@code /metrics} endpoints include it.
 */
package dev.lattice.spi.telemetry;
