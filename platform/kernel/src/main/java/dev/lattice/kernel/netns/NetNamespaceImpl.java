package dev.lattice.kernel.netns;

import dev.lattice.kernel.firewall.FirewallRunners;
import dev.lattice.kernel.netlink.EventSubscription;
import dev.lattice.kernel.netlink.GenericNetlinkImpl;
import dev.lattice.kernel.netlink.NetlinkSocket;
import dev.lattice.kernel.netlink.Nl;
import dev.lattice.kernel.netlink.RtnetlinkImpl;
import dev.lattice.kernel.sys.Native;
import dev.lattice.spi.kernel.Errno;
import dev.lattice.spi.kernel.GenericNetlink;
import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetlinkEvent;
import dev.lattice.spi.kernel.Rtnetlink;
import dev.lattice.spi.kernel.Subscription;
import dev.lattice.spi.kernel.Sysctl;
import dev.lattice.spi.kernel.firewall.Ipset;
import dev.lattice.spi.kernel.firewall.Iptables;
import dev.lattice.spi.kernel.firewall.Nftables;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An open namespace: its fd, a worker thread that entered it (started on first use), and the
 * netlink sockets opened by that thread.
 */
public final class NetNamespaceImpl implements NetNamespace {
    private static final Runnable STOP = () -> { };
    private final NamespacesImpl owner;
    private final String name;
    private final Path path;
    private final boolean host;
    private volatile int fd;
    private final Object lock = new Object();
    private Worker worker;
    private volatile NetlinkSocket route;
    private volatile NetlinkSocket generic;
    private final Rtnetlink rtnetlink;
    private final GenericNetlink genericNetlink;
    private final Sysctl sysctl;
    private final FirewallRunners firewall;
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
    private volatile boolean closed;

    NetNamespaceImpl(NamespacesImpl owner, String name, Path path, int fd, boolean host) {
        this.owner = owner;
        this.name = name;
        this.path = path;
        this.fd = fd;
        this.host = host;
        this.rtnetlink = new RtnetlinkImpl(this::routeSocket, name);
        this.genericNetlink = new GenericNetlinkImpl(this::genericSocket, name);
        this.sysctl = new SysctlImpl(this);
        this.firewall = new FirewallRunners(this, owner::firewallTools);
    }

    /** Starts the worker with a custom way of entering (used by create: unshare instead of setns). */
    void startWorker(Runnable enter) {
        synchronized (lock) {
            worker = new Worker(enter);
            worker.start();
            worker.awaitEntered();
        }
    }

    private Worker worker() {
        synchronized (lock) {
            if (closed) {
                throw new KernelException("netns " + name, Errno.EBADF, "namespace handle is closed");
            }
            if (worker == null) {
                int nsfd = fd;
                startWorker(() -> {
                    if (Native.get().setns(nsfd, Native.CLONE_NEWNET) != 0) {
                        throw KernelException.of("setns(" + path + ")", Native.errno(),
                                "is it a network namespace file?");
                    }
                });
            }
            return worker;
        }
    }

    void setFd(int fd) {
        this.fd = fd;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int fd() {
        if (closed) {
            throw new KernelException("netns " + name, Errno.EBADF, "namespace handle is closed");
        }
        return fd;
    }

    boolean isHost() {
        return host;
    }

    @Override
    public <T> T call(Callable<T> task) {
        Worker w = worker();
        if (Thread.currentThread() == w) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new KernelException("task in netns " + name, 0, e.toString(), e);
            }
        }
        FutureTask<T> f = new FutureTask<>(task);
        w.queue.add(f);
        try {
            while (true) {
                try {
                    return f.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (!w.isAlive() && !f.isDone()) { // closed while the task was queued
                        f.cancel(false);
                    }
                }
            }
        } catch (CancellationException e) {
            throw new KernelException("task in netns " + name, Errno.EBADF, "namespace handle closed before the task ran");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("task in netns " + name, Errno.EINTR, "interrupted while waiting");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new KernelException("task in netns " + name, 0, String.valueOf(c), c);
        }
    }

    // Sockets are opened by the worker thread itself (so no lock is held while waiting for it,
    // and tasks on the worker may use them too); only that thread ever assigns them.
    private NetlinkSocket routeSocket() {
        NetlinkSocket s = route;
        return s != null ? s : call(() -> {
            if (route == null) {
                route = NetlinkSocket.open(Nl.NETLINK_ROUTE, 0, 30_000);
            }
            return route;
        });
    }

    private NetlinkSocket genericSocket() {
        NetlinkSocket s = generic;
        return s != null ? s : call(() -> {
            if (generic == null) {
                generic = NetlinkSocket.open(Nl.NETLINK_GENERIC, 0, 30_000);
            }
            return generic;
        });
    }

    @Override
    public Rtnetlink rtnetlink() {
        return rtnetlink;
    }

    @Override
    public GenericNetlink genericNetlink() {
        return genericNetlink;
    }

    @Override
    public Subscription subscribe(Set<NetlinkEvent.Kind> kinds, Consumer<NetlinkEvent> listener) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("subscribe to at least one kind of event");
        }
        int groups = EventSubscription.groups(kinds);
        NetlinkSocket s = call(() -> NetlinkSocket.open(Nl.NETLINK_ROUTE, groups, 250));
        EventSubscription sub = new EventSubscription(s, listener, name);
        Subscription tracked = new Subscription() {
            @Override
            public boolean overrun() {
                return sub.overrun();
            }

            @Override
            public void close() {
                subscriptions.remove(this);
                sub.close();
            }
        };
        subscriptions.add(tracked);
        return tracked;
    }

    @Override
    public Sysctl sysctl() {
        return sysctl;
    }

    @Override
    public Nftables nftables() {
        return firewall.nftables();
    }

    @Override
    public Iptables iptables() {
        return firewall.iptables();
    }

    @Override
    public Ipset ipset() {
        return firewall.ipset();
    }

    @Override
    public void close() {
        if (host) {
            return; // the host handle lives as long as its NetworkNamespaces
        }
        closeNow();
    }

    void closeNow() {
        Worker w;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            w = worker;
            worker = null;
        }
        for (Subscription s : subscriptions) {
            s.close();
        }
        if (route != null) {
            route.close();
        }
        if (generic != null) {
            generic.close();
        }
        if (w != null) {
            w.queue.add(STOP);
            if (Thread.currentThread() != w) {
                try {
                    w.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Native.get().close(fd);
        owner.closed(this);
    }

    @Override
    public String toString() {
        return "netns " + name + " (" + path + ")";
    }

    private static void goHome(Native sys, int home) {
        if (home >= 0) {
            sys.setns(home, Native.CLONE_NEWNET);
            sys.close(home);
        }
    }

    /**
     * The thread that entered the namespace and runs its tasks; it never runs anything else, and
     * returns to the namespace it started in before it ends.
     */
    private final class Worker extends Thread {
        final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        private final Runnable enter;
        private final CompletableFuture<Void> entered = new CompletableFuture<>();

        Worker(Runnable enter) {
            super("lattice-netns-" + name);
            setDaemon(true);
            this.enter = enter;
        }

        void awaitEntered() {
            try {
                entered.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelException("enter netns " + name, Errno.EINTR, "interrupted");
            } catch (ExecutionException e) {
                join0();
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new KernelException("enter netns " + name, 0, String.valueOf(e.getCause()));
            }
        }

        private void join0() {
            try {
                join(5000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            synchronized (lock) {
                worker = null;
            }
        }

        @Override
        public void run() {
            Native sys = Native.get();
            // Remember where this thread started so that it can go back before it ends.
            int home = sys.open("/proc/thread-self/ns/net", Native.O_RDONLY | Native.O_CLOEXEC, 0);
            try {
                enter.run();
                entered.complete(null);
            } catch (Throwable t) {
                entered.completeExceptionally(t);
                goHome(sys, home);
                return; // the thread ends here: it never runs anything in an unknown namespace
            }
            while (true) {
                Runnable r;
                try {
                    r = queue.take();
                } catch (InterruptedException e) {
                    continue;
                }
                if (r == STOP) {
                    break;
                }
                r.run();
            }
            goHome(sys, home);
            // Fail whatever was queued after close.
            Runnable r;
            while ((r = queue.poll()) != null) {
                if (r instanceof FutureTask<?> f) {
                    f.cancel(false);
                }
            }
        }
    }
}
