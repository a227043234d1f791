package dev.lattice.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code lattice bgp ...}: BGP tools that run without an agent. {@code decode} runs the BGP
 * bundle's decoder straight from the distribution's bundles/ directory (the wire codec needs only
 * that bundle and the SPI), outside the framework.
 */
final class BgpCommand {
    /** neighbors / rib: a GET to the agent's admin endpoint, printed as a table or (--json) as it is. */
    private static int query(Path home, String[] args, PrintStream out, PrintStream err) {
        String admin = null;
        String peer = null;
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if ((args[i].equals("--admin") || args[i].equals("--peer")) && i + 1 < args.length) {
                if (args[i].equals("--admin")) {
                    admin = args[++i];
                } else {
                    peer = args[++i];
                }
            } else {
                err.print("lattice bgp " + args[0] + ": unexpected '" + args[i] + "'\n" + usage());
                return Main.EXIT_USAGE;
            }
        }
        if (peer != null && args[0].equals("neighbors")) {
            err.println("lattice bgp neighbors: --peer goes with rib");
            return Main.EXIT_USAGE;
        }
        if (admin == null) {
            admin = adminFromConfig(home);
        }
        String path = "/plugins/bgp/" + args[0] + (peer == null ? ""
                : "?peer=" + java.net.URLEncoder.encode(peer, java.nio.charset.StandardCharsets.UTF_8));
        java.net.URI uri = java.net.URI.create("http://" + admin + path);
        try {
            java.net.http.HttpResponse<String> resp = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(3)).build()
                    .send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 200) {
                if (json) {
                    out.println(resp.body());
                    return 0;
                }
                try {
                    out.print(args[0].equals("neighbors") ? BgpTables.neighbors(resp.body(), java.time.Instant.now())
                            : BgpTables.rib(resp.body()));
                    return 0;
                } catch (RuntimeException e) {
                    err.println("lattice bgp " + args[0] + ": cannot read the agent's answer (" + e.getMessage()
                            + "); --json prints it as it is");
                    return 1;
                }
            }
            if (resp.statusCode() == 404) {
                err.println("lattice bgp " + args[0] + ": the agent at " + admin
                        + " does not run the BGP plugin (set routing: bgp in lattice.yaml)");
                return 1;
            }
            err.print("lattice bgp " + args[0] + ": " + resp.statusCode() + " " + resp.body());
            return resp.statusCode() == 400 ? Main.EXIT_USAGE : 1;
        } catch (IOException e) {
            err.println("lattice bgp " + args[0] + ": no agent answers on " + admin + " (" + e.getMessage()
                    + "); is `lattice agent` running? --admin HOST:PORT names another one");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** admin.address:admin.port from the distribution's lattice.yaml, or the defaults. */
    private static String adminFromConfig(Path home) {
        String address = "127.0.0.1";
        String port = "9740";
        try {
            String env = System.getenv("LATTICE_CONFIG");
            Path file = env != null ? Path.of(env) : home.resolve("etc/lattice.yaml");
            java.util.Map<String, java.util.Map<String, Object>> pids = AgentConfig.load(
                    Files.exists(file) ? file : null, AgentConfig.fromEnvironment(System.getenv())).toConfigurations();
            java.util.Map<String, Object> a = pids.getOrDefault("dev.lattice.admin", java.util.Map.of());
            if (a.get("address") != null) {
                address = a.get("address").toString();
            }
            if (a.get("port") != null) {
                port = a.get("port").toString();
            }
        } catch (ConfigException e) {
            // an unreadable configuration: the defaults are the best guess
        }
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    private static final String DECODER = "dev.lattice.routing.bgp.tools.DecodeCommand";

    private BgpCommand() {
    }

    static String usage() {
        return """
                Usage: lattice bgp neighbors [--json] [--admin HOST:PORT]
                  The BGP sessions of the running agent, from its admin endpoint.
                Usage: lattice bgp rib [--peer ADDR] [--json] [--admin HOST:PORT]
                  The agent's Loc-RIB, or what one peer sent (Adj-RIB-In); best path first.
                  --json   print the agent's JSON document instead of a table
                  --admin defaults to admin.address:admin.port of lattice.yaml (127.0.0.1:9740).
                Usage: lattice bgp decode [--asn2] [--ebgp] [--body] [FILE]
                  Reads BGP messages as hex (one per line) or a pcap file (FILE, or standard input)
                  and prints one JSON object per message; malformed messages carry the RFC 4271 /
                  RFC 7606 error code and subcode. Exit status 0 when all decoded, 1 when some were
                  malformed, 2 for a usage error.
                    --asn2   the session did not negotiate 4-octet AS numbers
                    --ebgp   the messages come from an external peer
                    --body   lines hold message bodies without the 19-octet header
                """;
    }

    static int run(Path home, String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("neighbors") || args[0].equals("rib"))) {
            return query(home, args, out, err);
        }
        if (args.length == 0 || !args[0].equals("decode")) {
            err.print(args.length == 0 ? usage() : "lattice bgp: unknown command '" + args[0] + "'\n" + usage());
            return Main.EXIT_USAGE;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(home.resolve("bundles"))) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("lattice-routing-bgp-") || n.startsWith("datapath-spi-")) {
                    jars.add(p.toUri().toURL());
                }
            }
        } catch (IOException e) {
            err.println("lattice bgp: cannot read " + home.resolve("bundles") + ": " + e.getMessage());
            return 1;
        }
        if (jars.size() < 2) {
            err.println("lattice bgp: the BGP bundle (lattice-routing-bgp-*.jar) is not in " + home.resolve("bundles"));
            return 1;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        try (URLClassLoader loader = new URLClassLoader(jars.toArray(new URL[0]), BgpCommand.class.getClassLoader())) {
            Class<?> decoder = loader.loadClass(DECODER);
            Object code = decoder.getMethod("run", String[].class, InputStream.class, PrintStream.class, PrintStream.class)
                    .invoke(null, rest, in, out, err);
            return (Integer) code;
        } catch (InvocationTargetException e) {
            err.println("lattice bgp decode: " + e.getCause());
            return 1;
        } catch (ReflectiveOperationException | IOException e) {
            err.println("lattice bgp: cannot run the decoder from the BGP bundle: " + e);
            return 1;
        }
    }
}
