package com.example.lattice.dryrun;

import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/** Shows in /healthz that the dry-run plugin is installed and which settings it runs with. */
@Component(configurationPid = "dev.lattice.plugin.dryrun")
public final class DryRunHealth implements HealthIndicator {
    private volatile boolean detail;

    @Activate
    @Modified
    void configure(Map<String, Object> config) {
        detail = DryRunLog.detail(config);
    }

    @Override
    public String component() {
        return "plugin.dryrun";
    }

    @Override
    public Health health() {
        return new Health(Health.Status.UP, "dry run: logs desired state, programs nothing",
                Map.of("detail", Boolean.toString(detail)));
    }
}
