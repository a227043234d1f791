package dev.lattice.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The processes the sandbox started, one line each: {@code PID MARKER}, where MARKER is a word
 * of the process's command line. A later run (after a kill -9) ends a recorded PID only if it
 * still runs a command with that marker, so a recycled PID is never touched.
 */
final class PidFile {
    private static final Logger LOG = System.getLogger(PidFile.class.getName());
    private final Path file;
    private final Map<Long, String> pids = new LinkedHashMap<>();

    PidFile(Path file) {
        this.file = file;
    }

    synchronized void add(long pid, String marker) {
        pids.put(pid, marker);
        write();
    }

    synchronized void remove(long pid) {
        pids.remove(pid);
        write();
    }

    /** Ends a process this sandbox started (SIGTERM, SIGKILL after {@code graceSeconds}) and forgets it. */
    void terminate(Process p, int graceSeconds) {
        p.destroy();
        try {
            if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        remove(p.pid());
    }

    private void write() {
        StringBuilder sb = new StringBuilder();
        pids.forEach((pid, marker) -> sb.append(pid).append(' ').append(marker).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, sb.toString());
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends every process recorded in {@code file} that still runs its marked command; returns how many. */
    static int killRecorded(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        int killed = 0;
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split(" ", 2);
                if (parts.length == 2 && kill(Long.parseLong(parts[0]), parts[1])) {
                    killed++;
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.WARNING, "cannot read " + file + ": " + e);
        }
        return killed;
    }

    /** A process recorded in {@code file} with {@code marker} that still runs its command, other than this one. */
    static Optional<Long> running(Path file, String marker) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split(" ", 2);
                if (parts.length == 2 && parts[1].equals(marker)) {
                    long pid = Long.parseLong(parts[0]);
                    if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isPresent()
                            && commandLine(pid).contains(marker)) {
                        return Optional.of(pid);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.WARNING, "cannot read " + file + ": " + e);
        }
        return Optional.empty();
    }

    /** Ends the process if it still runs a command containing marker; true if it was running. */
    static boolean kill(long pid, String marker) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (pid == ProcessHandle.current().pid() || handle.isEmpty() || !commandLine(pid).contains(marker)) {
            return false;
        }
        ProcessHandle p = handle.get();
        p.destroy();
        try {
            p.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
        return true;
    }

    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
