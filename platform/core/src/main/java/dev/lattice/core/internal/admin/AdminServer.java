package dev.lattice.core.internal.admin;

import dev.lattice.core.ipam.Json;
import dev.lattice.core.selection.PluginSelection;
import dev.lattice.core.selection.SelectionStatus;
import dev.lattice.spi.telemetry.AdminResource;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricFamily.Sample;
import dev.lattice.spi.telemetry.MetricsSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The agent's local HTTP endpoint: {@code /healthz} (JSON, per component), {@code /metrics}
 * (Prometheus text) and {@code /selection} (JSON, the plugin in force per kind). Configured by
 * PID {@value #PID}: {@code address} (default 127.0.0.1) and {@code port} (default 9740). It
 * collects every {@link HealthIndicator} and {@link MetricsSource} service in the framework.
 * It registers no service itself (it would then depend on itself); its own health and metrics
 * are added to every report directly.
 */
@Component(service = {}, configurationPid = AdminServer.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class AdminServer implements HealthIndicator, MetricsSource {
    static final String PID = "dev.lattice.admin";
    static final String DEFAULT_ADDRESS = "127.0.0.1";
    static final int DEFAULT_PORT = 9740;
    private static final Logger LOG = System.getLogger(AdminServer.class.getName());

    // Whiteboards, kept up to date by SCR (field injection; the lists are thread-safe).
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.UPDATE)
    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.UPDATE)
    private final List<MetricsSource> sources = new CopyOnWriteArrayList<>();
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.UPDATE)
    private final List<PluginSelection> selections = new CopyOnWriteArrayList<>();
    private final List<AdminResource> resources = new CopyOnWriteArrayList<>();
    private final Instant started = Instant.now();
    private final AtomicInteger requests = new AtomicInteger();

    private EventLoopGroup group;
    private Channel channel;
    private volatile String bound = "";
    private volatile String bindError = "";
    private volatile String transport = "";
    private String version = "";
    /** Defaults when the configuration names none: framework properties, then 127.0.0.1:9740. */
    private String defaultAddress = DEFAULT_ADDRESS;
    private int defaultPort = DEFAULT_PORT;

    @Reference(service = AdminResource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addResource(AdminResource r) {
        if (!AdminResource.PATH.matcher(r.path()).matches()) {
            LOG.log(Level.WARNING, "ignoring admin resource with invalid path ''{0}''", r.path());
            return;
        }
        resources.add(r);
    }

    void removeResource(AdminResource r) {
        resources.remove(r);
    }

    /** The resource at {@code path} (under /plugins/), if a bundle serves one. */
    java.util.Optional<AdminResource> resource(String path) {
        return resources.stream().filter(r -> r.path().equals(path)).findFirst();
    }

    /** The paths served under /plugins/, for the 404 message. */
    List<String> resourcePaths() {
        return resources.stream().map(AdminResource::path).sorted().toList();
    }

    @Activate
    void activate(BundleContext ctx, Map<String, Object> props) {
        String v = ctx.getProperty("lattice.version");
        version = v != null ? v : ctx.getBundle().getVersion().toString();
        String a = ctx.getProperty("lattice.admin.address");
        if (a != null && !a.isBlank()) {
            defaultAddress = a.trim();
        }
        String p = ctx.getProperty("lattice.admin.port");
        if (p != null && !p.isBlank()) {
            defaultPort = Integer.parseInt(p.trim());
        }
        start(props);
    }

    @Modified
    void modified(Map<String, Object> props) {
        String wanted = address(props) + ":" + port(props);
        if (!wanted.equals(bound)) {
            stop();
            start(props);
        }
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    private String address(Map<String, Object> props) {
        Object a = props.get("address");
        return a == null || a.toString().isBlank() ? defaultAddress : a.toString().trim();
    }

    private int port(Map<String, Object> props) {
        Object p = props.get("port");
        if (p == null || p.toString().isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(p.toString().trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            LOG.log(Level.ERROR, "admin.port ''{0}'' is not a port number; using {1}", p, defaultPort);
            return defaultPort;
        }
    }

    private synchronized void start(Map<String, Object> props) {
        String address = address(props);
        int port = port(props);
        boolean epoll = Epoll.isAvailable();
        transport = epoll ? "epoll" : "nio";
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "lattice-admin");
            t.setDaemon(true);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(1, threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        AdminHandler handler = new AdminHandler(this);
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), handler);
                        }
                    })
                    .bind(new InetSocketAddress(address, port)).syncUninterruptibly().channel();
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            bound = address + ":" + local.getPort();
            bindError = "";
            LOG.log(Level.INFO, "admin endpoint on http://{0} (/healthz, /metrics, /selection, /plugins/...; transport {1})",
                    bound, transport);
        } catch (RuntimeException e) {
            bound = "";
            bindError = "cannot listen on " + address + ":" + port + ": " + e.getMessage()
                    + "; set admin.address/admin.port in lattice.yaml";
            LOG.log(Level.ERROR, bindError);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
        }
    }

    private synchronized void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        bound = "";
    }

    /** The address actually bound ({@code host:port}), empty when not listening. */
    String boundAddress() {
        return bound;
    }

    String healthJson() {
        return Json.writePretty(healthReport().toJsonMap(agentInfo()));
    }

    HealthReport healthReport() {
        List<HealthIndicator> all = new ArrayList<>(indicators);
        all.add(this);
        return HealthReport.of(all);
    }

    String metricsText() {
        List<MetricFamily> all = new ArrayList<>();
        for (MetricsSource s : sources) {
            try {
                List<MetricFamily> f = s.collect();
                if (f != null) {
                    all.addAll(f);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "metrics source " + s.getClass().getName() + " failed", e);
            }
        }
        all.addAll(collect());
        return PrometheusText.render(all);
    }

    String selectionJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PluginSelection s : selections) {
            SelectionStatus st = s.status();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("active", st.active());
            m.put("configured", st.configured());
            m.put("available", st.available());
            m.put("swaps", st.swaps());
            m.put("problem", st.problem());
            m.put("since", st.since().toString());
            out.put(st.kind().configKey(), m);
        }
        return Json.writePretty(out);
    }

    private Map<String, Object> agentInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        m.put("listen", bound);
        m.put("transport", transport);
        return m;
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    @Override
    public String component() {
        return "admin";
    }

    @Override
    public Health health() {
        if (!bindError.isEmpty()) {
            return Health.down(bindError);
        }
        return new Health(Health.Status.UP, "listening on " + bound, Map.of("transport", transport));
    }

    @Override
    public List<MetricFamily> collect() {
        HealthReport report = healthReport();
        List<Sample> health = new ArrayList<>();
        report.components.forEach((name, h) ->
                health.add(Sample.of(Map.of("component", name), h.status().ordinal())));
        return List.of(
                new MetricFamily("lattice_build_info", "Lattice version.", MetricFamily.Type.GAUGE,
                        List.of(Sample.of(Map.of("version", version), 1))),
                new MetricFamily("lattice_uptime_seconds", "Seconds since the admin endpoint started.",
                        MetricFamily.Type.GAUGE,
                        List.of(Sample.of(Map.of(), Duration.between(started, Instant.now()).toSeconds()))),
                new MetricFamily("lattice_component_health",
                        "Health per component: 0 up, 1 degraded, 2 down.", MetricFamily.Type.GAUGE, health),
                new MetricFamily("lattice_admin_requests_total", "Requests served by the admin endpoint.",
                        MetricFamily.Type.COUNTER, List.of(Sample.of(Map.of(), requests.get()))));
    }
}
