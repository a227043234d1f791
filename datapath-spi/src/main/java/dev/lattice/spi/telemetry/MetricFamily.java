package dev.lattice.spi.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metric family in the Prometheus text exposition format.
 *
 * @param name    metric name, e.g. {@code lattice_plugin_swaps_total}
 * @param help    the HELP text
 * @param type    counter, gauge or histogram
 * @param samples the samples; a histogram's use the {@code _bucket}, {@code _sum} and
 *                {@code _count} suffixes in {@link Sample#suffix()}
 */
public record MetricFamily(String name, String help, Type type, List<Sample> samples) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    public enum Type { COUNTER, GAUGE, HISTOGRAM }

    /** One sample: a name suffix (usually empty), labels and a value. */
    public record Sample(String suffix, Map<String, String> labels, double value) {
        public Sample {
            suffix = suffix == null ? "" : suffix;
            labels = Map.copyOf(labels);
        }

        public static Sample of(Map<String, String> labels, double value) {
            return new Sample("", labels, value);
        }
    }

    public MetricFamily {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name + "'");
        }
        help = help == null ? "" : help;
        Objects.requireNonNull(type, "type");
        samples = List.copyOf(samples);
    }
}
