package dev.lattice.core.internal.selection;

import dev.lattice.core.selection.SelectionStatus;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.plugin.PluginProperties;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricFamily.Sample;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Chooses the plugin of one kind from the registered providers and the configured preference,
 * and swaps plugins make-before-break: the new plugin is brought up with the current desired
 * state, the selector switches to it, then the old one is retired. If bringing up fails the old
 * plugin stays in force. A plugin whose bundle goes away while no other configured plugin is
 * available is not cleaned up: its kernel state keeps traffic flowing until it returns (a bundle
 * update) or another plugin takes over.
 *
 * <p>Everything runs under one lock, which also serialises desired-state calls to the plugin in
 * force, so a plugin never sees a sync after it was retired.
 */
public final class PluginSelector<T> {
    private static final Logger LOG = System.getLogger(PluginSelector.class.getName());

    private final PluginKind kind;
    private final PluginLifecycle<T> lifecycle;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Provider<T>> providers = new ArrayList<>();

    private List<String> preference = List.of();
    private boolean configured;
    private boolean closing;
    /** The provider in force; null with {@link #noneActive} false means nothing is in force yet. */
    private Provider<T> active;
    private boolean noneActive;
    private Instant since;
    private String problem = "";
    private String departed = "";
    private long swaps;
    private long swapFailures;
    private long syncErrors;

    PluginSelector(PluginKind kind, PluginLifecycle<T> lifecycle, Clock clock) {
        this.kind = kind;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.since = clock.instant();
    }

    public PluginKind kind() {
        return kind;
    }

    /** Sets the configured preference and re-selects. */
    void configure(List<String> names) {
        lock.lock();
        try {
            boolean changed = !configured || !names.equals(preference);
            preference = List.copyOf(names);
            configured = true;
            if (changed) {
                LOG.log(Level.INFO, "{0}: configured {1}", kind.id(), String.join(", ", names));
                reselect(null);
            }
        } finally {
            lock.unlock();
        }
    }

    void added(T instance, Map<String, ?> props) {
        Provider<T> p = Provider.of(instance, props);
        if (p.name().isEmpty()) {
            LOG.log(Level.WARNING, "{0}: ignoring a provider from bundle {1} without the {2} property",
                    kind.id(), p.bundle(), PluginProperties.NAME);
            return;
        }
        lock.lock();
        try {
            providers.add(p);
            LOG.log(Level.INFO, "{0}: plugin ''{1}'' registered (bundle {2})", kind.id(), p.name(), p.bundle());
            if (configured && !closing) {
                reselect(null);
            }
        } finally {
            lock.unlock();
        }
    }

    void removed(T instance, boolean frameworkStopping) {
        lock.lock();
        try {
            Provider<T> gone = null;
            for (Provider<T> p : providers) {
                if (p.instance() == instance) {
                    gone = p;
                }
            }
            if (gone == null) {
                return;
            }
            providers.remove(gone);
            LOG.log(Level.INFO, "{0}: plugin ''{1}'' unregistered (bundle {2})", kind.id(), gone.name(), gone.bundle());
            if (active != gone) {
                if (configured && !closing && !frameworkStopping) {
                    reselect(null); // refreshes the status text; the plugin in force stays
                }
                return;
            }
            if (closing || frameworkStopping) {
                // Agent shutdown: leave what the plugin programmed in place, as kube-proxy does.
                active = null;
                return;
            }
            // The plugin in force is leaving. It is still usable during this call, so a
            // replacement can be brought up first and the leaving one cleaned up after.
            reselect(gone);
        } finally {
            lock.unlock();
        }
    }

    /** Stops all re-selection: the agent is shutting down. Leaves programmed state in place. */
    void close() {
        lock.lock();
        try {
            closing = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code call} against the plugin in force under the selector's lock; returns empty when
     * none is in force. A failure is counted and rethrown.
     */
    <R> Optional<R> withActive(Function<T, R> call) {
        lock.lock();
        try {
            if (active == null) {
                return Optional.empty();
            }
            try {
                R result = call.apply(active.instance());
                return Optional.ofNullable(result);
            } catch (RuntimeException e) {
                syncErrors++;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the selector's lock (to update remembered desired state). */
    void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    Optional<T> byName(String name) {
        lock.lock();
        try {
            return best(name, null).map(Provider::instance);
        } finally {
            lock.unlock();
        }
    }

    Optional<Provider<T>> activeProvider() {
        lock.lock();
        try {
            return Optional.ofNullable(active);
        } finally {
            lock.unlock();
        }
    }

    private Optional<Provider<T>> best(String name, Provider<T> excluded) {
        return providers.stream()
                .filter(p -> p != excluded && p.name().equals(name))
                .min(Provider.PREFERENCE);
    }

    /**
     * The target: the first configured name that is {@code none} or has a provider. Returns
     * empty when no configured name can be satisfied.
     */
    private Optional<Target<T>> chooseTarget(Provider<T> excluded) {
        for (String name : preference) {
            if (PluginProperties.NONE.equals(name)) {
                return Optional.of(new Target<>(null));
            }
            Optional<Provider<T>> p = best(name, excluded);
            if (p.isPresent()) {
                return Optional.of(new Target<>(p.get()));
            }
        }
        return Optional.empty();
    }

    private record Target<T>(Provider<T> provider) {
        boolean none() {
            return provider == null;
        }
    }

    /** Re-selects; {@code leaving} is the provider in force when it is being unregistered. */
    private void reselect(Provider<T> leaving) {
        Optional<Target<T>> choice = chooseTarget(leaving);
        if (choice.isEmpty()) {
            String wanted = String.join(", ", preference);
            if (leaving != null) {
                departed = leaving.name();
                active = null;
                problem = "plugin '" + leaving.name() + "' went away (its bundle stopped, was updated or"
                        + " uninstalled) and no other configured plugin (" + wanted + ") is available;"
                        + " what it programmed stays in place until it returns or another plugin takes over";
                LOG.log(Level.WARNING, "{0}: {1}", kind.id(), problem);
            } else if (active != null || noneActive) {
                problem = "no bundle provides " + kind.id() + " plugin " + quoted(preference)
                        + " (available: " + availableText() + "); keeping '" + activeName() + "'";
                LOG.log(Level.ERROR, "{0}: {1}", kind.id(), problem);
            } else {
                problem = "waiting for " + kind.id() + " plugin " + quoted(preference)
                        + ": no bundle provides it (available: " + availableText() + ")";
                LOG.log(Level.WARNING, "{0}: {1}", kind.id(), problem);
            }
            return;
        }
        Target<T> target = choice.get();
        boolean same = target.none() ? noneActive : target.provider() == active;
        if (same) {
            problem = fallbackProblem();
            return;
        }
        String from = activeName();
        String to = target.none() ? PluginProperties.NONE : target.provider().name();
        // Make: the new plugin takes the current desired state while the old one still serves.
        if (!target.none()) {
            try {
                lifecycle.bringUp(target.provider().instance());
            } catch (Exception e) {
                swapFailures++;
                problem = "plugin '" + to + "' failed to take over: " + message(e)
                        + (from.isEmpty() ? "" : "; keeping '" + from + "'");
                LOG.log(Level.ERROR, kind.id() + ": " + problem, e);
                if (leaving != null) {
                    // The old one is leaving regardless; nothing is in force any more.
                    active = null;
                    noneActive = false;
                    departed = leaving.name();
                }
                return;
            }
        }
        Provider<T> old = active;
        active = target.provider();
        noneActive = target.none();
        since = clock.instant();
        if (!from.isEmpty()) {
            swaps++;
        }
        departed = "";
        problem = fallbackProblem();
        LOG.log(Level.INFO, "{0}: {1}", kind.id(), from.isEmpty()
                ? "selected '" + to + "'"
                : "swapped '" + from + "' -> '" + to + "'" + (leaving != null ? " because '" + from + "' went away" : ""));
        // Break: the old plugin removes what it programmed. Not when both carry the same name
        // (a newer registration of the same plugin): they own the same kernel objects, so the
        // old one's cleanup would undo what the new one just programmed.
        if (old != null && !old.name().equals(to)) {
            try {
                lifecycle.retire(old.instance());
            } catch (Exception e) {
                LOG.log(Level.WARNING, kind.id() + ": cleanup of the previous plugin '" + old.name()
                        + "' failed; run 'lattice cleanup' to remove what it left: " + message(e), e);
            }
        }
    }

    private String fallbackProblem() {
        String name = activeName();
        if (!preference.isEmpty() && !preference.get(0).equals(name)) {
            return "running fallback '" + name + "': " + kind.id() + " plugin '" + preference.get(0)
                    + "' is not available";
        }
        return "";
    }

    private String activeName() {
        if (noneActive) {
            return PluginProperties.NONE;
        }
        return active == null ? "" : active.name();
    }

    private String availableText() {
        TreeSet<String> names = new TreeSet<>();
        providers.forEach(p -> names.add(p.name()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String quoted(List<String> names) {
        return names.size() == 1 ? "'" + names.get(0) + "'" : "any of " + names;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public SelectionStatus status() {
        lock.lock();
        try {
            TreeSet<String> names = new TreeSet<>();
            providers.forEach(p -> names.add(p.name()));
            return new SelectionStatus(kind, preference, activeName(), List.copyOf(names), swaps, problem, since);
        } finally {
            lock.unlock();
        }
    }

    public Health health() {
        SelectionStatus s = status();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("configured", String.join(", ", s.configured()));
        details.put("active", s.active().isEmpty() ? "(none yet)" : s.active());
        details.put("available", String.join(", ", s.available()));
        details.put("swaps", Long.toString(s.swaps()));
        details.put("since", s.since().toString());
        if (!departed.isEmpty()) {
            details.put("departed", departed);
        }
        if (s.problem().isEmpty() && !s.active().isEmpty()) {
            return new Health(Health.Status.UP, "using '" + s.active() + "'", details);
        }
        return new Health(Health.Status.DEGRADED, s.problem(), details);
    }

    public List<MetricFamily> metrics() {
        SelectionStatus s = status();
        long failures;
        long errors;
        lock.lock();
        try {
            failures = swapFailures;
            errors = syncErrors;
        } finally {
            lock.unlock();
        }
        Map<String, String> k = Map.of("kind", kind.id());
        List<Sample> selected = new ArrayList<>();
        if (!s.active().isEmpty()) {
            selected.add(Sample.of(Map.of("kind", kind.id(), "plugin", s.active()), 1));
        }
        List<Sample> available = new ArrayList<>();
        for (String name : s.available()) {
            available.add(Sample.of(Map.of("kind", kind.id(), "plugin", name), 1));
        }
        return List.of(
                new MetricFamily("lattice_plugin_selected", "The plugin in force per kind (1 per kind).",
                        MetricFamily.Type.GAUGE, selected),
                new MetricFamily("lattice_plugin_available", "Registered plugins per kind.",
                        MetricFamily.Type.GAUGE, available),
                new MetricFamily("lattice_plugin_swaps_total", "Completed make-before-break plugin swaps.",
                        MetricFamily.Type.COUNTER, List.of(Sample.of(k, s.swaps()))),
                new MetricFamily("lattice_plugin_swap_failures_total",
                        "Swaps abandoned because the new plugin failed to take over.",
                        MetricFamily.Type.COUNTER, List.of(Sample.of(k, failures))),
                new MetricFamily("lattice_plugin_sync_errors_total",
                        "Desired-state calls the plugin in force failed.",
                        MetricFamily.Type.COUNTER, List.of(Sample.of(k, errors))));
    }
}
