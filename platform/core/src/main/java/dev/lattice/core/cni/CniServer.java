package dev.lattice.core.cni;

import dev.lattice.core.cni.AttachmentStore.Entry;
import dev.lattice.core.cni.AttachmentStore.State;
import dev.lattice.core.ipam.Ipam;
import dev.lattice.core.ipam.IpamException;
import dev.lattice.core.ipam.Json;
import dev.lattice.core.selection.PodNetworkSelection;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.pod.AttachRequest;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.pod.InterfaceAddress;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The agent side of CNI: serves the {@code lattice} plugin executable on a unix socket (mode
 * 0600), allocates addresses with {@link Ipam} and has the selected {@link PodNetworkDatapath}
 * attach pods. ADD goes to the datapath in force; CHECK and DEL go to the datapath recorded in
 * the attachment. Writes the node's CNI network configuration list.
 *
 * <p>Wire protocol (one request per connection): the plugin sends a JSON object
 * {@code {"command","containerId","netns","ifName","args","path","config"}} and shuts its write
 * side; the server answers {@code "<exit code>\n<body>"}, the body being the CNI result, a CNI
 * error object, or empty. See docs/cni.md.
 *
 * <p>Usable without OSGi: construct it, {@link #start()}, {@link #close()}.
 */
public final class CniServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CniServer.class.getName());
    static final List<String> SUPPORTED_VERSIONS = List.of("0.3.1", "0.4.0", "1.0.0", "1.1.0");
    private static final int MAX_REQUEST = 2 * 1024 * 1024;
    private static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";

    /** An answer: the plugin's exit code and what it prints. */
    public record Response(int exit, String body) {
    }

    private final CniSettings settings;
    private final PodNetworkSelection selection;
    private final Ipam ipam;
    private final AttachmentStore store;
    private final ReentrantLock[] locks = new ReentrantLock[64];
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    private ServerSocketChannel server;
    private Thread acceptor;
    private ThreadPoolExecutor workers;
    private volatile boolean running;
    private volatile java.util.function.BiConsumer<String, Long> timing = (c, n) -> { };

    public CniServer(CniSettings settings, PodNetworkSelection selection, Ipam ipam) {
        this.settings = settings;
        this.selection = selection;
        this.ipam = ipam;
        this.store = new AttachmentStore(settings.stateDir().resolve("attachments"));
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public CniSettings settings() {
        return settings;
    }

    /** Recovers from a crash, prepares the node, writes the conflist and starts serving. */
    public synchronized void start() throws IOException {
        recover();
        prepareNode();
        writeConflist();
        listen();
    }

    // ---- node ----

    /** The node's network as the datapath sees it, from IPAM's pod CIDRs. */
    public NodeNetwork nodeNetwork() {
        return new NodeNetwork(settings.nodeName(), ipam.podCidrs(), ipam.gateways(), settings.mtu());
    }

    /** (Re)prepares the datapath in force; called at start and when the pod CIDRs change. Failures are logged. */
    public void prepareNode() {
        try {
            if (ipam.podCidrs().isEmpty()) {
                LOG.log(Level.WARNING, "CNI: no pod CIDR known yet (ipam.podCidrs); pods cannot be attached until there is one");
                return;
            }
            selection.prepare(nodeNetwork());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "CNI: preparing the node for pods failed: " + e.getMessage(), e);
        }
    }

    /** Writes the CNI network configuration list when enabled and changed. */
    public void writeConflist() throws IOException {
        if (!settings.writeConflist()) {
            return;
        }
        Path file = settings.confDir().resolve(settings.conflistName());
        String text = conflist(settings);
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return;
        }
        Ipam.writeAtomically(file, text, settings.fsync());
        LOG.log(Level.INFO, "CNI: wrote {0}", file);
    }

    /** The conflist text for these settings. */
    public static String conflist(CniSettings s) {
        Map<String, Object> plugin = new LinkedHashMap<>();
        plugin.put("type", "lattice");
        plugin.put("mtu", s.mtu());
        if (!s.socket().toString().equals(CniSettings.DEFAULT_SOCKET)) {
            plugin.put("socket", s.socket().toString());
        }
        List<Object> plugins = new ArrayList<>();
        plugins.add(plugin);
        if (s.portmap()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("type", "portmap");
            pm.put("capabilities", Map.of("portMappings", true));
            pm.put("snat", true);
            plugins.add(pm);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cniVersion", "1.0.0");
        root.put("name", s.networkName());
        root.put("plugins", plugins);
        return Json.write(root) + "\n";
    }

    // ---- crash recovery ----

    private void recover() {
        for (Entry e : store.all()) {
            if (e.state() != State.PENDING) continue;
            Optional<PodNetworkDatapath> dp = selection.byName(e.attachment().datapath());
            if (dp.isEmpty()) {
                LOG.log(Level.WARNING, "CNI: half-made attachment {0} of datapath {1} found, which is not registered yet; "
                        + "its DEL or GC will remove it", e.key(), e.attachment().datapath());
                continue;
            }
            try {
                dp.get().detach(e.attachment());
                ipam.release(e.key());
                store.remove(e.key());
                LOG.log(Level.INFO, "CNI: rolled back the half-made attachment {0} (the agent stopped during its ADD)", e.key());
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "CNI: rolling back the half-made attachment " + e.key() + " failed: " + ex.getMessage(), ex);
            }
        }
        Set<Ipam.Key> known = new HashSet<>();
        store.all().forEach(e -> known.add(e.key()));
        for (Ipam.Key k : ipam.allocations().keySet()) {
            if (!known.contains(k)) {
                ipam.release(k);
                LOG.log(Level.INFO, "CNI: released the addresses of {0}: the agent stopped before its ADD went on", k);
            }
        }
    }

    // ---- socket ----

    private void listen() throws IOException {
        Path sock = settings.socket();
        Path dir = sock.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(sock, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(sock, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(sock, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(sock + " exists and is not a socket; remove it or set cni.socket");
            }
            Files.delete(sock); // a stale socket of a previous run
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-------"));
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4096), r -> {
                    Thread t = new Thread(r, "lattice-cni-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        running = true;
        acceptor = new Thread(this::acceptLoop, "lattice-cni-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.log(Level.INFO, "CNI: serving on {0}", sock);
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (running) LOG.log(Level.WARNING, "CNI: accept failed: " + e.getMessage());
                continue;
            }
            long accepted = System.nanoTime();
            try {
                workers.execute(() -> serve(ch, accepted));
            } catch (RejectedExecutionException e) {
                closeQuietly(ch); // the plugin reports "try again later"
            }
        }
    }

    private static final ThreadLocal<String> CURRENT_COMMAND = new ThreadLocal<>();

    private void serve(SocketChannel ch, long accepted) {
        CURRENT_COMMAND.remove();
        try (ch) {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
            while (true) {
                buf.clear();
                int r = ch.read(buf);
                if (r < 0) break;
                in.write(buf.array(), 0, r);
                if (in.size() > MAX_REQUEST) {
                    write(ch, new Response(1, error("1.0.0", new CniError(CniError.DECODING_FAILURE,
                            "request larger than " + MAX_REQUEST + " bytes"))));
                    return;
                }
            }
            write(ch, handle(in.toString(StandardCharsets.UTF_8)));
            String cmd = CURRENT_COMMAND.get();
            if (cmd != null) {
                timing.accept(cmd, System.nanoTime() - accepted);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "CNI: connection failed: {0}", e.getMessage());
        }
    }

    private static void write(SocketChannel ch, Response r) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((r.exit() + "\n" + r.body()).getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Stops serving (state and attachments stay). */
    @Override
    public synchronized void close() {
        running = false;
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                Files.deleteIfExists(settings.socket());
            } catch (IOException ignored) {
                // best effort
            }
        }
        if (workers != null) {
            workers.shutdown();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- requests ----

    /** A decoded request. */
    record Request(String command, String containerId, String netns, String ifName, String args,
                   Map<String, Object> config, String cniVersion) {
        Ipam.Key key() {
            return new Ipam.Key(containerId, ifName);
        }
    }

    /** Handles one wire request (JSON text) and returns the answer; public for tests and tools. */
    public Response handle(String requestText) {
        String version = "1.0.0";
        try {
            Request req = decode(requestText);
            version = req.cniVersion();
            long t0 = System.nanoTime();
            CURRENT_COMMAND.set(req.command());
            Response r = dispatch(req);
            LOG.log(Level.DEBUG, () -> "CNI " + req.command() + " " + req.containerId() + "/" + req.ifName() + " -> "
                    + r.exit() + " in " + (System.nanoTime() - t0) / 1000 + " us");
            return r;
        } catch (CniError e) {
            LOG.log(Level.INFO, "CNI: error {0}: {1} {2}", e.code(), e.getMessage(), e.details());
            return new Response(1, error(version, e));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "CNI: request failed unexpectedly", e);
            return new Response(1, error(version, new CniError(CniError.IO_FAILURE, "internal error in the agent: " + e)));
        }
    }

    static String error(String version, CniError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cniVersion", version);
        m.put("code", e.code());
        m.put("msg", e.getMessage());
        if (!e.details().isEmpty()) m.put("details", e.details());
        return Json.write(m) + "\n";
    }

    private static Request decode(String text) {
        Map<String, Object> root;
        try {
            root = Json.asObject(Json.parse(text));
        } catch (Json.ParseException e) {
            throw new CniError(CniError.DECODING_FAILURE, "cannot decode the request: " + e.getMessage());
        }
        if (root == null) throw new CniError(CniError.DECODING_FAILURE, "the request is not a JSON object");
        Map<String, Object> config = Json.asObject(root.get("config"));
        if (config == null) throw new CniError(CniError.DECODING_FAILURE, "the network configuration is not a JSON object");
        String version = Json.asString(config.get("cniVersion"));
        if (version == null) throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no string 'cniVersion'");
        String command = str(root, "command");
        Request req = new Request(command, str(root, "containerId"), str(root, "netns"), str(root, "ifName"),
                str(root, "args"), config, version);
        if (!SUPPORTED_VERSIONS.contains(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + version + " is not supported",
                    "supported: " + SUPPORTED_VERSIONS);
        }
        Object name = config.get("name");
        if (!(name instanceof String n) || n.isBlank()) {
            throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no 'name'");
        }
        Object mtu = config.get("mtu");
        if (mtu != null && !(mtu instanceof Number num && num.intValue() >= 576 && num.intValue() <= 65535)) {
            throw new CniError(CniError.INVALID_CONFIG, "'mtu' must be a number in 576..65535, got " + Json.write(mtu));
        }
        switch (command) {
            case "ADD", "CHECK", "DEL" -> {
                if (req.containerId().isEmpty()) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_CONTAINERID is not set");
                if (req.ifName().isEmpty()) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME is not set");
                if (!req.containerId().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                    throw new CniError(CniError.INVALID_ENVIRONMENT,
                            "CNI_CONTAINERID has characters other than letters, digits, '_', '.' and '-'");
                }
                String ifn = req.ifName();
                if (ifn.length() > 15 || ifn.equals(".") || ifn.equals("..") || ifn.chars().anyMatch(
                        c -> c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20)) {
                    throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME '" + ifn + "' is not a valid interface name");
                }
                if (!command.equals("DEL") && req.netns().isEmpty()) {
                    throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS is not set");
                }
            }
            case "GC", "STATUS" -> {
                if (!version.equals("1.1.0")) {
                    throw new CniError(CniError.INCOMPATIBLE_VERSION, command + " needs cniVersion 1.1.0, the configuration has "
                            + version);
                }
            }
            default -> throw new CniError(CniError.INVALID_ENVIRONMENT, "unknown CNI_COMMAND '" + command + "'");
        }
        if (command.equals("CHECK") && version.startsWith("0.3.")) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "CHECK needs cniVersion 0.4.0 or later");
        }
        return req;
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof String s ? s : "";
    }

    private Response dispatch(Request req) {
        if (req.command().equals("GC")) {
            gcLock.writeLock().lock();
            try {
                return gc(req);
            } finally {
                gcLock.writeLock().unlock();
            }
        }
        if (req.command().equals("STATUS")) {
            return status();
        }
        gcLock.readLock().lock();
        ReentrantLock lock = locks[Math.floorMod(req.key().hashCode(), locks.length)];
        lock.lock();
        try {
            return switch (req.command()) {
                case "ADD" -> add(req);
                case "DEL" -> del(req);
                default -> check(req);
            };
        } finally {
            lock.unlock();
            gcLock.readLock().unlock();
        }
    }

    private Response add(Request req) {
        Ipam.Key key = req.key();
        Optional<Entry> existing = store.get(key);
        if (existing.isPresent() && existing.get().state() == State.ATTACHED) {
            Attachment a = existing.get().attachment();
            if (!a.netnsPath().equals(req.netns())) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "container " + key + " is already attached in network namespace "
                        + a.netnsPath() + ", not " + req.netns() + "; DEL it first");
            }
            return new Response(0, result(req.cniVersion(), a));
        }
        PodNetworkSelection.Named<PodNetworkDatapath> active = selection.active().orElseThrow(() -> new CniError(
                CniError.TRY_AGAIN_LATER, "no pod network datapath is in force (podNetwork is none, or its bundle is not "
                + "installed or not started)"));
        if (existing.isPresent()) {
            rollback(existing.get()); // a half-made attempt of an earlier ADD
        }
        List<InterfaceAddress> addrs;
        try {
            addrs = ipam.allocate(key);
        } catch (IpamException e) {
            throw new CniError(e.exhausted() ? CniError.ADDRESSES_EXHAUSTED : CniError.TRY_AGAIN_LATER, e.getMessage());
        }
        Map<String, String> args = parseArgs(req.args());
        int mtu = req.config().get("mtu") instanceof Number n ? n.intValue() : settings.mtu();
        Attachment pending = new Attachment(req.containerId(), req.netns(), req.ifName(), active.name(), "", null, addrs,
                Map.of());
        try {
            store.put(new Entry(State.PENDING, pending));
        } catch (RuntimeException e) {
            ipam.release(key);
            throw new CniError(CniError.IO_FAILURE, e.getMessage());
        }
        Attachment made;
        try {
            made = active.plugin().attach(new AttachRequest(req.containerId(), req.netns(), req.ifName(),
                    args.getOrDefault("K8S_POD_NAMESPACE", ""), args.getOrDefault("K8S_POD_NAME", ""), addrs, mtu, args));
            if (!made.datapath().equals(active.name())) {
                made = new Attachment(made.containerId(), made.netnsPath(), made.ifName(), active.name(),
                        made.hostInterface(), made.podMac(), made.addresses(), made.details());
            }
        } catch (RuntimeException e) {
            // The datapath left nothing behind (its contract); release what the server holds.
            ipam.release(key);
            store.remove(key);
            throw datapathError("ADD", active.name(), e);
        }
        try {
            store.put(new Entry(State.ATTACHED, made));
        } catch (RuntimeException e) {
            safeDetach(active.plugin(), made);
            ipam.release(key);
            store.remove(key);
            throw new CniError(CniError.IO_FAILURE, e.getMessage());
        }
        LOG.log(Level.DEBUG, "CNI: attached {0} with {1} by {2}", key, addrs, active.name());
        return new Response(0, result(req.cniVersion(), made));
    }

    private void rollback(Entry e) {
        selection.byName(e.attachment().datapath()).ifPresent(dp -> safeDetach(dp, e.attachment()));
        ipam.release(e.key());
        store.remove(e.key());
    }

    private static void safeDetach(PodNetworkDatapath dp, Attachment a) {
        try {
            dp.detach(a);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "CNI: undoing attachment " + a.containerId() + "/" + a.ifName() + " failed: "
                    + ex.getMessage(), ex);
        }
    }

    private static CniError datapathError(String verb, String datapath, RuntimeException e) {
        boolean retriable = e instanceof DataplaneException d && d.retriable() && !(e instanceof IpamException);
        String msg = verb + " by datapath '" + datapath + "' failed: " + e.getMessage();
        return new CniError(retriable ? CniError.TRY_AGAIN_LATER : CniError.DATAPATH_FAILURE, msg,
                e.getCause() == null ? "" : String.valueOf(e.getCause()));
    }

    private Response del(Request req) {
        Ipam.Key key = req.key();
        Optional<Entry> e = store.get(key);
        if (e.isPresent()) {
            remove(e.get());
        } else {
            ipam.release(key); // an allocation without a record (crash window): nothing else exists
        }
        return new Response(0, "");
    }

    /** Detaches through the datapath that made it, releases its addresses and forgets it. */
    private void remove(Entry e) {
        Attachment a = e.attachment();
        Optional<PodNetworkDatapath> dp = selection.byName(a.datapath());
        if (dp.isPresent()) {
            try {
                dp.get().detach(a);
            } catch (RuntimeException ex) {
                throw datapathError("DEL", a.datapath(), ex);
            }
        } else {
            LOG.log(Level.WARNING, "CNI: datapath {0} that attached {1} is not registered any more; releasing its addresses "
                    + "(its interfaces go away with the pod''s network namespace)", a.datapath(), e.key());
        }
        ipam.release(e.key());
        store.remove(e.key());
        maybeCleanupRetired(a.datapath(), dp);
    }

    private void maybeCleanupRetired(String name, Optional<PodNetworkDatapath> dp) {
        if (dp.isEmpty() || store.countFor(name) > 0) return;
        boolean active = selection.active().map(n -> n.name().equals(name)).orElse(false);
        if (!active) {
            try {
                dp.get().cleanupNode();
                LOG.log(Level.INFO, "CNI: the last pod of retired datapath {0} is gone; cleaned up its node setup", name);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "CNI: cleanup of retired datapath " + name + " failed: " + ex.getMessage(), ex);
            }
        }
    }

    private Response check(Request req) {
        Ipam.Key key = req.key();
        Entry e = store.get(key).filter(x -> x.state() == State.ATTACHED).orElseThrow(() -> new CniError(
                CniError.UNKNOWN_CONTAINER, "container " + key + " is not attached to this network"));
        Attachment a = e.attachment();
        List<InterfaceAddress> held = ipam.lookup(key).orElse(List.of());
        if (!held.equals(a.addresses())) {
            throw new CniError(CniError.DATAPATH_FAILURE, "IPAM holds " + held + " for " + key + " but the attachment has "
                    + a.addresses());
        }
        PodNetworkDatapath dp = selection.byName(a.datapath()).orElseThrow(() -> new CniError(CniError.TRY_AGAIN_LATER,
                "datapath '" + a.datapath() + "' that attached " + key + " is not registered"));
        try {
            dp.check(a);
        } catch (RuntimeException ex) {
            throw new CniError(CniError.DATAPATH_FAILURE, "CHECK of " + key + " failed: " + ex.getMessage());
        }
        return new Response(0, "");
    }

    private Response gc(Request req) {
        Object raw = req.config().get(VALID_ATTACHMENTS);
        if (raw == null) {
            throw new CniError(CniError.INVALID_CONFIG, "GC needs '" + VALID_ATTACHMENTS + "' in the configuration");
        }
        List<Object> list = Json.asArray(raw);
        if (list == null) throw new CniError(CniError.INVALID_CONFIG, "'" + VALID_ATTACHMENTS + "' must be a list");
        Set<Ipam.Key> valid = new HashSet<>();
        for (Object o : list) {
            Map<String, Object> m = Json.asObject(o);
            String id = m == null ? null : Json.asString(m.get("containerID"));
            String ifn = m == null ? null : Json.asString(m.get("ifname"));
            if (id == null || ifn == null) {
                throw new CniError(CniError.INVALID_CONFIG, "each of '" + VALID_ATTACHMENTS + "' needs 'containerID' and 'ifname'");
            }
            valid.add(new Ipam.Key(id, ifn));
        }
        List<String> failures = new ArrayList<>();
        int removed = 0;
        for (Entry e : store.all()) {
            if (valid.contains(e.key())) continue;
            try {
                remove(e);
                removed++;
            } catch (CniError ex) {
                failures.add(e.key() + ": " + ex.getMessage());
            }
        }
        Set<Ipam.Key> keep = new HashSet<>(valid);
        store.all().forEach(e -> keep.add(e.key()));
        List<Ipam.Key> released = ipam.retainOnly(keep);
        LOG.log(Level.INFO, "CNI GC: removed {0} attachments, released {1} stray allocations", removed, released.size());
        if (!failures.isEmpty()) {
            throw new CniError(CniError.TRY_AGAIN_LATER, "GC could not remove " + failures.size() + " attachments",
                    String.join("; ", failures));
        }
        return new Response(0, "");
    }

    private Response status() {
        if (selection.active().isEmpty()) {
            throw new CniError(CniError.NOT_AVAILABLE, "no pod network datapath is in force");
        }
        try {
            if (ipam.podCidrs().isEmpty()) {
                throw new CniError(CniError.NOT_AVAILABLE, "no pod CIDR is known for this node yet");
            }
            List<dev.lattice.spi.net.IpPrefix> full = ipam.exhaustedPools();
            if (!full.isEmpty()) {
                throw new CniError(CniError.NOT_AVAILABLE, "no free pod address: " + full + " exhausted");
            }
        } catch (IpamException e) {
            throw new CniError(CniError.NOT_AVAILABLE, e.getMessage());
        }
        return new Response(0, "");
    }

    static Map<String, String> parseArgs(String args) {
        Map<String, String> m = new LinkedHashMap<>();
        if (args == null || args.isEmpty()) return m;
        for (String pair : args.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS: '" + pair + "' is not KEY=VALUE");
            }
            m.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return m;
    }

    /** The CNI result of an attachment, in the format of {@code version}. */
    static String result(String version, Attachment a) {
        boolean legacy = version.startsWith("0.");
        List<Object> ifaces = new ArrayList<>();
        if (!a.hostInterface().isEmpty()) {
            ifaces.add(Map.of("name", a.hostInterface()));
        }
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("name", a.ifName());
        if (a.podMac() != null) pod.put("mac", a.podMac().toString());
        pod.put("sandbox", a.netnsPath());
        int podIndex = ifaces.size();
        ifaces.add(pod);
        List<Object> ips = new ArrayList<>();
        List<Object> routes = new ArrayList<>();
        for (InterfaceAddress ia : a.addresses()) {
            Map<String, Object> ip = new LinkedHashMap<>();
            if (legacy) ip.put("version", ia.address().isIpv4() ? "4" : "6");
            ip.put("interface", podIndex);
            ip.put("address", ia.address() + "/" + ia.prefixLength());
            ip.put("gateway", ia.gateway().toString());
            ips.add(ip);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("dst", ia.address().isIpv4() ? "0.0.0.0/0" : "::/0");
            r.put("gw", ia.gateway().toString());
            routes.add(r);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cniVersion", version);
        root.put("interfaces", ifaces);
        root.put("ips", ips);
        root.put("routes", routes);
        root.put("dns", Map.of());
        return Json.write(root) + "\n";
    }

    /**
     * Observes how long each request served on the socket took in the agent, from accepting the
     * connection to having written the answer (command, nanoseconds); for benchmarks.
     */
    public void onTiming(java.util.function.BiConsumer<String, Long> observer) {
        timing = observer == null ? (c, n) -> { } : observer;
    }

    /** For tests: the recorded attachments. */
    public List<Attachment> attachments() {
        return store.all().stream().map(Entry::attachment).toList();
    }
}
