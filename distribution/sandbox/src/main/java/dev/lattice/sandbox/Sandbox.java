package dev.lattice.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code lattice sandbox [--nodes N] [--workload FILE] [--check]}: a small cluster on this
 * machine, in network namespaces named {@code lsb-*}.
 *
 * <p>This class runs twice. In the machine's namespace it removes what a killed run left, builds
 * the {@link Topology}, and re-executes itself inside the control-plane namespace with
 * {@code --inside}, so that the controller, the API server and everything they talk to stay in
 * the sandbox; when that exits (or on Ctrl-C) it removes every namespace, process and file the
 * sandbox made. Inside, {@link ClusterController} does the work.
 */
public final class Sandbox {
    static final String CONTROLLER_PID_FILE = "controller.pid";
    static final String CONTROLLER_MARKER = "dev.lattice.sandbox.Sandbox";
    /** The command line of `lattice sandbox` itself (bin/lattice runs the launcher's Main). */
    static final String SANDBOX_MARKER = "dev.lattice.runtime.Main sandbox";
    static final int EXIT_USAGE = 2;
    private static final Logger LOG = System.getLogger(Sandbox.class.getName());

    private Sandbox() {
    }

    /** The re-executed controller's entry point (inside {@code lsb-cp}). */
    public static void main(String[] args) {
        quietLibraries();
        Path home = Path.of(System.getProperty("lattice.home", ".")).toAbsolutePath().normalize();
        System.exit(run(home, args, System.out, System.err));
    }

    /** {@code lattice sandbox ARGS}; returns the exit code. */
    public static int run(Path home, String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(usage());
            return 0;
        }
        SandboxOptions options;
        try {
            options = SandboxOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("lattice sandbox: " + e.getMessage());
            err.print(usage());
            return EXIT_USAGE;
        }
        Path state = home.resolve("data/sandbox");
        try {
            if (options.inside()) {
                return new ClusterController(home, state, options, out).run();
            }
            return outside(home, state, options, out, err);
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "sandbox failed", e);
            err.println("lattice sandbox: " + (e instanceof IllegalStateException ? e.getMessage() : e));
            return 1;
        }
    }

    public static String usage() {
        return """
                Usage: lattice sandbox [--nodes N] [--routing static|bgp] [--workload FILE] [--check]   (as root)
                  --nodes N         nodes (network namespaces lsb-n1..), 2 to 9, default 3; the last
                                    one is in another subnet behind a router
                  --routing R       static (default): host routes, VXLAN to the other subnet;
                                    bgp: iBGP mesh among the nodes plus eBGP to BIRD as the router
                  --workload FILE   a YAML of Pods (spec.nodeName optional) instead of 2 echo pods per node
                  --check           build, check pod-to-pod connectivity, remove everything, exit 0 if green
                """;
    }

    private static int outside(Path home, Path state, SandboxOptions options, PrintStream out, PrintStream err)
            throws Exception {
        String uid = Shell.run("id", "-u").trim();
        if (!uid.equals("0")) {
            err.println("lattice sandbox: needs root (network namespaces): run it with sudo");
            return 1;
        }
        for (String tool : List.of("socat", "setsid", "nsenter")) {
            if (!Shell.quiet("sh", "-c", "command -v " + tool).ok()) {
                err.println("lattice sandbox: '" + tool + "' is missing (Debian: apt-get install " + tool + ")");
                return 1;
            }
        }
        if (options.bgp() && !Shell.quiet("sh", "-c", "command -v bird && command -v birdc").ok()) {
            err.println("lattice sandbox: --routing bgp runs BIRD as the sandbox's router, and 'bird' is missing"
                    + " (Debian: apt-get install bird2, or scripts/install-deps.sh)");
            return 1;
        }
        Optional<Long> other = PidFile.running(state.resolve(CONTROLLER_PID_FILE), SANDBOX_MARKER);
        if (other.isPresent()) {
            err.println("lattice sandbox: a sandbox is already running (pid " + other.get() + "); stop it first (Ctrl-C or kill "
                    + other.get() + ")");
            return 1;
        }
        removeLeftovers(state, out);
        Files.createDirectories(state);
        PidFile controllerPids = new PidFile(state.resolve(CONTROLLER_PID_FILE));
        controllerPids.add(ProcessHandle.current().pid(), SANDBOX_MARKER);
        AtomicBoolean tornDown = new AtomicBoolean();
        Process[] controller = new Process[1];
        Thread hook = new Thread(() -> {
            Process c = controller[0];
            if (c != null && c.isAlive()) {
                c.destroy();
                try {
                    c.waitFor(90, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            tearDown(state, tornDown, out);
        }, "sandbox-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            out.println("sandbox: building " + options.nodes() + " nodes (routing " + options.routing() + ") in network namespaces "
                    + Topology.PREFIX + "* (subnets 10.99.1.0/24 and 10.99.2.0/24, pod CIDRs 10.244.I.0/24)");
            out.flush();
            new Topology(options.nodes()).build();
            // nsenter, not `ip netns exec`: only the network namespace changes, the mount namespace
            // stays, so the pod namespaces the controller mounts under /run/netns are seen by the
            // agents (whose `ip netns exec` mount namespaces are slaves of this one).
            List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + Topology.CONTROL_PLANE,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC", "-Dlattice.home=" + home,
                    "-cp", home.resolve("lib") + "/*:" + home.resolve("lib/sandbox") + "/*",
                    Sandbox.class.getName(), "--inside"));
            cmd.addAll(List.of(options.toArgs()));
            Process c = new ProcessBuilder(cmd).inheritIO().start();
            controller[0] = c;
            controllerPids.add(c.pid(), CONTROLLER_MARKER);
            code = c.waitFor();
        } finally {
            tearDown(state, tornDown, out);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        return code;
    }

    /** What a killed run left: its processes (by recorded PID), every lsb- namespace, its files. */
    private static void removeLeftovers(Path state, PrintStream out) throws IOException {
        int processes = PidFile.killRecorded(state.resolve(CONTROLLER_PID_FILE))
                + PidFile.killRecorded(state.resolve(ClusterController.PID_FILE));
        if (Topology.sandboxNamespaces().contains(Topology.CONTROL_PLANE)) {
            for (String pid : Shell.quiet("ip", "netns", "pids", Topology.CONTROL_PLANE).output().trim().split("\\s+")) {
                if (pid.matches("\\d+") && PidFile.commandLine(Long.parseLong(pid)).contains(CONTROLLER_MARKER)) {
                    throw new IllegalStateException("another sandbox is running (its controller is pid " + pid
                            + ", started from another directory); stop it first");
                }
            }
        }
        int namespaces = Topology.removeAll();
        deleteTree(state);
        if (processes + namespaces > 0) {
            out.println("sandbox: removed what an earlier run left: " + processes + " processes, "
                    + namespaces + " namespaces");
        }
    }

    /**
     * Called by the main thread and by the shutdown hook: whichever comes second waits for the
     * first to finish (the JVM exits when its hooks end, so the hook must not return early).
     */
    private static void tearDown(Path state, AtomicBoolean done, PrintStream out) {
        synchronized (done) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            removeEverything(state, out);
        }
    }

    private static void removeEverything(Path state, PrintStream out) {
        int processes = PidFile.killRecorded(state.resolve(CONTROLLER_PID_FILE))
                + PidFile.killRecorded(state.resolve(ClusterController.PID_FILE));
        int namespaces = Topology.removeAll();
        try {
            deleteTree(state);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + state + ": " + e);
        }
        out.println("sandbox: removed " + namespaces + " namespaces"
                + (processes > 0 ? " and " + processes + " leftover processes" : "") + " and " + state);
        out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        // Twice: files may vanish or appear while a dying process still writes (a killed run's agent).
        for (int round = 0; round < 2 && Files.exists(dir); round++) {
            List<Path> all = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.forEach(all::add);
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException vanished) {
                continue;
            }
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                try {
                    Files.deleteIfExists(p);
                } catch (java.nio.file.DirectoryNotEmptyException appeared) {
                    // next round
                }
            }
        }
    }

    /** The API server's libraries log every request through java.util.logging; keep warnings only. */
    private static void quietLibraries() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
    }
}
