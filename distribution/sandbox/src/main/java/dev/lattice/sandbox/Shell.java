package dev.lattice.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands ({@code ip}, {@code sysctl}, {@code socat}) and returns what they print. */
final class Shell {
    private Shell() {
    }

    /** The result of a command: exit code and combined output. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs a command; throws if it fails. */
    static String run(String... cmd) {
        Result r = exec(30, cmd);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.exit() + "): " + r.output().trim());
        }
        return r.output();
    }

    /** Runs a command in a sandbox namespace: {@code ip netns exec NS cmd...}. */
    static String inNamespace(String ns, String... cmd) {
        return run(netnsExec(ns, cmd));
    }

    static String[] netnsExec(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return all.toArray(new String[0]);
    }

    /** {@code ip -n NS args...}, split on spaces. */
    static String ip(String ns, String args) {
        List<String> all = new ArrayList<>(List.of("ip", "-n", ns));
        all.addAll(List.of(args.split(" ")));
        return run(all.toArray(new String[0]));
    }

    /** Runs a command and ignores failure (for cleanup). */
    static Result quiet(String... cmd) {
        try {
            return exec(30, cmd);
        } catch (RuntimeException e) {
            return new Result(-1, String.valueOf(e.getMessage()));
        }
    }

    static Result exec(int timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
