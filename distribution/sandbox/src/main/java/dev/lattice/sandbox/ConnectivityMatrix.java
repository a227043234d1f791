package dev.lattice.sandbox;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pod-to-pod reachability: from every pod's namespace, a TCP connection to every pod's workload
 * ({@code socat -u TCP:<ip>:8080 STDOUT}); a cell is green when the answer is the destination
 * pod's name.
 */
final class ConnectivityMatrix {
    private final List<MiniKubelet.RunningPod> pods;
    private final boolean[][] ok;

    private ConnectivityMatrix(List<MiniKubelet.RunningPod> pods) {
        this.pods = pods;
        this.ok = new boolean[pods.size()][pods.size()];
    }

    static ConnectivityMatrix measure(List<MiniKubelet.RunningPod> pods) throws Exception {
        ConnectivityMatrix m = new ConnectivityMatrix(pods);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, Math.max(1, pods.size())));
        try {
            List<Future<Boolean>> cells = new ArrayList<>();
            for (MiniKubelet.RunningPod src : pods) {
                for (MiniKubelet.RunningPod dst : pods) {
                    cells.add(pool.submit(() -> probe(src, dst)));
                }
            }
            int k = 0;
            for (int i = 0; i < pods.size(); i++) {
                for (int j = 0; j < pods.size(); j++) {
                    m.ok[i][j] = cells.get(k++).get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return m;
    }

    private static boolean probe(MiniKubelet.RunningPod src, MiniKubelet.RunningPod dst) {
        Shell.Result r = Shell.exec(10, Shell.netnsExec(src.netns(), "socat", "-T2", "-u",
                "TCP:" + dst.ip() + ":" + MiniKubelet.WORKLOAD_PORT + ",connect-timeout=2", "STDOUT"));
        return r.ok() && r.output().trim().equals(dst.name());
    }

    boolean green() {
        return failures() == 0;
    }

    int failures() {
        int n = 0;
        for (boolean[] row : ok) {
            for (boolean b : row) {
                n += b ? 0 : 1;
            }
        }
        return n;
    }

    int cells() {
        return pods.size() * pods.size();
    }

    void print(PrintStream out) {
        int w = "from \\ to".length();
        for (int i = 0; i < pods.size(); i++) {
            w = Math.max(w, ("#" + (i + 1) + " " + pods.get(i).name()).length());
        }
        StringBuilder head = new StringBuilder(String.format("  %-" + w + "s", "from \\ to"));
        for (int j = 0; j < pods.size(); j++) {
            head.append(String.format(" %4s", "#" + (j + 1)));
        }
        out.println(head);
        for (int i = 0; i < pods.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("  %-" + w + "s", "#" + (i + 1) + " " + pods.get(i).name()));
            for (int j = 0; j < pods.size(); j++) {
                row.append(String.format(" %4s", ok[i][j] ? "ok" : "FAIL"));
            }
            out.println(row);
        }
        out.println("  " + (cells() - failures()) + "/" + cells() + " reachable"
                + (green() ? " - all green" : ""));
    }
}
