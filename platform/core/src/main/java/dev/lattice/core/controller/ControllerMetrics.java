package dev.lattice.core.controller;

import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricsSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One {@link MetricsSource} for many loops, so that each metric family appears once with a
 * {@code controller} label per loop:
 * {@code lattice_controller_sync_duration_seconds} (histogram),
 * {@code lattice_controller_syncs_total{result=success|error}},
 * {@code lattice_controller_consecutive_failures} and {@code lattice_controller_updates_total}.
 */
public final class ControllerMetrics implements MetricsSource {
    private final List<ControllerLoop> loops = new CopyOnWriteArrayList<>();

    public void add(ControllerLoop loop) {
        loops.add(loop);
    }

    public void remove(ControllerLoop loop) {
        loops.remove(loop);
    }

    @Override
    public List<MetricFamily> collect() {
        return families(loops);
    }

    static List<MetricFamily> families(Collection<ControllerLoop> loops) {
        List<MetricFamily.Sample> hist = new ArrayList<>();
        List<MetricFamily.Sample> syncs = new ArrayList<>();
        List<MetricFamily.Sample> failing = new ArrayList<>();
        List<MetricFamily.Sample> updates = new ArrayList<>();
        for (ControllerLoop l : loops) {
            Map<String, String> labels = Map.of("controller", l.name());
            hist.addAll(l.durations().samples(labels));
            ControllerLoop.Status s = l.status();
            syncs.add(MetricFamily.Sample.of(Map.of("controller", l.name(), "result", "success"), s.successes()));
            syncs.add(MetricFamily.Sample.of(Map.of("controller", l.name(), "result", "error"), s.failures()));
            failing.add(MetricFamily.Sample.of(labels, s.consecutiveFailures()));
            updates.add(MetricFamily.Sample.of(labels, s.updates()));
        }
        return List.of(
                new MetricFamily("lattice_controller_sync_duration_seconds", "Duration of controller syncs",
                        MetricFamily.Type.HISTOGRAM, hist),
                new MetricFamily("lattice_controller_syncs_total", "Controller syncs by result",
                        MetricFamily.Type.COUNTER, syncs),
                new MetricFamily("lattice_controller_consecutive_failures", "Failed syncs since the last success",
                        MetricFamily.Type.GAUGE, failing),
                new MetricFamily("lattice_controller_updates_total", "Sync requests (OnUpdate calls)",
                        MetricFamily.Type.COUNTER, updates));
    }
}
