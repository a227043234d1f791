package dev.lattice.routing.bgp.speaker;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands one peer's connection events (messages, connects, closes) from the IO thread to the
 * control thread in arrival order, many per control-thread task: a full table is some 20,000
 * UPDATEs, and one task (queue lock, wake-up) per UPDATE cost more than decoding them. A task runs
 * at most {@link #BATCH} events and then yields, so timers and other peers still get their turn.
 */
final class PeerInbox implements Runnable {
    private static final Logger LOG = System.getLogger(PeerInbox.class.getName());
    static final int BATCH = 256;

    private final Executor control;
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    PeerInbox(Executor control) {
        this.control = control;
    }

    /** Queues an event; any thread. */
    void submit(Runnable event) {
        events.add(event);
        if (scheduled.compareAndSet(false, true)) {
            control.execute(this);
        }
    }

    /** Runs queued events on the control thread. */
    @Override
    public void run() {
        for (int i = 0; i < BATCH; i++) {
            Runnable e = events.poll();
            if (e == null) {
                break;
            }
            try {
                e.run();
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "BGP: connection event failed", ex);
            }
        }
        scheduled.set(false);
        // an event queued after the last poll saw scheduled still true: take it from here
        if (!events.isEmpty() && scheduled.compareAndSet(false, true)) {
            control.execute(this);
        }
    }
}
