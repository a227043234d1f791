package dev.lattice.core.controller;

import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricsSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Controller}: kube-router's loop shape on a bounded-frequency runner.
 * <ul>
 * <li>{@link #start()} - {@code Run}: a first sync at once, then a full sync at least every
 * {@code maxInterval};</li>
 * <li>{@link #onUpdate()} - {@code OnUpdate}: asks for a sync soon. Requests coalesce: however
 * many arrive, at most one sync is pending, and syncs start at least {@code minInterval} apart.
 * A request during a sync causes exactly one more sync after it;</li>
 * <li>{@code Sync} - {@link Controller#sync()}, on the loop's thread, never concurrently;</li>
 * <li>a failed sync is retried after a backoff that doubles per consecutive failure up to
 * {@code maxBackoff} (updates do not shorten it); a success resets it;</li>
 * <li>{@link #stopAndCleanup()} - {@code Cleanup}: stops the loop, then {@link Controller#cleanup()}.</li>
 * </ul>
 * {@link #health()} is a heartbeat: DEGRADED when the last sync failed or when no sync ended
 * within {@code maxInterval + heartbeatGrace}; {@link #metrics()} has the sync-duration
 * histogram and counters. Thread-safe.
 */
public final class ControllerLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControllerLoop.class.getName());

    private final Controller controller;
    private final LoopSettings settings;
    private final LoopClock clock;
    private final DurationHistogram durations = new DurationHistogram(DurationHistogram.DEFAULT_BUCKETS);
    private final HealthIndicator health = new LoopHealth();
    private final MetricsSource metrics = () -> ControllerMetrics.families(List.of(this));

    // all guarded by this
    private boolean started;
    private boolean stopped;
    private boolean running;
    private boolean pending;
    private long startedAt;
    private long lastStart = Long.MIN_VALUE;
    private long lastEnd = Long.MIN_VALUE;
    private long lastSuccess = Long.MIN_VALUE;
    private long backoffUntil = Long.MIN_VALUE;
    private int consecutiveFailures;
    private String lastError = "";
    private long successes;
    private long failures;
    private long requests;
    private LoopClock.Timer timer;
    private long timerDue;

    /** A loop on the system clock with its own thread. */
    public ControllerLoop(Controller controller, LoopSettings settings) {
        this(controller, settings, LoopClock.system(controller.name()));
    }

    public ControllerLoop(Controller controller, LoopSettings settings, LoopClock clock) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String name() {
        return controller.name();
    }

    public LoopSettings settings() {
        return settings;
    }

    /** {@code Run}: starts the loop with an immediate full sync. Idempotent. */
    public synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        startedAt = clock.nanoTime();
        pending = true;
        scheduleAt(startedAt);
    }

    /** {@code OnUpdate}: requests a sync; coalesced and rate-limited. Never blocks. */
    public synchronized void onUpdate() {
        requests++;
        if (!started || stopped) {
            return;
        }
        pending = true;
        if (!running) {
            scheduleAt(earliestAllowed());
        }
    }

    /** Stops the loop: no new syncs; a running one finishes first. Idempotent. */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
        clock.shutdown();
    }

    /** {@code Cleanup}: stops the loop, then removes what the controller programmed. */
    public void stopAndCleanup() throws Exception {
        stop();
        controller.cleanup();
    }

    @Override
    public void close() {
        stop();
    }

    /** The loop's heartbeat health, component {@code controller.<name>}. */
    public HealthIndicator health() {
        return health;
    }

    /** This loop's metrics alone (use {@link ControllerMetrics} to expose several loops). */
    public MetricsSource metrics() {
        return metrics;
    }

    /** A consistent view of the loop's state. */
    public synchronized Status status() {
        long now = clock.nanoTime();
        return new Status(started, stopped, running, pending, successes, failures, consecutiveFailures, lastError,
                requests, lastEnd == Long.MIN_VALUE ? null : Duration.ofNanos(now - lastEnd),
                timer == null ? null : Duration.ofNanos(Math.max(0, timerDue - now)));
    }

    /**
     * The loop's state.
     *
     * @param started             whether {@link #start()} was called
     * @param stopped             whether it was stopped
     * @param running             whether a sync is running now
     * @param pending             whether a sync was requested and has not started
     * @param successes           successful syncs
     * @param failures            failed syncs
     * @param consecutiveFailures failures since the last success
     * @param lastError           the last failure's message (empty after a success)
     * @param updates             {@link #onUpdate()} calls
     * @param sinceLastSync       time since the last sync ended (null before the first)
     * @param nextSyncIn          time until the next scheduled sync (null when none)
     */
    public record Status(boolean started, boolean stopped, boolean running, boolean pending, long successes,
                         long failures, int consecutiveFailures, String lastError, long updates,
                         Duration sinceLastSync, Duration nextSyncIn) {
    }

    DurationHistogram durations() {
        return durations;
    }

    // ---- scheduling -----------------------------------------------------------------------

    private long earliestAllowed() {
        return earliestAllowed(clock.nanoTime());
    }

    private long earliestAllowed(long now) {
        long t = now;
        if (lastStart != Long.MIN_VALUE) {
            t = Math.max(t, lastStart + settings.minInterval().toNanos());
        }
        if (backoffUntil != Long.MIN_VALUE) {
            t = Math.max(t, backoffUntil);
        }
        return t;
    }

    /** Makes sure a run is scheduled no later than {@code due}. */
    private void scheduleAt(long due) {
        if (stopped) {
            return;
        }
        if (timer != null) {
            if (timerDue - due <= 0) {
                return;
            }
            timer.cancel();
        }
        timerDue = due;
        timer = clock.schedule(this::runOnce, due - clock.nanoTime());
    }

    private void runOnce() {
        synchronized (this) {
            timer = null;
            if (stopped || running) {
                return;
            }
            long now = clock.nanoTime();
            long allowed = earliestAllowed(now);
            if (allowed - now > 0) {
                // woke early (e.g. a periodic timer and a backoff crossed): wait for the bound
                scheduleAt(allowed);
                return;
            }
            running = true;
            pending = false;
            lastStart = now;
        }
        long t0 = clock.nanoTime();
        Exception error = null;
        try {
            controller.sync();
        } catch (Exception e) {
            error = e;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // e.g. a NoClassDefFoundError after a bundle went away: a failed sync, not a dead loop
            error = new RuntimeException(e.toString(), e);
        }
        long t1 = clock.nanoTime();
        durations.observe((t1 - t0) / 1e9);
        synchronized (this) {
            running = false;
            lastEnd = t1;
            if (error == null) {
                successes++;
                consecutiveFailures = 0;
                lastError = "";
                lastSuccess = t1;
                backoffUntil = Long.MIN_VALUE;
            } else {
                failures++;
                consecutiveFailures++;
                lastError = error.getMessage() == null ? error.toString() : error.getMessage();
                long backoff = backoffNanos(consecutiveFailures);
                backoffUntil = t1 + backoff;
                LOG.log(consecutiveFailures == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "controller {0}: sync failed ({1} in a row), retrying in {2} ms: {3}", name(),
                        consecutiveFailures, TimeUnit.NANOSECONDS.toMillis(backoff), lastError);
                pending = true; // a failed sync is retried: the desired state is still not applied
            }
            if (stopped) {
                return;
            }
            if (pending) {
                scheduleAt(earliestAllowed());
            } else {
                scheduleAt(lastStart + settings.maxInterval().toNanos());
            }
        }
    }

    private long backoffNanos(int failuresInARow) {
        long initial = settings.initialBackoff().toNanos();
        long max = settings.maxBackoff().toNanos();
        long b = initial;
        for (int i = 1; i < failuresInARow && b < max; i++) {
            b = b > max / 2 ? max : b * 2;
        }
        return Math.min(b, max);
    }

    // ---- health ------------------------------------------------------------------------------

    private final class LoopHealth implements HealthIndicator {
        @Override
        public String component() {
            return "controller." + name();
        }

        @Override
        public Health health() {
            synchronized (ControllerLoop.this) {
                long now = clock.nanoTime();
                Map<String, String> details = new LinkedHashMap<>();
                details.put("successes", Long.toString(successes));
                details.put("failures", Long.toString(failures));
                details.put("consecutiveFailures", Integer.toString(consecutiveFailures));
                if (lastEnd != Long.MIN_VALUE) {
                    details.put("lastSyncSecondsAgo", seconds(now - lastEnd));
                }
                if (!started) {
                    return new Health(Health.Status.DOWN, "not started", details);
                }
                if (stopped) {
                    return new Health(Health.Status.DOWN, "stopped", details);
                }
                long limit = settings.maxInterval().toNanos() + settings.heartbeatGrace().toNanos();
                long reference = lastEnd == Long.MIN_VALUE ? startedAt : lastEnd;
                if (now - reference > limit) {
                    String what = running ? "a sync has been running for " + seconds(now - lastStart) + " s"
                            : lastEnd == Long.MIN_VALUE ? "no sync ran since the start " + seconds(now - startedAt)
                            + " s ago" : "the last sync ended " + seconds(now - lastEnd) + " s ago";
                    return new Health(Health.Status.DEGRADED, "missed its interval: " + what + "; a sync is due every "
                            + seconds(settings.maxInterval().toNanos()) + " s", details);
                }
                if (consecutiveFailures > 0) {
                    return new Health(Health.Status.DEGRADED, "last sync failed (" + consecutiveFailures
                            + " in a row): " + lastError, details);
                }
                if (lastSuccess == Long.MIN_VALUE) {
                    return new Health(Health.Status.UP, "first sync pending", details);
                }
                return new Health(Health.Status.UP, "in sync", details);
            }
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
