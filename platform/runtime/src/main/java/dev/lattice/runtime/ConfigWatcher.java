package dev.lattice.runtime;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Re-reads lattice.yaml when its content changes and pushes the result into ConfigAdmin, so that
 * editing the file (or a mounted ConfigMap) re-selects plugins without a restart. An invalid edit
 * is reported and the configuration in force stays.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ConfigWatcher.class.getName());

    private final Path file;
    private final Map<String, String> overrides;
    private final ConfigAdminBridge bridge;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lattice-config-watch");
        t.setDaemon(true);
        return t;
    });
    private byte[] lastDigest;

    ConfigWatcher(Path file, Map<String, String> overrides, ConfigAdminBridge bridge) {
        this.file = file;
        this.overrides = overrides;
        this.bridge = bridge;
        this.lastDigest = digest();
    }

    void start(long periodMillis) {
        timer.scheduleWithFixedDelay(this::poll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        byte[] d = digest();
        if (d == null || Arrays.equals(d, lastDigest)) {
            return;
        }
        lastDigest = d;
        try {
            AgentConfig config = AgentConfig.load(file, overrides);
            bridge.apply(config.toConfigurations());
            LOG.log(Level.INFO, "{0} changed: configuration applied", file);
        } catch (ConfigException e) {
            LOG.log(Level.ERROR, "{0}; keeping the configuration in force", e.getMessage());
        } catch (Exception e) {
            LOG.log(Level.ERROR, "applying " + file + " failed; keeping the configuration in force", e);
        }
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null; // momentarily absent while an editor or a ConfigMap swaps it
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
