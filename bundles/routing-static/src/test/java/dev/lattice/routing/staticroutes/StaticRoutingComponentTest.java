package dev.lattice.routing.staticroutes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.kernel.Kernel;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.telemetry.Health;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad plugins.static section: the plugin says what is wrong instead of vanishing or running on defaults. */
class StaticRoutingComponentTest {
    @Test
    void anInvalidSectionIsReportedAndTheDistributorRefusesToStart() {
        try (Kernel kernel = Kernel.open()) {
            StaticRoutingComponent c = new StaticRoutingComponent(kernel.namespaces(), Map.of("vxlanPort", "70000"));
            DataplaneException e = assertThrows(DataplaneException.class, () -> c.start(new RoutingContext("n1", r -> { })));
            assertTrue(e.getMessage().contains("invalid static routing configuration (plugins.static): vxlanPort 70000"),
                    e.getMessage());
            assertEquals(Health.Status.DOWN, c.health().status());
        }
    }
}
