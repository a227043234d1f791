package dev.lattice.routing.bgp.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;

/**
 * Two throwaway network namespaces joined by a veth pair, made entirely inside the namespaces
 * (nothing in the root namespace): {@code A} for the Java speaker (its threads enter it with
 * setns(2)), {@code B} for the peer daemons. Names start with {@code ltb-} plus a random suffix;
 * {@link #close()} removes everything and kills only the processes this lab started.
 */
final class NetnsLab implements AutoCloseable {
    /** The libc calls needed to move a thread into a namespace. */
    public interface LibC {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final int CLONE_NEWNET = 0x40000000;
    private static LibC libc;

    final String id;
    final String nsA;
    final String nsB;
    final int subnet;
    final Path dir;
    private final List<Process> processes = new ArrayList<>();

    NetnsLab() throws Exception {
        id = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 16);
        nsA = "ltb-" + id + "-a";
        nsB = "ltb-" + id + "-b";
        subnet = ThreadLocalRandom.current().nextInt(1, 250);
        dir = Files.createTempDirectory("ltb-" + id);
        try {
            run("ip", "netns", "add", nsA);
            run("ip", "netns", "add", nsB);
            String va = "ltb" + id + "a";
            String vb = "ltb" + id + "b";
            run("ip", "netns", "exec", nsA, "ip", "link", "add", va, "type", "veth", "peer", "name", vb, "netns", nsB);
            run("ip", "-n", nsA, "link", "set", "lo", "up");
            run("ip", "-n", nsB, "link", "set", "lo", "up");
            run("ip", "-n", nsA, "addr", "add", v4(1) + "/24", "dev", va);
            run("ip", "-n", nsB, "addr", "add", v4(2) + "/24", "dev", vb);
            run("ip", "-n", nsB, "addr", "add", v4(3) + "/24", "dev", vb);
            run("ip", "-n", nsA, "addr", "add", v6(1) + "/64", "dev", va, "nodad");
            run("ip", "-n", nsB, "addr", "add", v6(2) + "/64", "dev", vb, "nodad");
            run("ip", "-n", nsB, "addr", "add", v6(3) + "/64", "dev", vb, "nodad");
            run("ip", "-n", nsA, "link", "set", va, "up");
            run("ip", "-n", nsB, "link", "set", vb, "up");
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    static boolean usable() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && uid.equals("0");
        } catch (Exception e) {
            return false;
        }
    }

    static boolean has(String tool) {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    String v4(int host) {
        return "10.213." + subnet + "." + host;
    }

    String v6(int host) {
        return "fd00:213:" + Integer.toHexString(subnet) + "::" + host;
    }

    /** Threads that live in namespace A: sockets they create belong to it. */
    ThreadFactory threadsInA() {
        return r -> {
            Thread t = new Thread(() -> {
                enter(nsA);
                r.run();
            }, "ltb-" + id + "-a");
            t.setDaemon(true);
            return t;
        };
    }

    static synchronized void enter(String ns) {
        if (libc == null) {
            libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
        }
        int fd = libc.open("/run/netns/" + ns, 0);
        if (fd < 0) {
            throw new IllegalStateException("cannot open /run/netns/" + ns);
        }
        try {
            if (libc.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns into " + ns + " failed");
            }
        } finally {
            libc.close(fd);
        }
    }

    Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Starts a daemon in namespace B; it is killed (by its PID) on close. */
    Process startInB(String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", nsB));
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true)
                .redirectOutput(dir.resolve(cmd[0].replace('/', '_') + "-" + processes.size() + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    /** Runs a command in namespace B and returns its output. */
    String inB(String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", nsB));
        c.addAll(List.of(cmd));
        return run(c.toArray(new String[0]));
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timeout: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".log")).toList()) {
                sb.append("---- ").append(p.getFileName()).append('\n').append(Files.readString(p));
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    /** Kills one started process (by its handle) and waits for it. */
    void kill(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            try {
                kill(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : List.of(nsA, nsB)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (Exception e) {
                // did not exist
            }
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
