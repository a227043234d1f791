package dev.lattice.core.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricFamily.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void mergesFamiliesOfOneNameAndEscapesLabels() {
        MetricFamily a = new MetricFamily("x_total", "X.", MetricFamily.Type.COUNTER,
                List.of(Sample.of(Map.of("kind", "a"), 1)));
        MetricFamily b = new MetricFamily("x_total", "X.", MetricFamily.Type.COUNTER,
                List.of(Sample.of(Map.of("kind", "b\"q"), 2.5)));
        assertEquals("# HELP x_total X.\n# TYPE x_total counter\nx_total{kind=\"a\"} 1\nx_total{kind=\"b\\\"q\"} 2.5\n",
                PrometheusText.render(List.of(a, b)));
    }
}
