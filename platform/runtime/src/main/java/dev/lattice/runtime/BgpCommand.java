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
    private static final String DECODER = "dev.lattice.routing.bgp.tools.DecodeCommand";

    private BgpCommand() {
    }

    static String usage() {
        return """
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
        if (args.length == 0 || !args[0].equals("decode")) {
            err.print(args.length == 0 ? usage()
                    : "lattice bgp: unknown command '" + args[0] + "' (neighbors and rib need the agent's"
                    + " admin API, which is not there yet)\n" + usage());
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
