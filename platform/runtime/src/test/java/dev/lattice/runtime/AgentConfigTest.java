package dev.lattice.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("lattice.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void mapsSettingsSectionsAndPluginsToPids() throws Exception {
        Path f = write("""
                serviceProxy: [vendor-x, nftables]
                routing: bgp
                nodeName: node-1
                admin:
                  port: 9999
                plugins:
                  bgp:
                    asn: 64512
                    peers:
                      upstream: {address: 10.0.0.1}
                """);
        Map<String, Map<String, Object>> pids = AgentConfig.load(f, Map.of()).toConfigurations();
        assertArrayEquals(new String[] {"vendor-x", "nftables"}, (String[]) pids.get("dev.lattice.agent").get("serviceProxy"));
        assertEquals("bgp", pids.get("dev.lattice.agent").get("routing"));
        assertEquals(9999, pids.get("dev.lattice.admin").get("port"));
        assertEquals(64512, pids.get("dev.lattice.plugin.bgp").get("asn"));
        assertEquals("10.0.0.1", pids.get("dev.lattice.plugin.bgp").get("peers.upstream.address"));
        assertEquals("node-1", pids.get("dev.lattice.kubernetes").get("nodeName"));
    }

    @Test
    void environmentAndFlagsOverrideTheFile() throws Exception {
        Path f = write("serviceProxy: nftables\nadmin: {port: 1}\n");
        Map<String, String> overrides = new java.util.LinkedHashMap<>(AgentConfig.fromEnvironment(
                Map.of("LATTICE_SERVICE_PROXY", "iptables", "LATTICE_ADMIN__PORT", "2", "NODE_NAME", "n7",
                        "LATTICE_HOME", "/opt/lattice")));
        assertEquals(Map.of("serviceProxy", "iptables", "admin.port", "2", "nodeName", "n7"), overrides);
        overrides.put("admin.port", "3"); // a flag, applied after the environment
        Map<String, Map<String, Object>> pids = AgentConfig.load(f, overrides).toConfigurations();
        assertEquals("iptables", pids.get("dev.lattice.agent").get("serviceProxy"));
        assertEquals("3", pids.get("dev.lattice.admin").get("port"));
    }

    @Test
    void typosAndBadYamlAreClearErrors() throws Exception {
        ConfigException typo = assertThrows(ConfigException.class,
                () -> AgentConfig.load(write("servceProxy: nftables\n"), Map.of()));
        assertTrue(typo.getMessage().contains("unknown setting 'servceProxy'"), typo.getMessage());
        ConfigException yaml = assertThrows(ConfigException.class,
                () -> AgentConfig.load(write("admin:\n  port: [1\n"), Map.of()));
        assertTrue(yaml.getMessage().contains("not valid YAML at line"), yaml.getMessage());
        ConfigException section = assertThrows(ConfigException.class,
                () -> AgentConfig.load(write("admin: 5\n"), Map.of()));
        assertTrue(section.getMessage().contains("'admin' must be a section"), section.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> AgentConfig.load(dir.resolve("nope.yaml"), Map.of()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        ConfigException dup = assertThrows(ConfigException.class,
                () -> AgentConfig.load(write("routing: a\nrouting: b\n"), Map.of()));
        assertTrue(dup.getMessage().contains("not valid YAML"), dup.getMessage());
    }

    @Test
    void cliRejectsUnknownOptionsWithUsage() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = Main.run(new String[] {"agent", "--bogus", "x"}, System.out, new java.io.PrintStream(err));
        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString().contains("unknown option '--bogus'"), err.toString());
    }
}
