package dev.lattice.runtime;

import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code lattice} command.
 *
 * <pre>
 * lattice agent [--config FILE] [--set KEY=VALUE]... [--node-name NAME]
 *               [--admin-address ADDR] [--admin-port PORT] [--state-dir DIR]
 * lattice config [--config FILE] [--set KEY=VALUE]...   print the effective configuration
 * lattice sandbox [--nodes N] [--workload FILE] [--check]
 * lattice version
 * </pre>
 */
public final class Main {
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        Logging.install();
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(usage());
            return args.length == 0 ? EXIT_USAGE : 0;
        }
        String command = args[0];
        if (command.equals("bgp")) {
            Path home = Path.of(System.getProperty("lattice.home",
                    System.getenv().getOrDefault("LATTICE_HOME", "."))).toAbsolutePath().normalize();
            return BgpCommand.run(home, java.util.Arrays.copyOfRange(args, 1, args.length), System.in, out, err);
        }
        if (command.equals("sandbox")) {
            return sandbox(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        Options options;
        try {
            options = Options.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            err.println("lattice " + command + ": " + e.getMessage());
            err.print(usage());
            return EXIT_USAGE;
        }
        switch (command) {
            case "version":
                out.println("lattice " + version());
                return 0;
            case "config":
                return config(options, out, err);
            case "agent":
                return agent(options, err, false);
            case "cleanup":
                return agent(options, err, true);
            default:
                err.println("lattice: unknown command '" + command + "'");
                err.print(usage());
                return EXIT_USAGE;
        }
    }

    static String usage() {
        return """
                Usage: lattice COMMAND [OPTIONS]

                Commands:
                  agent     run the node agent (embedded OSGi framework, plugins from bundles/ and deploy/)
                  cleanup   remove everything Lattice programmed on this node (every plugin's state,
                            Lattice's routes, the CNI conflist) and exit
                  config    print the effective configuration (lattice.yaml + environment + flags) and exit
                  sandbox   a small cluster on this machine in network namespaces (as root):
                            lattice sandbox [--nodes N] [--workload FILE] [--check]
                  bgp       BGP tools: lattice bgp decode [FILE] decodes BGP messages (hex lines or pcap) to JSON
                  version   print the version

                Options (agent, cleanup, config):
                  --config FILE          configuration file (default: $LATTICE_HOME/etc/lattice.yaml)
                  --set KEY=VALUE        override a setting, e.g. --set serviceProxy=iptables, --set admin.port=9741
                  --node-name NAME       this node's name (same as --set nodeName=NAME; default $NODE_NAME)
                  --admin-address ADDR   address of /healthz and /metrics (default 127.0.0.1)
                  --admin-port PORT      port of /healthz and /metrics (default 9740)
                  --state-dir DIR        where the agent keeps its state (default $LATTICE_HOME/data)
                  --root DIR             put every default host path (/run/lattice, /etc/cni/net.d,
                                         /var/lib/lattice) under DIR (default $LATTICE_ROOT, else /)

                Environment: LATTICE_<SETTING> overrides a setting (LATTICE_SERVICE_PROXY=iptables,
                LATTICE_ADMIN__PORT=9741); flags override the environment, which overrides the file.
                """;
    }

    /**
     * lattice sandbox: dev.lattice.sandbox.Sandbox from lib/sandbox/ (its own class path, loaded
     * only for this command so the agent's class path stays as it is).
     */
    private static int sandbox(String[] args, PrintStream out, PrintStream err) {
        Path home = Path.of(System.getProperty("lattice.home",
                System.getenv().getOrDefault("LATTICE_HOME", "."))).toAbsolutePath().normalize();
        List<java.net.URL> jars = new ArrayList<>();
        try (var files = Files.list(home.resolve("lib/sandbox"))) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (java.io.IOException e) {
            err.println("lattice sandbox: not in this distribution (" + home.resolve("lib/sandbox") + " is missing)");
            return 1;
        }
        try {
            ClassLoader loader = new java.net.URLClassLoader(jars.toArray(new java.net.URL[0]), Main.class.getClassLoader());
            Class<?> sandbox = Class.forName("dev.lattice.sandbox.Sandbox", true, loader);
            return (int) sandbox.getMethod("run", Path.class, String[].class, PrintStream.class, PrintStream.class)
                    .invoke(null, home, args, out, err);
        } catch (ClassNotFoundException e) {
            err.println("lattice sandbox: not in this distribution (lib/sandbox/lattice-sandbox-*.jar is missing)");
            return 1;
        } catch (ReflectiveOperationException e) {
            err.println("lattice sandbox: " + (e.getCause() != null ? e.getCause() : e));
            return 1;
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        if (v == null) {
            v = System.getProperty("lattice.version", "dev");
        }
        return v;
    }

    private static int config(Options options, PrintStream out, PrintStream err) {
        try {
            AgentConfig config = AgentConfig.load(options.configFile(), options.overrides());
            config.toConfigurations().forEach((pid, props) -> {
                out.println(pid + ":");
                props.forEach((k, v) -> out.println("  " + k + " = "
                        + (v instanceof String[] a ? String.join(", ", a) : v)));
            });
            return 0;
        } catch (ConfigException e) {
            err.println("lattice config: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private static int agent(Options options, PrintStream err, boolean cleanup) {
        AgentConfig config;
        Map<String, String> overrides = new LinkedHashMap<>(options.overrides());
        if (cleanup) {
            // Nothing is brought up: every job is `none`, so the FIB programmer withdraws routes
            // and the cleanup runner asks every registered plugin to remove what it made.
            for (String job : List.of("podNetwork", "routing", "serviceProxy", "networkPolicy")) {
                overrides.put(job, "none");
            }
        }
        try {
            config = AgentConfig.load(options.configFile(), overrides);
        } catch (ConfigException e) {
            err.println("lattice " + (cleanup ? "cleanup" : "agent") + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        Logging.setUp(config.scalar("logLevel", "info"));
        Logger log = System.getLogger("dev.lattice.runtime");
        Path home = options.home();
        Path deploy = home.resolve("deploy");
        Path etc = home.resolve("etc");
        try {
            Files.createDirectories(deploy);
            Files.createDirectories(options.stateDir());
            ConfigAdminBridge[] bridgeRef = new ConfigAdminBridge[1];
            Map<String, String> frameworkProps = new java.util.HashMap<>(Map.of(
                    "lattice.home", home.toString(), "lattice.version", version()));
            if (cleanup) {
                frameworkProps.put("lattice.mode", "cleanup");
                // The CNI section is left out while cleaning up; where it keeps things is not.
                Map<String, Object> cni = config.toConfigurations().getOrDefault("dev.lattice.cni", Map.of());
                for (String key : List.of("stateDir", "confDir", "conflistName")) {
                    if (cni.get(key) != null) {
                        frameworkProps.put("lattice.cleanup.cni." + key, cni.get(key).toString());
                    }
                }
            }
            if (options.root() != null) {
                frameworkProps.put("lattice.root", options.root().toString());
            }
            FelixHost host = FelixHost.start(home.resolve("bundles"), deploy, options.stateDir(), frameworkProps, ctx -> {
                        ConfigAdminBridge b = new ConfigAdminBridge(ctx);
                        Map<String, Map<String, Object>> pids = new java.util.TreeMap<>(config.toConfigurations());
                        if (cleanup) {
                            pids.remove("dev.lattice.cni"); // no CNI server while cleaning up
                        }
                        b.apply(pids);
                        if (Files.isDirectory(etc)) {
                            // FileInstall's second directory: etc/*.cfg for PIDs beyond lattice.yaml.
                            b.createFactoryConfiguration("org.apache.felix.fileinstall", Map.of(
                                    "felix.fileinstall.dir", etc.toString(),
                                    "felix.fileinstall.filter", ".*\\.cfg",
                                    "felix.fileinstall.poll", "1000",
                                    "felix.fileinstall.enableConfigSave", "false"));
                        }
                        bridgeRef[0] = b;
                    });
            ConfigAdminBridge bridge = bridgeRef[0];
            ConfigWatcher watcher = null;
            if (!cleanup && options.configFile() != null && Files.exists(options.configFile())) {
                watcher = new ConfigWatcher(options.configFile(), options.overrides(), bridge);
                watcher.start(1000);
            }
            log.log(Level.INFO, "lattice {0} agent running (config {1}, node {2})", version(),
                    options.configFile(), config.scalar("nodeName", "(from the host name)"));
            CountDownLatch stopped = new CountDownLatch(1);
            ConfigWatcher w = watcher;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.log(Level.INFO, "stopping; programmed state stays in place (lattice cleanup removes it)");
                if (w != null) {
                    w.close();
                }
                try {
                    host.stop();
                } catch (Exception e) {
                    log.log(Level.WARNING, "framework stop failed", e);
                }
                stopped.countDown();
            }, "lattice-shutdown"));
            host.awaitStop();
            if (cleanup) {
                // The cleanup runner stops the framework when it is done; no shutdown hook needed.
                return Integer.getInteger("lattice.cleanup.failures", 1) == 0 ? 0 : 1;
            }
            stopped.await();
            return 0;
        } catch (Exception e) {
            log.log(Level.ERROR, "agent failed to start: " + e.getMessage(), e);
            return 1;
        }
    }

    /** Parsed command-line options. */
    record Options(Path home, Path configFile, Path stateDir, Path root, Map<String, String> overrides) {
        static Options parse(String[] args) {
            Path home = Path.of(System.getProperty("lattice.home",
                    System.getenv().getOrDefault("LATTICE_HOME", "."))).toAbsolutePath().normalize();
            String envConfig = System.getenv("LATTICE_CONFIG");
            Path config = envConfig != null ? Path.of(envConfig) : home.resolve("etc/lattice.yaml");
            Path state = null;
            String envRoot = System.getenv("LATTICE_ROOT");
            Path root = envRoot != null && !envRoot.isBlank() ? Path.of(envRoot) : null;
            Map<String, String> overrides = new LinkedHashMap<>(AgentConfig.fromEnvironment(System.getenv()));
            List<String> rest = new ArrayList<>(List.of(args));
            for (int i = 0; i < rest.size(); i++) {
                String a = rest.get(i);
                String v = a.contains("=") && a.startsWith("--") ? a.substring(a.indexOf('=') + 1) : null;
                String flag = v != null ? a.substring(0, a.indexOf('=')) : a;
                if (v == null && flag.startsWith("--")) {
                    if (i + 1 >= rest.size()) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    v = rest.get(++i);
                }
                switch (flag) {
                    case "--config" -> config = Path.of(v);
                    case "--state-dir" -> state = Path.of(v);
                    case "--root" -> root = Path.of(v);
                    case "--node-name" -> overrides.put("nodeName", v);
                    case "--admin-address" -> overrides.put("admin.address", v);
                    case "--admin-port" -> overrides.put("admin.port", v);
                    case "--set" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + v + "'");
                        }
                        overrides.put(v.substring(0, eq).trim(), v.substring(eq + 1).trim());
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            return new Options(home, config.toAbsolutePath(), state != null ? state.toAbsolutePath()
                    : home.resolve("data"), root == null ? null : root.toAbsolutePath(), overrides);
        }
    }
}
