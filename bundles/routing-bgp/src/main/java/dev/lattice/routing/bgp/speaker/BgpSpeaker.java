package dev.lattice.routing.bgp.speaker;

import dev.lattice.routing.bgp.fsm.Connection;
import dev.lattice.routing.bgp.fsm.Negotiated;
import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.fsm.Scheduler;
import dev.lattice.routing.bgp.fsm.Session;
import dev.lattice.routing.bgp.fsm.SessionListener;
import dev.lattice.routing.bgp.fsm.State;
import dev.lattice.routing.bgp.fsm.Transport;
import dev.lattice.routing.bgp.rib.Path;
import dev.lattice.routing.bgp.rib.PeerInfo;
import dev.lattice.routing.bgp.rib.PrefixTable;
import dev.lattice.routing.bgp.rib.Rib;
import dev.lattice.routing.bgp.transport.NettyTransport;
import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.BgpError;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Ipv4Nlri;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.MpReach;
import dev.lattice.routing.bgp.wire.MpUnreach;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.routing.bgp.wire.RawAttribute;
import dev.lattice.routing.bgp.wire.RouteRefresh;
import dev.lattice.routing.bgp.wire.Update;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.routing.NextHop;
import dev.lattice.spi.routing.Route;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A BGP speaker: sessions over netty, Adj-RIB-In per peer, the Loc-RIB, Adj-RIB-Out per peer with
 * export rules (eBGP/iBGP, route reflection RFC 4456, policy), graceful restart (RFC 4724) as
 * restarting and receiving speaker. All protocol and RIB work runs on one control thread; netty's
 * IO threads only frame bytes.
 */
public final class BgpSpeaker implements AutoCloseable {
    private static final Logger LOG = System.getLogger(BgpSpeaker.class.getName());
    private static final Set<Family> FAMILIES = Set.of(Family.IPV4_UNICAST, Family.IPV6_UNICAST);

    private final SpeakerConfig config;
    private final DefaultEventLoop control;
    private final NettyTransport transport;
    private final Scheduler scheduler;
    private final Rib rib;
    private final Map<IpAddress, PeerState> peers = new LinkedHashMap<>();
    /** {@link #peers}' values, refreshed whenever it changes. */
    private PeerState[] peerArray = new PeerState[0];
    private final Set<PeerState> dirty = new LinkedHashSet<>();
    private boolean flushScheduled;
    private volatile Runnable routesChanged = () -> {
    };
    private boolean learnedChanged;
    private int listenPort = -1;
    private boolean restarting;
    private Set<Prefix> originated = new LinkedHashSet<>();
    /** Originated prefixes that other cluster nodes are not sent (Service addresses). */
    private volatile Set<Prefix> externalOnly = Set.of();

    /** Per-peer state beyond the FSM. */
    final class PeerState {
        final PeerConfig cfg;
        final PeerInfo info;
        final Session session;
        final PrefixTable<OutRoute> adjOut = new PrefixTable<>();
        final Map<OutRoute, List<Prefix>> pendingAnnounce = new LinkedHashMap<>();
        final List<Prefix> pendingWithdraw = new ArrayList<>();
        final Map<Object, Path> pathCache = new HashMap<>();
        NettyTransport.NettyConnection conn;
        Negotiated neg;
        ScheduledFuture<?> staleTimer;
        boolean hasStale;

        PeerState(PeerConfig cfg) {
            this.cfg = cfg;
            this.info = new PeerInfo(cfg.name(), cfg.address(), cfg.localAs(), cfg.ibgp(), cfg.routeReflectorClient());
            this.session = new Session(cfg, config.routerId(), FAMILIES, scheduler, BgpSpeaker.this::connect,
                    listener);
        }
    }

    /** What we advertise to a peer for a prefix: attributes and, for MP_REACH, the next hop. */
    record OutRoute(PathAttributes attributes, IpAddress mpNextHop) {
    }

    public BgpSpeaker(SpeakerConfig config, ThreadFactory threads) {
        this.config = Objects.requireNonNull(config);
        ThreadFactory tf = threads != null ? threads : r -> {
            Thread t = new Thread(r, "bgp-io");
            t.setDaemon(true);
            return t;
        };
        this.control = new DefaultEventLoop(tf);
        this.transport = new NettyTransport(tf, 1);
        this.scheduler = new Scheduler() {
            @Override
            public Timer schedule(Runnable task, long delayMillis) {
                ScheduledFuture<?> f = control.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void execute(Runnable task) {
                control.execute(task);
            }

            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }
        };
        this.rib = new Rib(config.maxPaths(), 1024);
        this.rib.setListener(new Rib.Listener() {
            @Override
            public void bestChanged(Prefix prefix, Path[] oldBest, Path[] newBest) {
                BgpSpeaker.this.bestChanged(prefix, oldBest, newBest);
            }

            @Override
            public void bestChangedV4(long key, Object oldEntry, Object newEntry) {
                BgpSpeaker.this.bestChangedV4(key, oldEntry, newEntry);
            }
        });
    }

    public SpeakerConfig config() {
        return config;
    }

    /** Called (on the control thread) whenever the set of learned best routes changed. */
    public void onRoutesChanged(Runnable r) {
        routesChanged = r;
    }

    /** Starts listening (if configured). */
    public void start() throws Exception {
        if (config.listenPort() >= 0) {
            listenPort = transport.listen(config.listenAddress(), config.listenPort(), Map.of(), this::inbound);
            LOG.log(Level.INFO, "BGP: AS {0} router id {1} listening on port {2} ({3})", String.valueOf(config.localAs()),
                    PathAttributes.ipv4(config.routerId()), String.valueOf(listenPort), transport.epoll() ? "epoll" : "nio");
        }
    }

    public int listenPort() {
        return listenPort;
    }

    /** The next sessions announce the graceful-restart R bit: we restarted with forwarding kept. */
    public void setRestarting(boolean r) {
        call(() -> {
            restarting = r;
            return null;
        });
    }

    // ------------------------------------------------------------------ configuration

    /** Makes the configured peers exactly {@code wanted}: new ones start, removed ones stop. */
    public void setPeers(Collection<PeerConfig> wanted) {
        call(() -> {
            Map<IpAddress, PeerConfig> w = new LinkedHashMap<>();
            for (PeerConfig p : wanted) {
                w.put(p.address(), p);
            }
            for (PeerState ps : new ArrayList<>(peers.values())) {
                PeerConfig now = w.get(ps.cfg.address());
                if (now == null || !now.equals(ps.cfg)) {
                    removePeerNow(ps, "peer de-configured");
                }
            }
            for (PeerConfig p : w.values()) {
                if (!peers.containsKey(p.address())) {
                    PeerState ps = new PeerState(p);
                    peers.put(p.address(), ps);
                    rib.addPeer(ps.info);
                    ps.session.setRestarting(restarting);
                    ps.session.start();
                }
            }
            peerArray = peers.values().toArray(new PeerState[0]);
            updateMd5();
            return null;
        });
    }

    private void removePeerNow(PeerState ps, String reason) {
        ps.session.stop(reason);
        if (ps.staleTimer != null) {
            ps.staleTimer.cancel(false);
        }
        rib.removePeer(ps.info);
        peers.remove(ps.cfg.address());
        peerArray = peers.values().toArray(new PeerState[0]);
        dirty.remove(ps);
    }

    private void updateMd5() {
        Map<InetAddress, byte[]> keys = new HashMap<>();
        for (PeerState ps : peers.values()) {
            if (ps.cfg.md5Password() != null && !ps.cfg.md5Password().isEmpty()) {
                keys.put(ps.cfg.address().toInetAddress(), ps.cfg.md5Password().getBytes(StandardCharsets.US_ASCII));
            }
        }
        try {
            transport.setListenerMd5(keys);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "BGP: cannot set TCP MD5 keys on the listener: {0}", e.toString());
        }
    }

    /** Makes the locally originated prefixes exactly {@code prefixes}. */
    public void originate(Collection<Prefix> prefixes) {
        originate(prefixes, new int[0], new int[0]);
    }

    /** Likewise, with communities and large communities (triples) on every prefix. */
    public void originate(Collection<Prefix> prefixes, int[] communities, int[] largeCommunities) {
        originate(prefixes, Set.of(), communities, largeCommunities);
    }

    /**
     * Likewise; the prefixes of {@code prefixes} that are also in {@code forExternalPeersOnly}
     * are not sent to peers marked {@link PeerConfig#clusterNode()}.
     */
    public void originate(Collection<Prefix> prefixes, Set<Prefix> forExternalPeersOnly, int[] communities,
                          int[] largeCommunities) {
        call(() -> {
            Set<Prefix> onlyExternal = Set.copyOf(forExternalPeersOnly);
            Set<Prefix> changed = new LinkedHashSet<>(onlyExternal);
            changed.addAll(externalOnly);
            changed.removeIf(p -> onlyExternal.contains(p) && externalOnly.contains(p));
            externalOnly = onlyExternal;
            for (PeerState ps : peers.values()) {
                if (ps.cfg.clusterNode()) {
                    for (Prefix p : changed) { // a prefix moved between "everyone" and "external only"
                        queueExport(ps, p, rib.best(p));
                    }
                }
            }
            Set<Prefix> want = new LinkedHashSet<>(prefixes);
            for (Prefix p : originated) {
                if (!want.contains(p)) {
                    rib.withdraw(PeerInfo.LOCAL, p);
                }
            }
            PathAttributes attrs = new PathAttributes.Builder().origin(PathAttributes.ORIGIN_IGP)
                    .asPath(AsPath.EMPTY).communities(communities).largeCommunities(largeCommunities).build().intern();
            Path path = new Path(PeerInfo.LOCAL, attrs, null);
            for (Prefix p : want) {
                rib.announce(PeerInfo.LOCAL, p, path);
            }
            originated = want;
            scheduleFlush();
            return null;
        });
    }

    // ------------------------------------------------------------------ connections

    /**
     * The IO thread's events of one connection. Every event goes through one {@link PeerInbox}, so
     * the session sees them in the order they happened. {@code accepted}: an inbound connection,
     * given to the session when it becomes active (outbound ones through the connect callback).
     */
    private NettyTransport.ConnectionHandler handlerFor(PeerState ps, boolean accepted) {
        PeerInbox inbox = new PeerInbox(control);
        return new NettyTransport.ConnectionHandler() {
            @Override
            public void active(Connection c) {
                if (accepted) {
                    ((NettyTransport.NettyConnection) c).setTtl(ps.cfg.ttl());
                    inbox.submit(() -> ps.session.connected(c, false));
                }
            }

            @Override
            public void message(Connection c, byte[] msg, Runnable done) {
                inbox.submit(() -> {
                    try {
                        ps.session.received(c, msg);
                        if (!dirty.isEmpty() || learnedChanged) {
                            scheduleFlush();
                        }
                    } finally {
                        done.run();
                    }
                });
            }

            @Override
            public void decoded(Connection c, dev.lattice.routing.bgp.wire.Message m, Runnable done) {
                inbox.submit(() -> {
                    try {
                        ps.session.received(c, m);
                        if (!dirty.isEmpty() || learnedChanged) {
                            scheduleFlush();
                        }
                    } finally {
                        done.run();
                    }
                });
            }

            @Override
            public void framingError(Connection c, BgpError e) {
                inbox.submit(() -> ps.session.framingError(c, e));
            }

            @Override
            public void inactive(Connection c) {
                inbox.submit(() -> ps.session.closed(c));
            }
        };
    }

    private NettyTransport.ConnectionHandler inbound(IpAddress remote) {
        PeerState ps;
        synchronized (peers) {
            ps = call(() -> peers.get(remote));
        }
        if (ps == null) {
            return null;
        }
        return handlerFor(ps, true);
    }

    private void connect(PeerConfig peer, Transport.ConnectCallback cb) {
        PeerState ps = peers.get(peer.address());
        if (ps == null) {
            cb.failed(new IllegalStateException("peer removed"));
            return;
        }
        transport.connect(peer, handlerFor(ps, false), cb);
    }

    // ------------------------------------------------------------------ session events

    private final SessionListener listener = new SessionListener() {
        @Override
        public void established(Session s, Negotiated n) {
            PeerState ps = peers.get(s.peer().address());
            if (ps == null) {
                return;
            }
            ps.neg = n;
            ps.info.established(n.peerAs(), n.peerBgpId());
            ps.pathCache.clear();
            if (ps.staleTimer != null) {
                ps.staleTimer.cancel(false);
                ps.staleTimer = null;
            }
            if (ps.hasStale) {
                Map<Family, Boolean> fwd = n.peerCaps().gracefulRestartFamilies();
                for (Family f : FAMILIES) {
                    if (!n.peerCaps().gracefulRestart() || !Boolean.TRUE.equals(fwd.get(f))) {
                        rib.sweepStale(ps.info, f);
                    }
                }
                ps.staleTimer = control.schedule(() -> sweep(ps, null), config.stalePathSeconds(), TimeUnit.SECONDS);
            }
            ps.conn = findConnection(s);
            ps.adjOut.clear();
            // full table, then End-of-RIB per family
            rib.forEachBest((p, best) -> queueExport(ps, p, best));
            flushPeer(ps);
            for (Family f : n.families()) {
                s.send(Update.endOfRib(f));
            }
        }

        @Override
        public void update(Session s, Update u) {
            PeerState ps = peers.get(s.peer().address());
            if (ps != null) {
                receive(ps, u);
            }
        }

        @Override
        public void routeRefresh(Session s, RouteRefresh rr) {
            PeerState ps = peers.get(s.peer().address());
            if (ps == null) {
                return;
            }
            Family f = rr.family();
            LOG.log(Level.INFO, "BGP {0}: route refresh requested for {1}", ps.cfg.name(), f);
            rib.forEachBest((p, best) -> {
                if (p.family().equals(f)) {
                    ps.adjOut.remove(p);
                    queueExport(ps, p, best);
                }
            });
            flushPeer(ps);
            s.send(Update.endOfRib(f));
        }

        @Override
        public void down(Session s, boolean graceful, String reason) {
            PeerState ps = peers.get(s.peer().address());
            if (ps == null) {
                return;
            }
            Negotiated was = ps.neg;
            ps.neg = null;
            ps.conn = null;
            ps.adjOut.clear();
            ps.pendingAnnounce.clear();
            ps.pendingWithdraw.clear();
            ps.pathCache.clear();
            if (graceful) {
                ps.info.newGeneration();
                ps.hasStale = true;
                int restart = was != null && was.peerCaps().restartTime() > 0 ? was.peerCaps().restartTime() : 120;
                ps.staleTimer = control.schedule(() -> sweep(ps, null), restart, TimeUnit.SECONDS);
            } else {
                rib.clearPeer(ps.info);
                ps.hasStale = false;
            }
            scheduleFlush();
        }
    };

    private void sweep(PeerState ps, Family f) {
        int n = rib.sweepStale(ps.info, f);
        if (f == null) {
            ps.hasStale = false;
        }
        if (n > 0) {
            LOG.log(Level.INFO, "BGP {0}: removed {1} stale routes{2}", ps.cfg.name(), String.valueOf(n), f == null ? "" : " of " + f);
        }
        scheduleFlush();
    }

    private NettyTransport.NettyConnection findConnection(Session s) {
        return s.establishedConnection() instanceof NettyTransport.NettyConnection n ? n : null;
    }

    /** Processes one UPDATE from a peer into its Adj-RIB-In (and from there the Loc-RIB). */
    private void receive(PeerState ps, Update u) {
        PeerInfo src = ps.info;
        withdrawAll(src, u.withdrawn());
        if (u.mpUnreach() != null) {
            withdrawAll(src, u.mpUnreach().withdrawn());
        }
        Family eor = u.endOfRibFamily();
        if (eor != null) {
            if (ps.hasStale) {
                sweep(ps, eor);
            }
            return;
        }
        MpReach mp = u.mpReach();
        boolean mpUnicast = mp != null && mp.family().isUnicastIp();
        if (u.nlri().isEmpty() && (!mpUnicast || mp.nlri().isEmpty())) {
            return;
        }
        PathAttributes a = u.attributes();
        boolean reject = u.treatAsWithdraw() || loops(ps, a);
        if (reject) {
            withdrawAll(src, u.nlri());
            if (mpUnicast) {
                withdrawAll(src, mp.nlri());
            }
            return;
        }
        a = a.intern();
        boolean policy = !config.importPolicy().rules().isEmpty();
        importAll(ps, u.nlri(), a, null, policy);
        if (mpUnicast) {
            importAll(ps, mp.nlri(), a, mp.nextHopAddress(), policy);
        }
    }

    private void withdrawAll(PeerInfo src, List<Prefix> prefixes) {
        if (prefixes instanceof Ipv4Nlri v4) {
            rib.withdrawV4(src, v4.keys(), 0, v4.size());
            return;
        }
        for (Prefix p : prefixes) {
            rib.withdraw(src, p);
        }
    }

    private void importAll(PeerState ps, List<Prefix> prefixes, PathAttributes a, IpAddress mpNextHop, boolean policy) {
        if (prefixes.isEmpty()) {
            return;
        }
        PeerInfo src = ps.info;
        Path shared = policy ? null : path(ps, a, mpNextHop);
        if (shared != null && prefixes instanceof Ipv4Nlri v4) {
            rib.announceV4(src, v4.keys(), 0, v4.size(), shared);
            return;
        }
        for (Prefix p : prefixes) {
            if (!policy) {
                rib.announce(src, p, shared);
                continue;
            }
            PathAttributes pa = config.importPolicy().apply(p, a, ps.cfg.address().toString(), config.localAs());
            if (pa == null) {
                rib.withdraw(src, p);
            } else {
                rib.announce(src, p, path(ps, pa, mpNextHop));
            }
        }
    }

    private Path path(PeerState ps, PathAttributes a, IpAddress nh) {
        Object key = nh == null ? a : new OutRoute(a, nh);
        Path p = ps.pathCache.get(key);
        if (p == null) {
            p = new Path(ps.info, a, nh);
            ps.pathCache.put(key, p);
        }
        return p;
    }

    /** Loop detection: our AS in an eBGP path, our router ID or cluster ID in a reflected one. */
    private boolean loops(PeerState ps, PathAttributes a) {
        if (!ps.info.ibgp()) {
            return a.asPath().contains(config.localAs());
        }
        if (a.has(PathAttributes.ORIGINATOR_ID) && a.originatorId() == config.routerId()) {
            return true;
        }
        for (int c : a.clusterList()) {
            if (c == config.effectiveClusterId()) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ export

    /**
     * {@link #bestChanged} for IPv4. While a peer sends its table, its new best paths go back to no
     * one when it is the only established peer (nothing is exported to a path's source) and were
     * never advertised to it; likewise when it withdraws them. Then only the "learned routes
     * changed" flag is due, and no prefix or array is made for the prefix.
     */
    private void bestChangedV4(long key, Object oldEntry, Object newEntry) {
        Path newFirst = Rib.first(newEntry);
        for (PeerState ps : peerArray) {
            // queueExport would do nothing: no route to send (none, or the peer's own) and none sent before
            boolean nothingToSend = newFirst == null || newFirst.source() == ps.info;
            if (ps.neg != null && (!nothingToSend || ps.adjOut.getV4(key) != null)) {
                bestChanged(Prefix.fromV4Key(key), Rib.paths(oldEntry), Rib.paths(newEntry));
                return;
            }
        }
        Path oldFirst = Rib.first(oldEntry);
        if ((oldFirst != null && !oldFirst.source().isLocal()) || (newFirst != null && !newFirst.source().isLocal())) {
            learnedChanged = true;
        }
    }

    private void bestChanged(Prefix p, Path[] oldBest, Path[] newBest) {
        // called per prefix of a full table: an array, not an iterator over the map
        for (PeerState ps : peerArray) {
            if (ps.neg != null) {
                queueExport(ps, p, newBest);
            }
        }
        boolean learned = (oldBest.length > 0 && !oldBest[0].source().isLocal())
                || (newBest.length > 0 && !newBest[0].source().isLocal());
        if (learned) {
            learnedChanged = true;
        }
    }

    private void queueExport(PeerState ps, Prefix p, Path[] best) {
        OutRoute out = best.length == 0 ? null : export(ps, p, best[0]);
        OutRoute had = ps.adjOut.get(p);
        if (Objects.equals(out, had)) {
            return;
        }
        if (out == null) {
            ps.adjOut.remove(p);
            ps.pendingWithdraw.add(p);
        } else {
            ps.adjOut.put(p, out);
            ps.pendingAnnounce.computeIfAbsent(out, k -> new ArrayList<>()).add(p);
        }
        dirty.add(ps);
    }

    /** What to send a peer for a best path, or null not to advertise it. */
    OutRoute export(PeerState to, Prefix p, Path best) {
        PeerInfo src = best.source();
        if (src == to.info) {
            return null; // first: while a peer sends its table, each of its prefixes gets here
        }
        Negotiated n = to.neg;
        if (n == null || !n.families().contains(p.family())) {
            return null;
        }
        if (to.cfg.originatedOnly() && !src.isLocal()) {
            return null;
        }
        if (src.isLocal() && to.cfg.clusterNode() && externalOnly.contains(p)) {
            return null;
        }
        boolean toIbgp = to.info.ibgp();
        boolean reflected = false;
        if (!src.isLocal() && src.ibgp() && toIbgp) {
            // RFC 4456: from a client to everyone; from a non-client only to clients
            if (!src.rrClient() && !to.cfg.routeReflectorClient()) {
                return null;
            }
            reflected = true;
        }
        PathAttributes a = best.attributes();
        PathAttributes.Builder b = a.toBuilder().canonicalFlags();
        b.removeOthersIf(o -> !o.transitive());
        for (RawAttribute o : a.others()) {
            if (o.transitive() && o.type() != PathAttributes.EXTENDED_COMMUNITIES) {
                b.other(new RawAttribute(o.flags() | RawAttribute.PARTIAL, o.type(), o.value()));
            }
        }
        boolean self;
        if (!toIbgp) {
            b.asPath(a.asPath().prepend(to.cfg.localAs(), 1));
            b.remove(PathAttributes.LOCAL_PREF);
            if (!src.isLocal()) {
                b.remove(PathAttributes.MED);
            }
            b.remove(PathAttributes.ORIGINATOR_ID);
            b.remove(PathAttributes.CLUSTER_LIST);
            self = true;
        } else {
            if (!a.has(PathAttributes.LOCAL_PREF)) {
                b.localPref(100);
            }
            if (reflected) {
                b.originatorId(a.has(PathAttributes.ORIGINATOR_ID) ? a.originatorId() : src.bgpId());
                int[] cl = a.clusterList();
                int[] ncl = new int[cl.length + 1];
                ncl[0] = config.effectiveClusterId();
                System.arraycopy(cl, 0, ncl, 1, cl.length);
                b.clusterList(ncl);
            }
            self = src.isLocal() || (!src.ibgp() && config.nextHopSelf());
        }
        IpAddress nh = self ? selfNextHop(to, p.isV6()) : best.nextHop();
        if (nh == null) {
            return null;
        }
        IpAddress mpNh = null;
        if (p.isV6()) {
            if (nh.isIpv4()) {
                return null;
            }
            mpNh = nh;
            b.remove(PathAttributes.NEXT_HOP);
        } else {
            if (!nh.isIpv4()) {
                return null;
            }
            b.nextHop(SpeakerConfig.toInt(nh));
        }
        PathAttributes out = b.build();
        if (!config.exportPolicy().rules().isEmpty()) {
            out = config.exportPolicy().apply(p, out, to.cfg.address().toString(), to.cfg.localAs());
            if (out == null) {
                return null;
            }
        }
        return new OutRoute(out.intern(), mpNh);
    }

    private IpAddress selfNextHop(PeerState to, boolean v6) {
        IpAddress cfg = v6 ? config.nextHopV6() : config.nextHopV4();
        if (cfg != null) {
            return cfg;
        }
        IpAddress local = to.conn != null ? to.conn.localAddress() : null;
        if (local != null && local.isIpv4() != v6) {
            return local;
        }
        return null;
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            control.execute(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        for (PeerState ps : new ArrayList<>(dirty)) {
            flushPeer(ps);
        }
        dirty.clear();
        if (learnedChanged) {
            learnedChanged = false;
            routesChanged.run();
        }
    }

    /** Packs the peer's pending changes into UPDATEs of at most 4096 octets. */
    private void flushPeer(PeerState ps) {
        dirty.remove(ps);
        if (ps.neg == null) {
            ps.pendingAnnounce.clear();
            ps.pendingWithdraw.clear();
            return;
        }
        DecodeContext ctx = ps.neg.context();
        List<Prefix> w4 = new ArrayList<>();
        List<Prefix> w6 = new ArrayList<>();
        for (Prefix p : ps.pendingWithdraw) {
            (p.isV6() ? w6 : w4).add(p);
        }
        ps.pendingWithdraw.clear();
        sendChunks(ps, w4, 23, (chunk) -> Update.withdraw(chunk));
        sendChunks(ps, w6, 30, (chunk) -> new Update(List.of(), PathAttributes.EMPTY, List.of(), null,
                MpUnreach.of(Family.IPV6_UNICAST, chunk), List.of(), false, true));
        for (var e : ps.pendingAnnounce.entrySet()) {
            OutRoute o = e.getKey();
            List<Prefix> ps4 = e.getValue();
            if (o.mpNextHop() == null) {
                int base = MessageCodec.encode(Update.announce(o.attributes(), List.of()), ctx).length;
                sendChunks(ps, ps4, base, chunk -> Update.announce(o.attributes(), chunk));
            } else {
                Update empty = new Update(List.of(), o.attributes(), List.of(),
                        MpReach.of(Family.IPV6_UNICAST, o.mpNextHop(), List.of()), null, List.of(), false, true);
                int base = MessageCodec.encode(empty, ctx).length + 2;
                sendChunks(ps, ps4, base, chunk -> new Update(List.of(), o.attributes(), List.of(),
                        MpReach.of(Family.IPV6_UNICAST, o.mpNextHop(), chunk), null, List.of(), false, true));
            }
        }
        ps.pendingAnnounce.clear();
    }

    private void sendChunks(PeerState ps, List<Prefix> prefixes, int base,
                            java.util.function.Function<List<Prefix>, Update> make) {
        int i = 0;
        while (i < prefixes.size()) {
            int size = base;
            int j = i;
            while (j < prefixes.size() && size + prefixes.get(j).wireSize() <= MessageCodec.MAX_LENGTH) {
                size += prefixes.get(j).wireSize();
                j++;
            }
            ps.session.send(make.apply(new ArrayList<>(prefixes.subList(i, j))));
            i = j;
        }
    }

    // ------------------------------------------------------------------ queries

    /** The routes learned from peers that won the decision, as Lattice routes (ECMP included). */
    public List<Route> learnedRoutes() {
        return call(() -> {
            List<Route> out = new ArrayList<>();
            Set<IpAddress> own = new HashSet<>();
            if (config.nextHopV4() != null) {
                own.add(config.nextHopV4());
            }
            if (config.nextHopV6() != null) {
                own.add(config.nextHopV6());
            }
            rib.forEachBest((p, best) -> {
                if (best.length == 0 || best[0].source().isLocal()) {
                    return;
                }
                List<NextHop> hops = new ArrayList<>();
                Set<IpAddress> seen = new HashSet<>();
                for (Path path : best) {
                    IpAddress nh = path.nextHop();
                    if (nh.isIpv4() == !p.isV6() && !own.contains(nh) && seen.add(nh)) {
                        hops.add(NextHop.via(nh));
                    }
                }
                if (!hops.isEmpty()) {
                    out.add(new Route(p.toIpPrefix(), hops, 0));
                }
            });
            return out;
        });
    }

    /** One Loc-RIB entry for the admin API. */
    public record RibEntry(Prefix prefix, List<String> paths) {
    }

    public List<RibEntry> locRib() {
        return call(() -> {
            List<RibEntry> out = new ArrayList<>();
            rib.forEachBest((p, best) -> {
                List<String> s = new ArrayList<>();
                for (Path x : best) {
                    s.add(x.toString());
                }
                out.add(new RibEntry(p, s));
            });
            out.sort((a, b) -> a.prefix().compareTo(b.prefix()));
            return out;
        });
    }

    /** A peer's Adj-RIB-In. */
    public List<RibEntry> adjRibIn(IpAddress peer) {
        return call(() -> {
            List<RibEntry> out = new ArrayList<>();
            PeerState ps = peers.get(peer);
            if (ps != null) {
                rib.forEachAdjIn(ps.info, (p, path) -> out.add(new RibEntry(p, List.of(path.toString()))));
            }
            out.sort((a, b) -> a.prefix().compareTo(b.prefix()));
            return out;
        });
    }

    public int locRibSize() {
        return call(rib::locSize);
    }

    public List<PeerSnapshot> peers() {
        return call(() -> {
            List<PeerSnapshot> out = new ArrayList<>();
            for (PeerState ps : peers.values()) {
                Session s = ps.session;
                out.add(new PeerSnapshot(ps.cfg.name(), ps.cfg.address(),
                        s.negotiated() != null ? s.negotiated().peerAs() : ps.cfg.remoteAs(), s.state().rfcName(),
                        s.stateSinceMillis(), rib.adjInSize(ps.info), ps.adjOut.size(), s.updatesIn.get(),
                        s.updatesOut.get(), s.establishedTransitions.get(), s.lastError(),
                        ps.cfg.routeReflectorClient(),
                        s.negotiated() != null ? s.negotiated().families().toString() : ""));
            }
            return out;
        });
    }

    /** Asks every established peer to resend its routes (RFC 2918), e.g. after an import policy change. */
    public void refreshAll() {
        call(() -> {
            for (PeerState ps : peers.values()) {
                if (ps.session.state() == State.ESTABLISHED) {
                    for (Family f : ps.neg.families()) {
                        ps.session.requestRefresh(f);
                    }
                }
            }
            return null;
        });
    }

    <T> T call(Callable<T> c) {
        if (control.inEventLoop()) {
            try {
                return c.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return control.submit(c).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops every session. {@code graceful}: close the connections without NOTIFICATION so that
     * peers with graceful restart keep our routes while we restart (RFC 4724); otherwise send
     * Cease/Administrative Shutdown.
     */
    public void stop(boolean graceful) {
        try {
            call(() -> {
                for (PeerState ps : peers.values()) {
                    if (graceful) {
                        ps.session.stopForRestart();
                    } else {
                        ps.session.stop("Lattice BGP stopping");
                    }
                }
                return null;
            });
            Thread.sleep(100); // let the NOTIFICATIONs leave
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            transport.close();
            control.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        stop(false);
    }
}
