package dev.lattice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the kernel-tier tests: one {@link Kernel} per class, throwaway namespaces with unique
 * {@code ltk-} names that are deleted after each test whatever happened, and a shell helper for
 * checking with independent tools. Nothing is created in the machine's own namespace.
 */
abstract class KernelTestSupport {
    private static final SecureRandom RANDOM = new SecureRandom();
    static Kernel kernel;
    static NetworkNamespaces netns;
    private final List<String> created = new ArrayList<>();
    private final List<NetNamespace> handles = new ArrayList<>();

    @BeforeAll
    static void openKernel() {
        kernel = Kernel.open();
        netns = kernel.namespaces();
    }

    @AfterAll
    static void closeKernel() {
        kernel.close();
    }

    /** A unique name: prefix + 6 hex digits (short enough for an interface name). */
    static String unique(String prefix) {
        return prefix + String.format("%06x", RANDOM.nextInt(1 << 24));
    }

    /** Creates a throwaway namespace that is deleted after the test. */
    NetNamespace newNamespace() {
        String name = unique("ltk-");
        created.add(name);
        NetNamespace ns = netns.create(name);
        handles.add(ns);
        return ns;
    }

    /** Registers a namespace created some other way for deletion after the test. */
    void deleteAfterwards(String name) {
        created.add(name);
    }

    @AfterEach
    void removeNamespaces() {
        for (NetNamespace h : handles) {
            try {
                h.close();
            } catch (RuntimeException ignored) {
                // keep cleaning
            }
        }
        handles.clear();
        for (String name : created) {
            try {
                netns.delete(name);
            } catch (RuntimeException e) {
                sh("ip", "netns", "delete", name);
            }
        }
        created.clear();
    }

    /** Result of a command. */
    record Out(int exit, String stdout, String stderr) {
    }

    static Out sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command and asserts that it succeeded; returns stdout. */
    static String ok(String... cmd) {
        Out o = sh(cmd);
        assertEquals(0, o.exit(), () -> String.join(" ", cmd) + " failed: " + o.stderr() + o.stdout());
        return o.stdout();
    }

    /** Runs a command inside a namespace with ip netns exec and asserts success. */
    static String in(NetNamespace ns, String... cmd) {
        String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = ns.name();
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return ok(full);
    }
}
