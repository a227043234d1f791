package dev.lattice.spi.telemetry;

import java.util.List;

/** Metrics a bundle exposes, collected at every scrape of {@code /metrics}. Must not block. */
public interface MetricsSource {
    List<MetricFamily> collect();
}
