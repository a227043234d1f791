package dev.lattice.spi.kernel;

import dev.lattice.spi.kernel.firewall.Ipset;
import dev.lattice.spi.kernel.firewall.Iptables;
import dev.lattice.spi.kernel.firewall.Nftables;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * An open network namespace. Linux binds a namespace to a thread, not to a process, so code that
 * must run inside (opening sockets, reading {@code /proc/sys/net}, spawning a tool) runs through
 * {@link #call(Callable)} on a dedicated thread that entered the namespace and that never runs
 * anything else; a caller's thread never changes namespace. Sockets opened inside stay inside
 * after the call returns. Netlink clients obtained here already live in this namespace and may be
 * used from any thread.
 *
 * <p>Thread-safe. {@link #close()} releases the file descriptor, the worker thread and sockets;
 * it does not delete the namespace.
 */
public interface NetNamespace extends AutoCloseable {
    /** The iproute2 name, or the file name of {@link #path()} when opened by path. */
    String name();

    /** The file that refers to this namespace, e.g. {@code /run/netns/x}. */
    Path path();

    /**
     * An open file descriptor of this namespace, valid until {@link #close()}; for moving links
     * with {@link LinkSettings#namespace(NetNamespace)} or a veth peer into it.
     */
    int fd();

    /**
     * Runs {@code task} on this namespace's worker thread and returns its result. Calls are
     * serialised per namespace. Exceptions of the task are rethrown unchanged when unchecked and
     * wrapped in a {@link KernelException} otherwise. Do not call it from inside a task of the
     * same namespace (that would wait on itself); calling other namespaces from a task is fine.
     */
    <T> T call(Callable<T> task);

    /** {@link #call(Callable)} for a task without result. */
    default void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** The routing netlink client of this namespace (one socket, shared, thread-safe). */
    Rtnetlink rtnetlink();

    /** Generic netlink in this namespace. */
    GenericNetlink genericNetlink();

    /** Subscribes to link, address and route changes in this namespace (a socket and a thread of its own). */
    Subscription subscribe(Set<NetlinkEvent.Kind> kinds, Consumer<NetlinkEvent> listener);

    /** {@code /proc/sys} as seen from this namespace. */
    Sysctl sysctl();

    /** {@code nft} run inside this namespace. */
    Nftables nftables();

    /** {@code iptables-restore}/{@code -save} (both families) run inside this namespace. */
    Iptables iptables();

    /** {@code ipset} run inside this namespace. */
    Ipset ipset();

    @Override
    void close();
}
