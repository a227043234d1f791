package dev.lattice.core.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.core.ipam.Ipam;
import dev.lattice.core.ipam.Json;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.MacAddress;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.pod.InterfaceAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's protocol logic without a kernel: decoding, versions, result formats, the
 * conflist, settings. Pod attachment itself is tested against the real kernel in the datapath
 * modules (datapath-linux-bridge, bundles/datapath-macvlan), through the C plugin.
 */
class CniServerTest {
    @TempDir
    Path dir;

    private CniServer server() {
        Ipam ipam = new Ipam(dir.resolve("ipam.json"), () -> List.of(dev.lattice.spi.net.IpPrefix.parse("10.9.0.0/24")), false);
        return new CniServer(CniSettings.inDirectory(dir), new StaticPodNetworkSelection(), ipam);
    }

    private static String request(String command, String config) {
        return "{\"command\":\"" + command + "\",\"containerId\":\"c1\",\"netns\":\"/run/netns/x\",\"ifName\":\"eth0\","
                + "\"args\":\"\",\"path\":\"\",\"config\":" + config + "}";
    }

    private static int code(CniServer.Response r) {
        return ((Number) Json.asObject(Json.parse(r.body())).get("code")).intValue();
    }

    @Test
    void requestsAreValidatedWithTheSpecCodes() {
        CniServer s = server();
        assertEquals(6, code(s.handle("{not json")));
        assertEquals(6, code(s.handle("{\"command\":\"ADD\",\"config\":[1]}")));
        assertEquals(7, code(s.handle(request("ADD", "{\"name\":\"n\"}"))));
        assertEquals(1, code(s.handle(request("ADD", "{\"cniVersion\":\"0.2.0\",\"name\":\"n\"}"))));
        assertEquals(7, code(s.handle(request("ADD", "{\"cniVersion\":\"1.0.0\"}"))));
        assertEquals(4, code(s.handle(request("FROB", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}"))));
        assertEquals(1, code(s.handle(request("CHECK", "{\"cniVersion\":\"0.3.1\",\"name\":\"n\"}"))));
        assertEquals(1, code(s.handle(request("STATUS", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}"))));
        // no datapath in force: ADD is "try again later", STATUS "not available"
        CniServer.Response add = s.handle(request("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}"));
        assertEquals(1, add.exit());
        assertEquals(11, code(add));
        assertEquals(50, code(s.handle(request("STATUS", "{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}"))));
        // DEL of something never attached succeeds with no output
        assertEquals(new CniServer.Response(0, ""), s.handle(request("DEL", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}")));
        assertEquals(3, code(s.handle(request("CHECK", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}"))));
        // the server checks what the plugin checks: state file names come from these
        String traversal = request("DEL", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}").replace("\"c1\"", "\"../../etc/x\"");
        assertEquals(4, code(s.handle(traversal)));
        String badIf = request("DEL", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}").replace("\"eth0\"", "\"../x\"");
        assertEquals(4, code(s.handle(badIf)));
    }

    @Test
    void resultFormatsFollowTheRequestedVersion() {
        Attachment a = new Attachment("c1", "/run/netns/x", "eth0", "linux-bridge", "lat0123", MacAddress.parse("02:00:00:00:00:01"),
                List.of(new InterfaceAddress(IpAddress.parse("10.9.0.2"), 24, IpAddress.parse("10.9.0.1")),
                        new InterfaceAddress(IpAddress.parse("fd09::2"), 64, IpAddress.parse("fd09::1"))), Map.of());
        Map<String, Object> r = Json.asObject(Json.parse(CniServer.result("1.0.0", a)));
        assertEquals("1.0.0", r.get("cniVersion"));
        Map<String, Object> ip = Json.asObject(Json.asArray(r.get("ips")).get(0));
        assertEquals("10.9.0.2/24", ip.get("address"));
        assertEquals(1, ((Number) ip.get("interface")).intValue());
        assertEquals(null, ip.get("version"));
        assertEquals("/run/netns/x", Json.asObject(Json.asArray(r.get("interfaces")).get(1)).get("sandbox"));
        assertEquals(2, Json.asArray(r.get("routes")).size());
        Map<String, Object> legacy = Json.asObject(Json.parse(CniServer.result("0.4.0", a)));
        assertEquals("6", Json.asObject(Json.asArray(legacy.get("ips")).get(1)).get("version"));
    }

    @Test
    void conflistAndSettings() throws Exception {
        CniSettings s = CniSettings.from(Map.of("confDir", dir.toString(), "mtu", "1450", "portmap", "true",
                "socket", dir.resolve("s.sock").toString(), "stateDir", dir.resolve("st").toString()));
        Map<String, Object> list = Json.asObject(Json.parse(CniServer.conflist(s)));
        assertEquals("1.0.0", list.get("cniVersion"));
        assertEquals("lattice", list.get("name"));
        List<Object> plugins = Json.asArray(list.get("plugins"));
        assertEquals(2, plugins.size());
        Map<String, Object> first = Json.asObject(plugins.get(0));
        assertEquals("lattice", first.get("type"));
        assertEquals(1450, ((Number) first.get("mtu")).intValue());
        assertEquals(dir.resolve("s.sock").toString(), first.get("socket"));
        assertEquals("portmap", Json.asObject(plugins.get(1)).get("type"));
        Map<String, Object> plain = Json.asObject(Json.parse(CniServer.conflist(CniSettings.from(Map.of()))));
        assertEquals(1, Json.asArray(plain.get("plugins")).size());
        assertTrue(!Json.asObject(Json.asArray(plain.get("plugins")).get(0)).containsKey("socket"));

        CniServer server = new CniServer(s, new StaticPodNetworkSelection(), new Ipam(dir.resolve("i.json"), List::of, false));
        server.writeConflist();
        assertEquals(CniServer.conflist(s), Files.readString(dir.resolve("10-lattice.conflist")));

        assertTrue(assertThrows(IllegalArgumentException.class, () -> CniSettings.from(Map.of("mtu", "9x")))
                .getMessage().contains("cni.mtu"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CniSettings.from(Map.of("portmap", "yes")))
                .getMessage().contains("cni.portmap"));
    }

    @Test
    void socketIsCreatedWithMode0600AndRemovedOnClose() throws Exception {
        CniServer s = server();
        s.start();
        try {
            Path sock = s.settings().socket();
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        } finally {
            s.close();
        }
        assertTrue(Files.notExists(s.settings().socket()));
    }

    @Test
    void startRecoversFromATornRecordAndReleasesAllocationsWithoutRecord() throws Exception {
        Ipam ipam = new Ipam(dir.resolve("ipam.json"), () -> List.of(dev.lattice.spi.net.IpPrefix.parse("10.9.0.0/24")), true);
        ipam.allocate(new Ipam.Key("gone", "eth0"));
        Path records = CniSettings.inDirectory(dir).stateDir().resolve("attachments");
        Files.createDirectories(records);
        Files.writeString(records.resolve("torn@eth0.json"), "{\"state\":\"ATTA");
        CniServer s = new CniServer(CniSettings.inDirectory(dir), new StaticPodNetworkSelection(), ipam);
        s.start();
        try {
            assertTrue(Files.exists(records.resolve("torn@eth0.json.corrupt")));
            assertTrue(s.attachments().isEmpty());
            assertTrue(ipam.allocations().isEmpty(), "an allocation without a record is released at start");
        } finally {
            s.close();
        }
    }

    @Test
    void pluginInstallIsAtomicAndSkippedWhenIdentical() throws Exception {
        Path shipped = dir.resolve("lattice-cni");
        Files.write(shipped, new byte[] {0x7f, 'E', 'L', 'F', 1});
        Path bin = dir.resolve("opt/cni/bin");
        assertTrue(PluginInstaller.install(shipped, bin));
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(bin.resolve("lattice"))));
        assertTrue(!PluginInstaller.install(shipped, bin), "identical: not rewritten");
        Files.write(shipped, new byte[] {0x7f, 'E', 'L', 'F', 2});
        assertTrue(PluginInstaller.install(shipped, bin));
        assertEquals(2, Files.readAllBytes(bin.resolve("lattice"))[4]);
        try (var l = Files.list(bin)) {
            assertEquals(1, l.count(), "no temporary file left");
        }
        assertThrows(java.io.IOException.class, () -> PluginInstaller.install(dir.resolve("missing"), bin));
    }

    @Test
    void cniArgsAreParsed() {
        assertEquals(Map.of("K8S_POD_NAME", "p", "IgnoreUnknown", "1"), CniServer.parseArgs("IgnoreUnknown=1;K8S_POD_NAME=p"));
        assertEquals(4, assertThrows(CniError.class, () -> CniServer.parseArgs("oops")).code());
    }
}
