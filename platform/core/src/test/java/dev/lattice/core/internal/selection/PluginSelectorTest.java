package dev.lattice.core.internal.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.telemetry.Health;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PluginSelectorTest {
    /** A stand-in plugin: the selector only needs identity and a name. */
    record Fake(String name, boolean failBringUp) {
    }

    private final List<String> calls = new ArrayList<>();
    private PluginSelector<Fake> selector;
    private long nextId = 1;

    @BeforeEach
    void setUp() {
        selector = new PluginSelector<>(PluginKind.SERVICE_PROXY, new PluginLifecycle<>() {
            @Override
            public void bringUp(Fake plugin) {
                calls.add("up " + plugin.name());
                if (plugin.failBringUp()) {
                    throw new IllegalStateException("nft not installed");
                }
            }

            @Override
            public void retire(Fake plugin) {
                calls.add("retire " + plugin.name());
            }
        }, Clock.systemUTC());
    }

    private Fake register(String name) {
        return register(name, false);
    }

    private Fake register(String name, boolean fail) {
        Fake f = new Fake(name, fail);
        selector.added(f, Map.of("lattice.plugin.name", name, "service.id", nextId++));
        return f;
    }

    @Test
    void selectsTheConfiguredPluginOnceItArrives() {
        selector.configure(List.of("alpha"));
        assertEquals("", selector.status().active());
        assertEquals(Health.Status.DEGRADED, selector.health().status());
        assertTrue(selector.health().message().contains("waiting"), selector.health().message());
        register("beta");
        assertEquals(List.of(), calls);
        register("alpha");
        assertEquals(List.of("up alpha"), calls);
        assertEquals("alpha", selector.status().active());
        assertEquals(Health.Status.UP, selector.health().status());
        assertEquals(0, selector.status().swaps());
    }

    @Test
    void configurationChangeSwapsMakeBeforeBreak() {
        register("alpha");
        register("beta");
        selector.configure(List.of("alpha"));
        selector.configure(List.of("beta"));
        assertEquals(List.of("up alpha", "up beta", "retire alpha"), calls);
        assertEquals(1, selector.status().swaps());
    }

    @Test
    void unknownNameKeepsThePreviousSelection() {
        register("alpha");
        selector.configure(List.of("alpha"));
        selector.configure(List.of("nope"));
        assertEquals("alpha", selector.status().active());
        assertEquals(List.of("up alpha"), calls);
        Health h = selector.health();
        assertEquals(Health.Status.DEGRADED, h.status());
        assertTrue(h.message().contains("no bundle provides service-proxy plugin 'nope'"), h.message());
        assertTrue(h.message().contains("keeping 'alpha'"), h.message());
        // A provider arriving later is picked up.
        register("nope");
        assertEquals(List.of("up alpha", "up nope", "retire alpha"), calls);
        assertEquals(Health.Status.UP, selector.health().status());
    }

    @Test
    void failedBringUpKeepsTheOldPlugin() {
        register("alpha");
        register("broken", true);
        selector.configure(List.of("alpha"));
        selector.configure(List.of("broken"));
        assertEquals(List.of("up alpha", "up broken"), calls);
        assertEquals("alpha", selector.status().active());
        assertTrue(selector.health().message().contains("failed to take over: nft not installed"));
    }

    @Test
    void noneRetiresThePluginInForce() {
        register("alpha");
        selector.configure(List.of("alpha"));
        selector.configure(List.of("none"));
        assertEquals(List.of("up alpha", "retire alpha"), calls);
        assertEquals("none", selector.status().active());
        assertEquals(Health.Status.UP, selector.health().status());
    }

    @Test
    void departureFallsBackMakeBeforeBreak() {
        Fake beta = register("beta");
        register("alpha");
        selector.configure(List.of("beta", "alpha"));
        selector.removed(beta, false);
        assertEquals(List.of("up beta", "up alpha", "retire beta"), calls);
        assertEquals("alpha", selector.status().active());
        assertTrue(selector.health().message().contains("running fallback 'alpha'"));
        // The preferred one comes back: swap back.
        register("beta");
        assertEquals("beta", selector.status().active());
        assertEquals(List.of("up beta", "up alpha", "retire beta", "up beta", "retire alpha"), calls);
    }

    @Test
    void departureWithoutReplacementLeavesStateAndReturningVersionAdoptsIt() {
        Fake v1 = register("alpha");
        selector.configure(List.of("alpha"));
        selector.removed(v1, false);
        assertEquals(List.of("up alpha"), calls, "a departing plugin without replacement is not cleaned up");
        assertEquals("", selector.status().active());
        assertTrue(selector.health().message().contains("went away"));
        register("alpha");
        assertEquals(List.of("up alpha", "up alpha"), calls);
        assertEquals(Health.Status.UP, selector.health().status());
    }

    @Test
    void sameNameReplacementNeverCleansUp() {
        register("alpha");
        selector.configure(List.of("alpha"));
        Fake v2 = new Fake("alpha", false);
        selector.added(v2, Map.of("lattice.plugin.name", "alpha", "service.id", 99L, "service.ranking", 10));
        assertEquals(List.of("up alpha", "up alpha"), calls, "the old alpha must not clean up what the new one owns");
    }

    @Test
    void frameworkShutdownNeverSwaps() {
        Fake beta = register("beta");
        register("alpha");
        selector.configure(List.of("beta", "alpha"));
        selector.removed(beta, true);
        assertEquals(List.of("up beta"), calls);
    }

    @Test
    void metricsCountSwapsPerKind() {
        register("alpha");
        register("beta");
        selector.configure(List.of("alpha"));
        selector.configure(List.of("beta"));
        String text = selector.metrics().toString();
        assertTrue(text.contains("lattice_plugin_swaps_total"), text);
        assertTrue(selector.metrics().stream()
                .filter(f -> f.name().equals("lattice_plugin_swaps_total"))
                .allMatch(f -> f.samples().get(0).value() == 1.0));
    }
}
