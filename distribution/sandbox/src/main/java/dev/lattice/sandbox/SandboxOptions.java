package dev.lattice.sandbox;

import java.nio.file.Path;

/**
 * {@code lattice sandbox [--nodes N] [--routing static|bgp] [--workload FILE] [--check]};
 * {@code --inside} marks the re-executed controller running in the control-plane namespace.
 */
record SandboxOptions(int nodes, String routing, Path workload, boolean check, boolean inside) {
    static final int DEFAULT_NODES = 3;
    static final int MAX_NODES = 9;
    static final String STATIC = "static";
    static final String BGP = "bgp";

    static SandboxOptions parse(String[] args) {
        int nodes = DEFAULT_NODES;
        String routing = STATIC;
        Path workload = null;
        boolean check = false;
        boolean inside = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--nodes" -> nodes = parseNodes(value(args, ++i, a));
                case "--routing" -> routing = parseRouting(value(args, ++i, a));
                case "--workload" -> workload = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--check" -> check = true;
                case "--inside" -> inside = true;
                default -> {
                    if (a.startsWith("--nodes=")) {
                        nodes = parseNodes(a.substring(8));
                    } else if (a.startsWith("--routing=")) {
                        routing = parseRouting(a.substring(10));
                    } else if (a.startsWith("--workload=")) {
                        workload = Path.of(a.substring(11)).toAbsolutePath();
                    } else {
                        throw new IllegalArgumentException("unknown option '" + a + "'");
                    }
                }
            }
        }
        return new SandboxOptions(nodes, routing, workload, check, inside);
    }

    String[] toArgs() {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of("--nodes", String.valueOf(nodes),
                "--routing", routing));
        if (workload != null) {
            out.add("--workload");
            out.add(workload.toString());
        }
        if (check) {
            out.add("--check");
        }
        return out.toArray(new String[0]);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    boolean bgp() {
        return BGP.equals(routing);
    }

    private static String parseRouting(String v) {
        if (!v.equals(STATIC) && !v.equals(BGP)) {
            throw new IllegalArgumentException("--routing must be 'static' or 'bgp', got '" + v + "'");
        }
        return v;
    }

    private static int parseNodes(String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--nodes needs a number, got '" + v + "'");
        }
        if (n < 2 || n > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be between 2 and " + MAX_NODES + ", got " + n);
        }
        return n;
    }
}
