package dev.lattice.kernel.firewall;

import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.firewall.FirewallException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a command-line tool inside a namespace: the process is spawned by the namespace's worker
 * thread (a child inherits the namespace of the thread that forks it), input, output and errors go
 * through temporary files so no extra threads are needed, and a timeout kills a hung tool.
 */
public final class ToolRunner {
    private ToolRunner() {
    }

    /** What a run produced. */
    public record Result(int exit, String stdout, String stderr) {
    }

    /** The Debian package that ships {@code tool}. */
    public static String debianPackage(String tool) {
        if (tool.startsWith("ip6tables") || tool.startsWith("iptables")) {
            return "iptables";
        }
        return switch (tool) {
            case "nft" -> "nftables";
            case "ipset" -> "ipset";
            default -> tool;
        };
    }

    /** Whether {@code tool} is on the PATH (or in /usr/sbin, /sbin). */
    public static boolean exists(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    public static FirewallException missing(String tool) {
        String pkg = debianPackage(tool);
        return new FirewallException(tool + " is not installed: install the Debian package '" + pkg
                + "' (apt-get install " + pkg + ")", tool, 0, null, "", false);
    }

    /**
     * Runs {@code command} in {@code ns} ({@code null}: in the calling thread's namespace) with
     * {@code stdin} as input. Never throws for a non-zero exit; throws for a missing tool or a timeout.
     */
    public static Result run(NetNamespace ns, List<String> command, String stdin, Duration timeout) {
        String tool = command.get(0);
        File in = null;
        File out = null;
        File err = null;
        Process p = null;
        try {
            in = File.createTempFile("lattice-in-", ".txt");
            out = File.createTempFile("lattice-out-", ".txt");
            err = File.createTempFile("lattice-err-", ".txt");
            Files.writeString(in.toPath(), stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(in).redirectOutput(out).redirectError(err);
            pb.environment().put("LC_ALL", "C");
            try {
                p = ns == null ? pb.start() : ns.call(pb::start);
            } catch (IOException e) {
                throw missing(tool);
            } catch (RuntimeException e) {
                if (e.getCause() instanceof IOException) {
                    throw missing(tool);
                }
                throw e;
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new FirewallException(String.join(" ", command) + " timed out after " + timeout.toMillis()
                        + " ms and was killed", tool, 0, null, Files.readString(err.toPath()), true);
            }
            return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FirewallException("running " + tool + " failed: " + e, tool, 0, null, "", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p != null) {
                p.destroyForcibly();
            }
            throw new FirewallException(tool + " interrupted", tool, 0, null, "", true);
        } finally {
            for (File f : new File[] {in, out, err}) {
                if (f != null) {
                    f.delete();
                }
            }
        }
    }

    private static final Pattern NFT_LINE = Pattern.compile("(?m)^(?:/dev/stdin|-|stdin):(\\d+):");
    private static final Pattern LINE = Pattern.compile("(?i)line:? (\\d+)");

    /** Turns a failed run into an exception naming the failing input line. */
    public static FirewallException failure(String what, String tool, String input, Result r) {
        Matcher m = ("nft".equals(tool) ? NFT_LINE : LINE).matcher(r.stderr());
        int line = 0;
        String text = null;
        if (m.find()) {
            line = Integer.parseInt(m.group(1));
            String[] lines = input == null ? new String[0] : input.split("\n", -1);
            if (line >= 1 && line <= lines.length) {
                text = lines[line - 1].strip();
            }
        }
        String msg = r.stderr().strip();
        if (msg.length() > 2000) {
            msg = msg.substring(0, 2000) + "...";
        }
        StringBuilder sb = new StringBuilder(what).append(" failed (exit ").append(r.exit()).append(')');
        if (line > 0) {
            sb.append(" at line ").append(line);
            if (text != null) {
                sb.append(": `").append(text).append('`');
            }
        }
        sb.append(": ").append(msg.isEmpty() ? "no error output" : msg);
        return new FirewallException(sb.toString(), tool, line, text, r.stderr(), false);
    }
}
