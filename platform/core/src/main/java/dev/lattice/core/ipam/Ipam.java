package dev.lattice.core.ipam;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpFamily;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.pod.InterfaceAddress;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Host-local IPAM for pods: one address per pod CIDR of the node (IPv4 and/or IPv6) for each
 * container ID + interface name. The first address of a CIDR is the gateway; IPv4 network and
 * broadcast addresses are never handed out. Addresses are handed out round robin (the next free
 * one after the last allocated), so a released address is not reused at once.
 *
 * <p>State lives in one JSON file written atomically (temporary file, fsync, rename) before a
 * method returns, so an allocation survives agent restarts and crashes. Thread-safe: concurrent
 * allocations never share an address. Plain Java; {@link IpamComponent} wraps it for OSGi.
 */
public final class Ipam {
    private static final System.Logger LOG = System.getLogger(Ipam.class.getName());

    /** Who owns an allocation: a CNI container ID and interface name. */
    public record Key(String containerId, String ifName) implements Comparable<Key> {
        public Key {
            Objects.requireNonNull(containerId, "containerId");
            Objects.requireNonNull(ifName, "ifName");
        }

        @Override
        public int compareTo(Key o) {
            int c = containerId.compareTo(o.containerId);
            return c != 0 ? c : ifName.compareTo(o.ifName);
        }

        @Override
        public String toString() {
            return containerId + "/" + ifName;
        }
    }

    private final Path stateFile;
    private final Supplier<List<IpPrefix>> cidrs;
    private final boolean fsync;
    private final Map<Key, List<InterfaceAddress>> allocations = new TreeMap<>();
    private final Map<IpAddress, Key> owners = new HashMap<>();
    private final Map<IpPrefix, Long> lastIndex = new HashMap<>();

    /**
     * @param stateFile where the allocations are kept (its directory is created when missing)
     * @param cidrs     the node's pod CIDRs, asked at every allocation
     * @param fsync     whether to fsync the state before renaming it into place (survives power loss)
     */
    public Ipam(Path stateFile, Supplier<List<IpPrefix>> cidrs, boolean fsync) {
        this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
        this.cidrs = Objects.requireNonNull(cidrs, "cidrs");
        this.fsync = fsync;
        load();
    }

    /** The pod CIDRs in force, validated: at most one per family, room for a gateway and a pod. */
    public List<IpPrefix> podCidrs() {
        List<IpPrefix> list = cidrs.get();
        validate(list);
        return list;
    }

    /** The gateway of each pod CIDR (its first address), in the order of {@link #podCidrs()}. */
    public List<IpAddress> gateways() {
        return podCidrs().stream().map(p -> p.address(1)).toList();
    }

    static void validate(List<IpPrefix> list) {
        boolean v4 = false;
        boolean v6 = false;
        for (IpPrefix p : list) {
            if (p.family() == IpFamily.IPV4) {
                if (v4) throw new IpamException("more than one IPv4 pod CIDR: " + list, false, null);
                v4 = true;
                if (p.hostBits() < 2) {
                    throw new IpamException("pod CIDR " + p + " is too small: a /30 or larger is needed (gateway + pods)", false, null);
                }
            } else {
                if (v6) throw new IpamException("more than one IPv6 pod CIDR: " + list, false, null);
                v6 = true;
                if (p.hostBits() < 2) {
                    throw new IpamException("pod CIDR " + p + " is too small: a /126 or larger is needed", false, null);
                }
            }
        }
    }

    /**
     * The addresses of {@code key}: the existing allocation when there is one (idempotent), else a
     * new address from each pod CIDR. All or nothing: when one family is exhausted, nothing is kept.
     *
     * @throws IpamException when a pool is exhausted, no pod CIDR is known, or the state cannot be written
     */
    public synchronized List<InterfaceAddress> allocate(Key key) {
        List<InterfaceAddress> existing = allocations.get(key);
        if (existing != null) {
            return existing;
        }
        List<IpPrefix> pools = podCidrs();
        if (pools.isEmpty()) {
            throw new IpamException("IPAM has no pod CIDR for this node yet: set ipam.podCidrs in lattice.yaml "
                    + "(or wait for the Node's spec.podCIDRs)", false, null);
        }
        List<InterfaceAddress> got = new ArrayList<>();
        Map<IpPrefix, Long> newLast = new HashMap<>();
        for (IpPrefix pool : pools) {
            long first = 2;
            long last = lastUsable(pool);
            long size = last - first + 1;
            long inPool = owners.keySet().stream().filter(pool::contains).count();
            if (inPool >= size) {
                throw new IpamException("pod CIDR " + pool + " is exhausted: all " + size + " pod addresses are allocated ("
                        + allocations.size() + " attachments on this node); delete pods or give the node a larger pod CIDR",
                        true, null);
            }
            long start = lastIndex.getOrDefault(pool, first - 1) + 1;
            IpAddress chosen = null;
            long idx = start;
            for (long step = 0; step <= inPool; step++) {
                if (idx > last || idx < first) idx = first;
                IpAddress a = pool.address(idx);
                if (!owners.containsKey(a)) {
                    chosen = a;
                    break;
                }
                idx++;
            }
            if (chosen == null) {
                throw new IpamException("pod CIDR " + pool + " is exhausted", true, null);
            }
            newLast.put(pool, idx);
            got.add(new InterfaceAddress(chosen, pool.length(), pool.address(1)));
        }
        List<InterfaceAddress> result = List.copyOf(got);
        allocations.put(key, result);
        result.forEach(a -> owners.put(a.address(), key));
        Map<IpPrefix, Long> oldLast = new HashMap<>(lastIndex);
        lastIndex.putAll(newLast);
        try {
            save(fsync);
        } catch (IpamException e) {
            allocations.remove(key);
            result.forEach(a -> owners.remove(a.address()));
            lastIndex.clear();
            lastIndex.putAll(oldLast);
            throw e;
        }
        return result;
    }

    private static long lastUsable(IpPrefix pool) {
        int hb = pool.hostBits();
        long size = hb >= 63 ? Long.MAX_VALUE : 1L << hb;
        // IPv4: the broadcast address is not usable; IPv6 has none.
        return pool.family() == IpFamily.IPV4 ? size - 2 : size - 1;
    }

    /** The pod CIDRs that have no free address left (empty when every pool has room). */
    public synchronized List<IpPrefix> exhaustedPools() {
        List<IpPrefix> full = new ArrayList<>();
        for (IpPrefix pool : podCidrs()) {
            long size = lastUsable(pool) - 1;
            if (owners.keySet().stream().filter(pool::contains).count() >= size) {
                full.add(pool);
            }
        }
        return full;
    }

    /** The allocation of {@code key}, if any. */
    public synchronized Optional<List<InterfaceAddress>> lookup(Key key) {
        return Optional.ofNullable(allocations.get(key));
    }

    /** Releases the addresses of {@code key}; false when it had none (idempotent). */
    public synchronized boolean release(Key key) {
        List<InterfaceAddress> gone = allocations.remove(key);
        if (gone == null) {
            return false;
        }
        gone.forEach(a -> owners.remove(a.address()));
        save(false);
        return true;
    }

    /** Releases every allocation whose key is not in {@code keep}; returns the released keys. */
    public synchronized List<Key> retainOnly(Collection<Key> keep) {
        Set<Key> k = Set.copyOf(keep);
        List<Key> released = new ArrayList<>();
        for (Key key : List.copyOf(allocations.keySet())) {
            if (!k.contains(key)) {
                allocations.remove(key).forEach(a -> owners.remove(a.address()));
                released.add(key);
            }
        }
        if (!released.isEmpty()) {
            save(false);
        }
        return released;
    }

    /** A copy of every allocation. */
    public synchronized Map<Key, List<InterfaceAddress>> allocations() {
        return new LinkedHashMap<>(allocations);
    }

    /** The state file. */
    public Path stateFile() {
        return stateFile;
    }

    // ---- persistence ----

    private void load() {
        String text;
        try {
            text = Files.readString(stateFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new IpamException("cannot read IPAM state " + stateFile + ": " + e.getMessage(), false, e);
        }
        try {
            Map<String, Object> root = Json.asObject(Json.parse(text));
            if (root == null) throw new Json.ParseException("not an object");
            for (Object o : Objects.requireNonNullElse(Json.asArray(root.get("allocations")), List.of())) {
                Map<String, Object> m = Json.asObject(o);
                Key key = new Key(Json.asString(m.get("containerId")), Json.asString(m.get("ifName")));
                List<InterfaceAddress> addrs = new ArrayList<>();
                for (Object a : Json.asArray(m.get("addresses"))) {
                    addrs.add(parseAddress(Json.asString(a)));
                }
                allocations.put(key, List.copyOf(addrs));
                addrs.forEach(a -> owners.put(a.address(), key));
            }
            Map<String, Object> last = Json.asObject(root.get("last"));
            if (last != null) {
                last.forEach((p, v) -> lastIndex.put(IpPrefix.parse(p), Long.parseLong(String.valueOf(v))));
            }
        } catch (RuntimeException e) {
            throw new IpamException("IPAM state " + stateFile + " is corrupt (" + e.getMessage()
                    + "); move it away to start with an empty pool after checking no pod uses its addresses", false, e);
        }
        LOG.log(Level.INFO, "IPAM: {0} allocations loaded from {1}", allocations.size(), stateFile);
    }

    /** "10.0.0.5/24 via 10.0.0.1" as written by {@link #format}. */
    private static InterfaceAddress parseAddress(String s) {
        String[] parts = s.split(" via ");
        IpPrefix withLen = parsePrefixKeepingHost(parts[0]);
        IpAddress addr = IpAddress.parse(parts[0].substring(0, parts[0].indexOf('/')));
        IpAddress gw = parts.length > 1 ? IpAddress.parse(parts[1]) : withLen.address(1);
        return new InterfaceAddress(addr, withLen.length(), gw);
    }

    private static IpPrefix parsePrefixKeepingHost(String s) {
        int slash = s.indexOf('/');
        return IpPrefix.containing(IpAddress.parse(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
    }

    static String format(InterfaceAddress a) {
        return a.address() + "/" + a.prefixLength() + " via " + a.gateway();
    }

    /**
     * Writes the state atomically. Allocations are fsync'd (when enabled) so a new address is on
     * disk before a pod uses it; releases are not: one lost by a power failure comes back as a
     * stale allocation, which the runtime's GC (or the DEL it repeats) releases again.
     */
    private void save(boolean sync) {
        List<Object> list = new ArrayList<>();
        for (Map.Entry<Key, List<InterfaceAddress>> e : allocations.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("containerId", e.getKey().containerId());
            m.put("ifName", e.getKey().ifName());
            m.put("addresses", e.getValue().stream().map(Ipam::format).toList());
            list.add(m);
        }
        Map<String, Object> last = new TreeMap<>();
        lastIndex.forEach((p, v) -> last.put(p.toString(), v));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("allocations", list);
        root.put("last", last);
        try {
            writeAtomically(stateFile, Json.write(root) + "\n", sync);
        } catch (IOException e) {
            throw new IpamException("cannot write IPAM state " + stateFile + ": " + e, false, e);
        }
    }

    /** Writes {@code content} to a temporary file beside {@code target}, optionally fsyncs it, and renames it into place. */
    public static void writeAtomically(Path target, String content, boolean fsync) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Thread.currentThread().getId());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
