package dev.lattice.core.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a {@link ControllerLoop} syncs.
 *
 * @param minInterval    syncs start at least this far apart, however many updates arrive
 *                       (kube-proxy's {@code minSyncPeriod}); zero allows back-to-back syncs
 * @param maxInterval    a full sync runs at least this often even without updates (the
 *                       periodic {@code Run}; kube-proxy's {@code syncPeriod})
 * @param initialBackoff the wait before retrying a failed sync; doubled per consecutive failure
 * @param maxBackoff     the longest wait between retries
 * @param heartbeatGrace how late past {@code maxInterval} a sync may end before health reports
 *                       that the controller missed its interval
 */
public record LoopSettings(Duration minInterval, Duration maxInterval, Duration initialBackoff, Duration maxBackoff,
                           Duration heartbeatGrace) {
    public LoopSettings {
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(heartbeatGrace, "heartbeatGrace");
        if (minInterval.isNegative() || maxInterval.compareTo(minInterval) < 0 || maxInterval.isZero()) {
            throw new IllegalArgumentException("need 0 <= minInterval <= maxInterval and maxInterval > 0, got "
                    + minInterval + " and " + maxInterval);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff, got " + initialBackoff + " and "
                    + maxBackoff);
        }
        if (heartbeatGrace.isNegative()) {
            throw new IllegalArgumentException("heartbeatGrace is negative");
        }
    }

    /** 1 s minimum, 5 min periodic, backoff 1 s to 2 min, 30 s grace. */
    public static LoopSettings defaults() {
        return new LoopSettings(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(1),
                Duration.ofMinutes(2), Duration.ofSeconds(30));
    }

    public LoopSettings withMinInterval(Duration d) {
        return new LoopSettings(d, maxInterval, initialBackoff, maxBackoff, heartbeatGrace);
    }

    public LoopSettings withMaxInterval(Duration d) {
        return new LoopSettings(minInterval, d, initialBackoff, maxBackoff, heartbeatGrace);
    }

    public LoopSettings withBackoff(Duration initial, Duration max) {
        return new LoopSettings(minInterval, maxInterval, initial, max, heartbeatGrace);
    }

    public LoopSettings withHeartbeatGrace(Duration d) {
        return new LoopSettings(minInterval, maxInterval, initialBackoff, maxBackoff, d);
    }
}
