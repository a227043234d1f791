/**
 * Kernel access for plugins: network namespaces, routing netlink (links, addresses, routes,
 * neighbours, bridge FDB), generic netlink, change events and sysctl.
 *
 * <p>The entry point is the {@link dev.lattice.spi.kernel.NetworkNamespaces} service. Every
 * operation happens in a {@link dev.lattice.spi.kernel.NetNamespace}: the agent's own
 * ({@link dev.lattice.spi.kernel.NetworkNamespaces#host()}) or a pod's or a test's. Failures are
 * {@link dev.lattice.spi.kernel.KernelException}s that name the errno and the request.
 */
package dev.lattice.spi.kernel;
