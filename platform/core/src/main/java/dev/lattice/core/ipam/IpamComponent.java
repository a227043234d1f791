package dev.lattice.core.ipam;

import dev.lattice.spi.net.IpPrefix;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * IPAM in the agent, configured by the {@code ipam:} section of lattice.yaml (PID
 * {@code dev.lattice.ipam}):
 * <ul>
 *   <li>{@code podCidrs}: the node's pod CIDRs (a list, or comma-separated), used until a
 *       {@link PodCidrSource} service (the cluster layer) is registered;</li>
 *   <li>{@code stateDir}: where {@code ipam.json} lives (default {@code /var/lib/lattice/ipam});</li>
 *   <li>{@code fsync}: fsync the state before renaming it into place (default true).</li>
 * </ul>
 */
@Component(service = IpamComponent.class, configurationPid = IpamComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class IpamComponent {
    public static final String PID = "dev.lattice.ipam";
    public static final String DEFAULT_STATE_DIR = "/var/lib/lattice/ipam";
    private static final System.Logger LOG = System.getLogger(IpamComponent.class.getName());

    private final List<PodCidrSource> sources = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile List<IpPrefix> configured = List.of();
    private volatile Ipam ipam;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(PodCidrSource source) {
        sources.add(0, source);
        podCidrsChanged();
    }

    void removeSource(PodCidrSource source) {
        sources.remove(source);
        podCidrsChanged();
    }

    @Activate
    void activate(Map<String, Object> config, org.osgi.framework.BundleContext context) {
        configured = parseCidrs(config.get("podCidrs"));
        Object stateDir = config.get("stateDir");
        // Defaults go under lattice.root when set (tests, the sandbox): see HostPaths.
        Path dir = stateDir != null ? Path.of(stateDir.toString())
                : dev.lattice.core.hostpaths.HostPaths.resolve(context, DEFAULT_STATE_DIR);
        boolean fsync = !"false".equalsIgnoreCase(String.valueOf(config.getOrDefault("fsync", "true")));
        ipam = new Ipam(dir.resolve("ipam.json"), this::currentCidrs, fsync);
        LOG.log(Level.INFO, "IPAM: pod CIDRs {0}, state {1}", currentCidrs(), ipam.stateFile());
    }

    @Modified
    void modified(Map<String, Object> config) {
        List<IpPrefix> next = parseCidrs(config.get("podCidrs"));
        if (!next.equals(configured)) {
            configured = next;
            LOG.log(Level.INFO, "IPAM: configured pod CIDRs now {0}", next);
            podCidrsChanged();
        }
    }

    /** The IPAM instance. */
    public Ipam ipam() {
        return ipam;
    }

    /** Called by a {@link PodCidrSource} whose CIDRs changed; tells the listeners (the CNI server). */
    public void podCidrsChanged() {
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "pod CIDR change listener failed", e);
            }
        }
    }

    /** Registers a callback for pod CIDR changes. */
    public void onPodCidrsChanged(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    List<IpPrefix> currentCidrs() {
        for (PodCidrSource s : sources) {
            List<IpPrefix> l = s.podCidrs();
            if (l != null && !l.isEmpty()) {
                return l;
            }
        }
        return configured;
    }

    /** Parses a list setting: a String[] or Collection, or a comma-separated string. */
    public static List<IpPrefix> parseCidrs(Object value) {
        List<String> raw = new ArrayList<>();
        if (value instanceof String[] a) {
            raw.addAll(Arrays.asList(a));
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> raw.add(String.valueOf(o)));
        } else if (value != null) {
            raw.addAll(Arrays.asList(String.valueOf(value).split(",")));
        }
        List<IpPrefix> out = new ArrayList<>();
        for (String s : raw) {
            String t = s.trim();
            if (t.isEmpty()) continue;
            try {
                out.add(IpPrefix.parse(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ipam.podCidrs: '" + t + "' is not a CIDR (" + e.getMessage() + ")", e);
            }
        }
        out.sort((x, y) -> x.family().compareTo(y.family()));
        Ipam.validate(out);
        return List.copyOf(out);
    }
}
