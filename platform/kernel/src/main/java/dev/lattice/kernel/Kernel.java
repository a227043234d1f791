package dev.lattice.kernel;

import dev.lattice.kernel.netns.NamespacesImpl;
import dev.lattice.spi.kernel.NetworkNamespaces;

/**
 * The plain-Java entry point to kernel access, for code outside OSGi (tests, benchmarks, the CNI
 * server). Inside OSGi, get {@link NetworkNamespaces} as a service instead.
 *
 * <pre>{@code
 * try (Kernel kernel = Kernel.open()) {
 *     NetworkNamespaces netns = kernel.namespaces();
 *     try (NetNamespace ns = netns.create("demo")) {
 *         ns.rtnetlink().createLink(LinkSpec.Bridge.of("br0"));
 *     }
 * }
 * }</pre>
 */
public final class Kernel implements AutoCloseable {
    private final NamespacesImpl namespaces;

    private Kernel() {
        this.namespaces = new NamespacesImpl();
    }

    /** Opens kernel access; the calling thread's network namespace becomes {@link NetworkNamespaces#host()}. */
    public static Kernel open() {
        return new Kernel();
    }

    public NetworkNamespaces namespaces() {
        return namespaces;
    }

    /** Closes every namespace handle opened through this instance (the namespaces themselves stay). */
    @Override
    public void close() {
        namespaces.close();
    }
}
