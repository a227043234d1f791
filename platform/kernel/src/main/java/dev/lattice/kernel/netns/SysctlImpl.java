package dev.lattice.kernel.netns;

import dev.lattice.spi.kernel.Errno;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.Sysctl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code /proc/sys} read and written from the namespace's worker thread (procfs resolves net.* per thread). */
final class SysctlImpl implements Sysctl {
    private final NetNamespace ns;

    SysctlImpl(NetNamespace ns) {
        this.ns = ns;
    }

    static Path path(String key) {
        if (key == null || key.isEmpty() || key.contains("..") || key.startsWith("/") || key.contains("\0")) {
            throw new IllegalArgumentException("bad sysctl key '" + key + "'");
        }
        return Path.of("/proc/sys", key.indexOf('/') >= 0 ? key : key.replace('.', '/'));
    }

    @Override
    public String get(String key) {
        Path p = path(key);
        return ns.call(() -> {
            try {
                return Files.readString(p, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw error("read sysctl " + key + " (netns " + ns.name() + ")", e);
            }
        });
    }

    @Override
    public void set(String key, String value) {
        Path p = path(key);
        ns.run(() -> {
            try {
                Files.writeString(p, value, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw error("write sysctl " + key + "=" + value + " (netns " + ns.name() + ")", e);
            }
        });
    }

    private static KernelException error(String what, IOException e) {
        String m = String.valueOf(e.getMessage());
        int errno;
        if (e instanceof NoSuchFileException) {
            errno = Errno.ENOENT;
        } else if (e instanceof AccessDeniedException || m.contains("Permission denied")) {
            errno = Errno.EACCES;
        } else if (m.contains("Operation not permitted")) {
            errno = Errno.EPERM;
        } else if (m.contains("Invalid argument")) {
            errno = Errno.EINVAL;
        } else {
            errno = Errno.EIO;
        }
        return KernelException.of(what, errno, errno == Errno.ENOENT ? "no such key" : m, e);
    }
}
