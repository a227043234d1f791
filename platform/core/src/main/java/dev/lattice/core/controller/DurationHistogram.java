package dev.lattice.core.controller;

import dev.lattice.spi.telemetry.MetricFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Prometheus-style histogram of durations in seconds (cumulative buckets). Thread-safe. */
public final class DurationHistogram {
    /** Buckets suited to reconcile loops: 1 ms to 60 s. */
    public static final double[] DEFAULT_BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    public DurationHistogram(double... bounds) {
        this.bounds = bounds.clone();
        for (int i = 1; i < this.bounds.length; i++) {
            if (!(this.bounds[i] > this.bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase");
            }
        }
        this.counts = new long[bounds.length];
    }

    public synchronized void observe(double seconds) {
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts[i]++;
                break;
            }
        }
        count++;
        sum += seconds;
    }

    public synchronized long count() {
        return count;
    }

    public synchronized double sum() {
        return sum;
    }

    /** The samples ({@code _bucket} with {@code le}, {@code _sum}, {@code _count}) with extra labels. */
    public synchronized List<MetricFamily.Sample> samples(Map<String, String> labels) {
        List<MetricFamily.Sample> out = new ArrayList<>(bounds.length + 3);
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i];
            out.add(new MetricFamily.Sample("_bucket", with(labels, "le", format(bounds[i])), cumulative));
        }
        out.add(new MetricFamily.Sample("_bucket", with(labels, "le", "+Inf"), count));
        out.add(new MetricFamily.Sample("_sum", labels, sum));
        out.add(new MetricFamily.Sample("_count", labels, count));
        return out;
    }

    private static Map<String, String> with(Map<String, String> labels, String k, String v) {
        Map<String, String> m = new HashMap<>(labels);
        m.put(k, v);
        return m;
    }

    private static String format(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
