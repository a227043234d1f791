package dev.lattice.core.cni;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Installs the {@code lattice} CNI executable shipped with the agent into the runtime's plugin
 * directory (settings {@code cni.installFrom} and {@code cni.binDir}, default
 * {@code /opt/cni/bin}), so that a DaemonSet needs no separate install step. The copy is atomic
 * (temporary file, rename) and skipped when the installed file is identical, so a runtime never
 * execs a half-written plugin.
 */
public final class PluginInstaller {
    private static final System.Logger LOG = System.getLogger(PluginInstaller.class.getName());
    public static final String NAME = "lattice";

    private PluginInstaller() {
    }

    /** Installs {@code binary} as {@code binDir/lattice}; returns true when it wrote the file. */
    public static boolean install(Path binary, Path binDir) throws IOException {
        if (!Files.isRegularFile(binary)) {
            throw new IOException("cni.installFrom: " + binary + " is not a file (the distribution ships the plugin as "
                    + "libexec/lattice-cni)");
        }
        Path target = binDir.resolve(NAME);
        byte[] content = Files.readAllBytes(binary);
        if (Files.isRegularFile(target) && Arrays.equals(content, Files.readAllBytes(target))
                && Files.isExecutable(target)) {
            return false;
        }
        Files.createDirectories(binDir);
        Path tmp = binDir.resolve("." + NAME + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.write(tmp, content);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.log(Level.INFO, "CNI: installed the plugin executable {0}", target);
        return true;
    }
}
