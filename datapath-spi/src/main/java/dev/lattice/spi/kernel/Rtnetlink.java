package dev.lattice.spi.kernel;

import dev.lattice.spi.net.IpFamily;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Routing netlink ({@code NETLINK_ROUTE}) of one network namespace: links, addresses, routes,
 * neighbours and bridge FDB entries. Thread-safe; every call is one acknowledged request (or a
 * dump) on a socket that lives in the namespace. Failures are {@link KernelException}s naming
 * the errno and the request; arguments are checked before anything is sent
 * ({@link IllegalArgumentException} with the reason, e.g. an interface name of 16 bytes).
 *
 * <p>Deleting is idempotent: {@code delete*} returns false when the object was already gone.
 */
public interface Rtnetlink {
    /** Longest interface name Linux accepts, in bytes (IFNAMSIZ - 1). */
    int MAX_IFNAME = 15;

    // ---- links ----

    /**
     * Creates a link and returns it as the kernel reports it. For a veth pair this is the local
     * end; the peer is created in {@link LinkSpec.Veth#peerNamespace()} when given. Nothing is
     * left behind when creation fails.
     *
     * @throws AlreadyExistsException when a link of that name exists
     */
    LinkInfo createLink(LinkSpec spec);

    /**
     * Creates a link and applies {@code settings} to it (for a veth, to the local end), all or
     * nothing: when a setting fails, the link is deleted again (with a veth, both ends) and the
     * failure is thrown. Returns the link as configured (before a namespace move, if any).
     */
    LinkInfo createLink(LinkSpec spec, LinkSettings settings);

    /**
     * Changes a link; only the settings given are touched. They are applied in up to three
     * requests (attributes, then bridge-port flags, then the namespace move); when a later one
     * fails, the earlier ones stay applied.
     */
    void setLink(String name, LinkSettings settings);

    /** Deletes a link (a veth pair goes with either end); false when there was none. */
    boolean deleteLink(String name);

    Optional<LinkInfo> link(String name);

    Optional<LinkInfo> link(int index);

    /** Every link of the namespace, by index. */
    List<LinkInfo> links();

    /** The index of the named link; {@link NotFoundException} when absent. */
    default int linkIndex(String name) {
        return link(name).orElseThrow(() -> new NotFoundException("link " + name, Errno.ENODEV,
                "no link named '" + name + "'")).index();
    }

    // ---- addresses ----

    /** Adds an address; {@link AlreadyExistsException} when it is there already. */
    void addAddress(AddressEntry address);

    /** Removes an address; false when it was not there. */
    boolean deleteAddress(AddressEntry address);

    /** Addresses of one link ({@code ifindex > 0}) or all ({@code 0}), of one family or both ({@code null}). */
    List<AddressEntry> addresses(int ifindex, IpFamily family);

    // ---- routes ----

    /** Adds a route; {@link AlreadyExistsException} when one with the same key exists. */
    void addRoute(RouteEntry route);

    /** Adds the route or replaces the one with the same destination, table, metric and tos. */
    void replaceRoute(RouteEntry route);

    /**
     * Replaces many routes, pipelining requests (many per system call) rather than waiting for
     * each acknowledgement. Every route is tried; when some fail, the first failure is thrown
     * with the others attached as suppressed exceptions and the rest stay applied (replacing is
     * idempotent, so calling again after fixing the cause converges).
     */
    void replaceRoutes(Collection<RouteEntry> routes);

    /** Deletes many routes, pipelined like {@link #replaceRoutes}; routes already gone are not errors. */
    void deleteRoutes(Collection<RouteEntry> routes);

    /**
     * Deletes the route with this destination, table, metric, type and protocol (and gateway and
     * device when set); false when there was none. The protocol must match: a route built with
     * {@link RouteEntry#to} has {@link RouteEntry#PROTO_STATIC}; {@code withProtocol(0)} matches any.
     */
    boolean deleteRoute(RouteEntry route);

    /**
     * Routes of one family ({@code null} for both) in one table ({@code 0} for all tables).
     * Cache entries are skipped.
     */
    List<RouteEntry> routes(IpFamily family, int table);

    // ---- neighbours and FDB ----

    /** Adds or replaces an ARP/NDP entry. */
    void replaceNeighbour(Neighbour neighbour);

    /** Deletes an ARP/NDP entry; false when there was none. */
    boolean deleteNeighbour(Neighbour neighbour);

    /** ARP/NDP entries of one link ({@code 0} for all), of one family ({@code null} for both). */
    List<Neighbour> neighbours(int ifindex, IpFamily family);

    /**
     * Adds a forwarding database entry, keeping existing ones with the same MAC (the
     * {@code bridge fdb append} semantics, e.g. several VXLAN flood destinations for 00:00:00:00:00:00).
     */
    void appendFdb(FdbEntry entry);

    /** Adds or replaces a forwarding database entry. */
    void replaceFdb(FdbEntry entry);

    /** Deletes a forwarding database entry; false when there was none. */
    boolean deleteFdb(FdbEntry entry);

    /** FDB entries whose port is {@code ifindex} ({@code 0} for all). */
    List<FdbEntry> fdb(int ifindex);
}
