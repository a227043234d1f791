package dev.lattice.kernel.netns;

import dev.lattice.kernel.firewall.ToolProbe;
import dev.lattice.kernel.sys.Native;
import dev.lattice.spi.kernel.AlreadyExistsException;
import dev.lattice.spi.kernel.Errno;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.kernel.NotFoundException;
import dev.lattice.spi.kernel.firewall.FirewallTools;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@link NetworkNamespaces} compatible with iproute2: named namespaces are nsfs bind mounts under
 * {@code /run/netns}, which is itself made a shared mount point the way {@code ip netns add} does.
 */
public final class NamespacesImpl implements NetworkNamespaces, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NamespacesImpl.class.getName());
    private final Path runDir;
    private final NetNamespaceImpl host;
    private final Set<NetNamespaceImpl> open = ConcurrentHashMap.newKeySet();
    private volatile FirewallTools tools;
    private volatile boolean runDirReady;

    public NamespacesImpl() {
        this(Path.of("/run/netns"));
    }

    NamespacesImpl(Path runDir) {
        this.runDir = runDir;
        Path self = Path.of("/proc/self/ns/net");
        int fd = Native.get().open(self.toString(), Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            throw KernelException.of("open " + self, Native.errno(), "is /proc mounted?");
        }
        host = new NetNamespaceImpl(this, "host", self, fd, true);
    }

    @Override
    public NetNamespace host() {
        return host;
    }

    /** Checks a namespace name the way iproute2 accepts them, with a clear message. */
    static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("network namespace name is empty");
        }
        if (name.length() > 255) {
            throw new IllegalArgumentException("network namespace name is " + name.length()
                    + " characters long; at most 255 are allowed");
        }
        if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("network namespace name '" + name
                    + "' is not a plain file name (no '/', not '.' or '..')");
        }
        return name;
    }

    private synchronized void prepareRunDir() {
        if (runDirReady) {
            return;
        }
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw KernelException.of("mkdir " + runDir, Errno.EIO, e.toString(), e);
        }
        Native sys = Native.get();
        String dir = runDir.toString();
        // Like iproute2: make the directory a shared mount so that namespaces mounted later
        // propagate to mount namespaces created from this one (containers, other tools).
        if (sys.mount("", dir, "none", Native.MS_SHARED | Native.MS_REC, null) != 0) {
            int e = Native.errno();
            if (e != Errno.EINVAL) {
                throw KernelException.of("mount --make-shared " + dir, e, null);
            }
            if (sys.mount(dir, dir, "none", Native.MS_BIND | Native.MS_REC, null) != 0) {
                throw KernelException.of("mount --bind " + dir + " " + dir, Native.errno(), null);
            }
            if (sys.mount("", dir, "none", Native.MS_SHARED | Native.MS_REC, null) != 0) {
                throw KernelException.of("mount --make-shared " + dir, Native.errno(), null);
            }
        }
        runDirReady = true;
    }

    @Override
    public NetNamespace create(String name) {
        checkName(name);
        prepareRunDir();
        Path path = runDir.resolve(name);
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new AlreadyExistsException("create netns " + name, Errno.EEXIST, path + " exists");
        } catch (IOException e) {
            throw KernelException.of("create netns " + name, Errno.EIO, e.toString(), e);
        }
        NetNamespaceImpl ns = new NetNamespaceImpl(this, name, path, -1, false);
        try {
            // The worker thread creates the namespace by unsharing and stays in it.
            ns.startWorker(() -> {
                Native sys = Native.get();
                if (sys.unshare(Native.CLONE_NEWNET) != 0) {
                    throw KernelException.of("unshare(CLONE_NEWNET) for netns " + name, Native.errno(), null);
                }
                String self = "/proc/self/task/" + sys.gettid() + "/ns/net";
                if (sys.mount(self, path.toString(), "none", Native.MS_BIND, null) != 0) {
                    throw KernelException.of("mount --bind " + self + " " + path, Native.errno(), null);
                }
            });
            int fd = Native.get().open(path.toString(), Native.O_RDONLY | Native.O_CLOEXEC, 0);
            if (fd < 0) {
                throw KernelException.of("open " + path, Native.errno(), null);
            }
            ns.setFd(fd);
        } catch (RuntimeException e) {
            ns.closeNow();
            Native.get().umount2(path.toString(), Native.MNT_DETACH);
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // reported through e
            }
            throw e;
        }
        open.add(ns);
        return ns;
    }

    @Override
    public NetNamespace open(String name) {
        checkName(name);
        Path path = runDir.resolve(name);
        if (!Files.exists(path)) {
            throw new NotFoundException("open netns " + name, Errno.ENOENT, path + " does not exist");
        }
        return openPath(name, path);
    }

    @Override
    public NetNamespace open(Path path) {
        return openPath(path.getFileName() == null ? path.toString() : path.getFileName().toString(), path);
    }

    private NetNamespace openPath(String name, Path path) {
        int fd = Native.get().open(path.toString(), Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            throw KernelException.of("open netns " + path, Native.errno(), null);
        }
        int type = Native.get().ioctl(fd, Native.NS_GET_NSTYPE);
        if (type != Native.CLONE_NEWNET) {
            int e = type < 0 ? Native.errno() : Errno.EINVAL;
            Native.get().close(fd);
            throw new KernelException("open netns " + path, e, type < 0
                    ? "not a namespace file (expected /run/netns/<name> or /proc/<pid>/ns/net)"
                    : "a namespace, but not a network namespace");
        }
        NetNamespaceImpl ns = new NetNamespaceImpl(this, name, path, fd, false);
        open.add(ns);
        return ns;
    }

    @Override
    public boolean delete(String name) {
        checkName(name);
        Path path = runDir.resolve(name);
        if (!Files.exists(path)) {
            return false;
        }
        if (Native.get().umount2(path.toString(), Native.MNT_DETACH) != 0) {
            int e = Native.errno();
            if (e != Errno.EINVAL && e != Errno.ENOENT) { // EINVAL: not mounted (half-made by someone)
                throw KernelException.of("umount " + path, e, null);
            }
        }
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw KernelException.of("delete netns " + name, Errno.EBUSY, e.toString(), e);
        }
    }

    @Override
    public List<String> list() {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runDir)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw KernelException.of("list " + runDir, Errno.EIO, e.toString(), e);
        }
    }

    @Override
    public FirewallTools firewallTools() {
        FirewallTools t = tools;
        if (t == null) {
            synchronized (this) {
                if (tools == null) {
                    tools = ToolProbe.probe();
                    LOG.log(Level.DEBUG, "firewall tools: {0}", tools);
                }
                t = tools;
            }
        }
        return t;
    }

    void closed(NetNamespaceImpl ns) {
        open.remove(ns);
    }

    /** Closes every handle still open, then the host handle. Namespaces themselves stay. */
    @Override
    public void close() {
        for (NetNamespaceImpl ns : List.copyOf(open)) {
            ns.closeNow();
        }
        host.closeNow();
    }
}
