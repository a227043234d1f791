/**
 * The reconcile loop every Lattice controller runs, in the shape kube-router uses: {@code Run}
 * (a periodic full sync), {@code OnUpdate} (a coalesced sync on change: at most one pending),
 * {@code Sync} (reconcile desired against applied state) and {@code Cleanup}; bounded frequency
 * like kube-proxy's BoundedFrequencyRunner (never more often than the minimum interval, at least
 * once per maximum interval), exponential backoff after errors, a heartbeat health indicator and
 * a sync-duration histogram.
 *
 * <p>Depends on the JDK and the SPI's telemetry only. Time comes from a {@link
 * dev.lattice.core.controller.LoopClock}; {@link dev.lattice.core.controller.ManualLoopClock}
 * drives a loop deterministically in tests.
 */
package dev.lattice.core.controller;
