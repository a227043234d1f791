package dev.lattice.itest;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The assembled distribution as the end-to-end tests use it: a private copy to run
 * {@code bin/lattice} from, the agent's admin endpoint, and waiting on a running process.
 */
final class Distribution {
    private Distribution() {
    }

    /** Copies distribution/assembly/target/lattice (without its data/) to {@code dir}; returns the copy. */
    static Path copyTo(Path dir) throws IOException {
        Path dist = Path.of(System.getProperty("lattice.itest.bundles",
                "../../distribution/assembly/target/lattice/bundles")).getParent();
        try (Stream<Path> files = Files.walk(dist)) {
            for (Path p : files.toList()) {
                Path rel = dist.relativize(p);
                if (rel.startsWith("data")) {
                    continue; // state of earlier runs of the shared distribution
                }
                Path target = dir.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.setPosixFilePermissions(dir.resolve("bin/lattice"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** GET on an agent's admin endpoint; the body, or empty when it does not answer (yet). */
    static String get(int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
            c.setRequestProperty("Connection", "close");
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits up to {@code seconds} for {@code condition}; fails early, with the log, when
     * {@code process} (may be null) exits.
     */
    static void await(int seconds, String what, BooleanSupplier condition, Process process, Path log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("process exited with " + process.exitValue() + " waiting for " + what
                        + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + ":\n" + Files.readString(log));
    }
}
