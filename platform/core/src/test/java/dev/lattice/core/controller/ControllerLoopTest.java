package dev.lattice.core.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.MetricFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(30)
class ControllerLoopTest {
    private final ManualLoopClock clock = new ManualLoopClock();
    private static final LoopSettings SETTINGS = new LoopSettings(Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));

    /** A controller that records when each sync started (in clock millis) and can be scripted. */
    private final class Recorder implements Controller {
        final List<Long> starts = new ArrayList<>();
        final AtomicInteger cleanups = new AtomicInteger();
        Consumer<Integer> behaviour = n -> { };

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void sync() {
            starts.add(TimeUnit.NANOSECONDS.toMillis(clock.nanoTime()));
            behaviour.accept(starts.size());
        }

        @Override
        public void cleanup() {
            cleanups.incrementAndGet();
        }
    }

    private void advance(long millis) {
        clock.advance(Duration.ofMillis(millis));
    }

    @Test
    void runSyncsAtOnceThenEveryMaxInterval() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        assertEquals(Health.Status.DOWN, loop.health().health().status());
        loop.start();
        clock.runDue();
        assertEquals(List.of(0L), c.starts);
        assertEquals(Health.Status.UP, loop.health().health().status());
        advance(59_999);
        assertEquals(1, c.starts.size());
        advance(1);
        assertEquals(List.of(0L, 60_000L), c.starts);
        advance(120_000);
        assertEquals(List.of(0L, 60_000L, 120_000L, 180_000L), c.starts);
    }

    @Test
    void updatesCoalesceIntoOnePendingSync() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        loop.start();
        clock.runDue();
        for (int i = 0; i < 1000; i++) {
            loop.onUpdate();
        }
        assertTrue(loop.status().pending());
        assertEquals(1, clock.pendingTasks(), "one timer, however many updates");
        advance(999);
        assertEquals(1, c.starts.size(), "not before minInterval");
        advance(1);
        assertEquals(List.of(0L, 1000L), c.starts);
        advance(10_000);
        assertEquals(2, c.starts.size(), "nothing more until the periodic sync");
        assertEquals(1000, loop.status().updates());
    }

    @Test
    void anUpdateDuringASyncCausesExactlyOneMoreSync() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        c.behaviour = n -> {
            if (n == 1) {
                clock.elapse(Duration.ofMillis(300)); // the sync takes 300 ms...
                loop.onUpdate();                        // ...and changes arrive meanwhile
                loop.onUpdate();
            }
        };
        loop.start();
        clock.runDue();
        assertEquals(1, c.starts.size());
        assertTrue(loop.status().pending());
        advance(10_000);
        assertEquals(List.of(0L, 1000L), c.starts, "one more sync, minInterval after the first one started");
    }

    @Test
    void boundedFrequencyUnderAStreamOfUpdates() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        loop.start();
        clock.runDue();
        for (int t = 0; t < 10_000; t += 50) {
            loop.onUpdate();
            advance(50);
        }
        advance(1000);
        for (int i = 1; i < c.starts.size(); i++) {
            assertTrue(c.starts.get(i) - c.starts.get(i - 1) >= 1000, "syncs at least minInterval apart: " + c.starts);
        }
        assertEquals(11, c.starts.size(), c.starts::toString);
        assertEquals(List.of(0L, 1000L, 2000L), c.starts.subList(0, 3), "and as soon as the bound allows");
    }

    @Test
    void zeroMinIntervalStillCoalesces() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS.withMinInterval(Duration.ZERO), clock);
        loop.start();
        clock.runDue();
        loop.onUpdate();
        loop.onUpdate();
        loop.onUpdate();
        clock.runDue();
        assertEquals(2, c.starts.size());
    }

    @Test
    void failuresBackOffExponentiallyAndUpdatesDoNotShortenIt() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        c.behaviour = n -> {
            if (n <= 4) {
                throw new IllegalStateException("nft said no (" + n + ")");
            }
        };
        loop.start();
        clock.runDue();
        assertEquals(1, c.starts.size());
        Health h = loop.health().health();
        assertEquals(Health.Status.DEGRADED, h.status());
        assertTrue(h.message().contains("nft said no (1)"), h.message());
        loop.onUpdate();
        loop.onUpdate();
        advance(999);
        assertEquals(1, c.starts.size(), "updates wait for the backoff");
        advance(60_000);
        // failures at 0, retries after 1 s, 2 s, 4 s, 8 s; the 5th sync succeeds
        assertEquals(List.of(0L, 1000L, 3000L, 7000L, 15_000L), c.starts.subList(0, 5));
        assertEquals(Health.Status.UP, loop.health().health().status());
        assertEquals(0, loop.status().consecutiveFailures());
        assertEquals(4, loop.status().failures());
        // after a success the normal cadence resumes
        assertEquals(60_999L, clock.nanoTime() / 1_000_000);
        loop.onUpdate();
        clock.runDue();
        assertEquals(60_999L, c.starts.get(5), "minInterval has long passed: at once");
    }

    @Test
    void backoffIsCapped() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5)),
                clock);
        c.behaviour = n -> {
            throw new IllegalStateException("always");
        };
        loop.start();
        clock.runDue();
        advance(40_000);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < c.starts.size(); i++) {
            gaps.add(c.starts.get(i) - c.starts.get(i - 1));
        }
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L, 5000L), gaps.subList(0, 5));
    }

    @Test
    void heartbeatReportsAMissedInterval() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        List<Health> seenDuringSync = new ArrayList<>();
        c.behaviour = n -> {
            if (n == 2) {
                clock.elapse(Duration.ofSeconds(75)); // a sync that hangs past maxInterval + grace
                seenDuringSync.add(loop.health().health());
            }
        };
        loop.start();
        clock.runDue();
        // the scheduler falls silent: time passes, no task runs
        clock.elapse(Duration.ofSeconds(69));
        assertEquals(Health.Status.UP, loop.health().health().status());
        clock.elapse(Duration.ofSeconds(2));
        Health h = loop.health().health();
        assertEquals(Health.Status.DEGRADED, h.status());
        assertTrue(h.message().startsWith("missed its interval"), h.message());
        clock.runDue(); // the overdue periodic sync runs (and hangs)
        assertEquals(Health.Status.DEGRADED, seenDuringSync.get(0).status());
        assertTrue(seenDuringSync.get(0).message().contains("a sync has been running"), seenDuringSync.get(0).message());
        assertEquals(Health.Status.UP, loop.health().health().status(), "healthy again once it ended");
    }

    @Test
    void histogramRecordsSyncDurations() {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        c.behaviour = n -> clock.elapse(Duration.ofMillis(n == 1 ? 300 : 3));
        loop.start();
        clock.runDue();
        loop.onUpdate();
        advance(1000);
        ControllerMetrics metrics = new ControllerMetrics();
        metrics.add(loop);
        MetricFamily hist = metrics.collect().stream()
                .filter(f -> f.name().equals("lattice_controller_sync_duration_seconds")).findFirst().orElseThrow();
        assertEquals(MetricFamily.Type.HISTOGRAM, hist.type());
        double count = value(hist, "_count", null);
        double le5ms = value(hist, "_bucket", "0.005");
        double le500ms = value(hist, "_bucket", "0.5");
        double inf = value(hist, "_bucket", "+Inf");
        assertEquals(2, count);
        assertEquals(1, le5ms);
        assertEquals(2, le500ms);
        assertEquals(2, inf);
        assertEquals(0.303, value(hist, "_sum", null), 1e-9);
        assertTrue(metrics.collect().stream().anyMatch(f -> f.name().equals("lattice_controller_syncs_total")));
    }

    private static double value(MetricFamily f, String suffix, String le) {
        return f.samples().stream().filter(s -> s.suffix().equals(suffix)
                        && (le == null || le.equals(s.labels().get("le"))))
                .mapToDouble(MetricFamily.Sample::value).findFirst().orElseThrow();
    }

    @Test
    void cleanupStopsTheLoopThenCleansUp() throws Exception {
        Recorder c = new Recorder();
        ControllerLoop loop = new ControllerLoop(c, SETTINGS, clock);
        loop.start();
        clock.runDue();
        loop.stopAndCleanup();
        loop.onUpdate();
        advance(600_000);
        assertEquals(1, c.starts.size());
        assertEquals(1, c.cleanups.get());
        assertEquals(Health.Status.DOWN, loop.health().health().status());
    }

    @Test
    void systemClockRunsForReal() throws Exception {
        CountDownLatch twice = new CountDownLatch(2);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        Controller c = new Controller() {
            @Override
            public String name() {
                return "real";
            }

            @Override
            public void sync() throws Exception {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                Thread.sleep(5);
                concurrent.decrementAndGet();
                twice.countDown();
            }

            @Override
            public void cleanup() {
            }
        };
        ControllerLoop loop = new ControllerLoop(c, SETTINGS.withMinInterval(Duration.ofMillis(10)));
        loop.start();
        while (twice.getCount() == 2) {
            Thread.sleep(1);
        }
        for (int i = 0; i < 100; i++) {
            loop.onUpdate();
        }
        assertTrue(twice.await(5, TimeUnit.SECONDS));
        loop.stop();
        assertEquals(1, maxConcurrent.get());
        assertFalse(loop.status().running());
    }
}
