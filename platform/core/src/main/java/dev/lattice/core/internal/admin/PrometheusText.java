package dev.lattice.core.internal.admin;

import dev.lattice.spi.telemetry.MetricFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders metric families in the Prometheus text exposition format 0.0.4. Families with the same
 * name from several sources (one per selector, say) are merged into one, as the format requires.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    static String render(List<MetricFamily> families) {
        Map<String, MetricFamily> merged = new LinkedHashMap<>();
        for (MetricFamily f : families) {
            merged.merge(f.name(), f, (a, b) -> {
                List<MetricFamily.Sample> all = new ArrayList<>(a.samples());
                all.addAll(b.samples());
                return new MetricFamily(a.name(), a.help(), a.type(), all);
            });
        }
        StringBuilder sb = new StringBuilder(4096);
        for (MetricFamily f : merged.values()) {
            sb.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            sb.append("# TYPE ").append(f.name()).append(' ').append(f.type().name().toLowerCase()).append('\n');
            for (MetricFamily.Sample s : f.samples()) {
                sb.append(f.name()).append(s.suffix());
                if (!s.labels().isEmpty()) {
                    sb.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> l : new TreeMap<>(s.labels()).entrySet()) {
                        if (!first) {
                            sb.append(',');
                        }
                        first = false;
                        sb.append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
                    }
                    sb.append('}');
                }
                sb.append(' ').append(number(s.value())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
