package dev.lattice.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import dev.lattice.itest.recorder.RecorderBundles;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * Shared pieces of the OSGi tests: the framework options (the distribution's own bundles/
 * directory, FileInstall on a per-run deploy/ folder), recorder bundles, HTTP and waiting.
 * The options are built in the test JVM before the framework starts; the test methods run inside
 * the framework and find the run's folders through system properties.
 */
final class OsgiSupport {
    static final String RUN_DIR = "lattice.itest.run";
    static final String ADMIN_PORT = "lattice.itest.adminPort";

    private OsgiSupport() {
    }

    static Option[] frameworkOptions() throws IOException {
        Path bundles = Path.of(System.getProperty("lattice.itest.bundles", "../../distribution/assembly/target/lattice/bundles"));
        if (!Files.isDirectory(bundles)) {
            throw new IOException("no distribution at " + bundles.toAbsolutePath() + ": build distribution/assembly first");
        }
        // pax-exam may call the configuration method more than once: one run folder per JVM.
        String existing = System.getProperty(RUN_DIR);
        Path run = existing != null ? Path.of(existing)
                : Path.of(System.getProperty("lattice.itest.work", "target/itest")).toAbsolutePath()
                        .resolve("run-" + UUID.randomUUID().toString().substring(0, 8));
        Path deploy = Files.createDirectories(run.resolve("deploy"));
        Files.createDirectories(run.resolve("staging"));
        Path recorders = run.resolve("recorders");
        for (String name : new String[] {"alpha", "beta", "gamma"}) {
            RecorderBundles.write(recorders.resolve(name + "-1.jar"), name, "1.0.0");
        }
        RecorderBundles.write(recorders.resolve("gamma-2.jar"), "gamma", "2.0.0");
        // A fresh port for every framework: a framework that is still shutting down must never
        // be the one a later test class talks to. The tests read it back from their framework.
        int port = freePort();
        System.setProperty(RUN_DIR, run.toString());
        System.setProperty(ADMIN_PORT, Integer.toString(port));

        List<Option> options = new ArrayList<>();
        List<Path> jars;
        try (Stream<Path> s = Files.list(bundles)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            options.add(bundle(jar.toUri().toString()).start(!isFragment(jar)));
        }
        options.add(junitBundles());
        options.add(frameworkProperty("felix.fileinstall.dir").value(deploy.toString()));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        options.add(frameworkProperty("lattice.version").value("itest"));
        options.add(frameworkProperty("lattice.admin.port").value(Integer.toString(port)));
        // Belt and braces: the test JVM already runs in a throwaway network namespace; routes are
        // not programmed at all, and every default host path (CNI socket, conflist, state) lives
        // under the run folder.
        options.add(frameworkProperty("lattice.fib.enabled").value("false"));
        options.add(frameworkProperty("lattice.root").value(run.resolve("root").toString()));
        options.add(cleanCaches(true));
        return options.toArray(new Option[0]);
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Path runDir() {
        return Path.of(System.getProperty(RUN_DIR));
    }

    /** Puts recorder {@code name} at {@code version} into deploy/ as {@code name.jar}, atomically. */
    static void deploy(String name, int version) throws IOException {
        Path staged = runDir().resolve("staging").resolve(name + ".jar");
        Files.copy(runDir().resolve("recorders").resolve(name + "-" + version + ".jar"), staged,
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, runDir().resolve("deploy").resolve(name + ".jar"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void undeploy(String name) throws IOException {
        Files.deleteIfExists(runDir().resolve("deploy").resolve(name + ".jar"));
    }

    static void undeployAll() throws IOException {
        try (Stream<Path> s = Files.list(runDir().resolve("deploy"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    /** An HTTP GET to the admin endpoint: status code and body. */
    record Response(int status, String body) {
    }

    /** The admin port of the framework this code runs in (inside the framework). */
    static String adminPort() {
        org.osgi.framework.Bundle probe = org.osgi.framework.FrameworkUtil.getBundle(OsgiSupport.class);
        String p = probe == null ? null : probe.getBundleContext().getProperty("lattice.admin.port");
        return p != null ? p : System.getProperty(ADMIN_PORT);
    }

    static Response get(String path) throws IOException {
        URL url = new URL("http://127.0.0.1:" + adminPort() + path);
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        // No keep-alive: a pooled connection could belong to an earlier framework's server.
        c.setRequestProperty("Connection", "close");
        c.setUseCaches(false);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30_000);
        int status;
        try {
            status = c.getResponseCode();
        } catch (IOException e) {
            // A hang, not slowness: say where every thread is, so the cause can be found.
            throw new IOException("no answer from " + url + ": " + e + "\n" + threadDump(), e);
        }
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    /** Waits up to 20 s for {@code condition}; fails with {@code what} and the diagnostics. */
    static void await(String what, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException ignored) {
                // not yet: a service may be between registrations
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + diagnostics.get() + "\n" + threadDump());
    }

    /** Every thread of the JVM with its stack, for failures that look like a hang. */
    static String threadDump() {
        StringBuilder dump = new StringBuilder("threads:\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            dump.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement el : stack) {
                dump.append("    at ").append(el).append('\n');
            }
        });
        return dump.toString();
    }
}
