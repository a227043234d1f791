package dev.lattice.core.internal.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lattice.spi.plugin.PluginKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionConfigTest {
    @Test
    void defaultsPerKind() {
        assertEquals(List.of("nftables"), SelectionConfig.names(Map.of(), PluginKind.SERVICE_PROXY));
        assertEquals(List.of("linux-bridge"), SelectionConfig.names(null, PluginKind.POD_NETWORK));
        assertEquals(List.of("static"), SelectionConfig.names(Map.of(), PluginKind.ROUTING));
    }

    @Test
    void commaListsArraysAndInvalidNames() {
        assertEquals(List.of("a", "b"), SelectionConfig.names(Map.of("serviceProxy", " a, b ,a"), PluginKind.SERVICE_PROXY));
        assertEquals(List.of("x", "none"), SelectionConfig.names(Map.of("routing", new String[] {"x", "none"}), PluginKind.ROUTING));
        assertEquals(List.of("ok"), SelectionConfig.names(Map.of("networkPolicy", "Bad Name, ok"), PluginKind.NETWORK_POLICY));
    }
}
