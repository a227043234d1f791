package dev.lattice.routing.bgp.fsm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A controllable clock for FSM tests: tasks run when {@link #advance} passes their time. */
public final class ManualScheduler implements Scheduler {
    private long now;
    private long seq;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Timer {
        final long at;
        final long order;
        final Runnable r;
        boolean cancelled;

        Task(long at, Runnable r) {
            this.at = at;
            this.order = seq++;
            this.r = r;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Timer schedule(Runnable task, long delayMillis) {
        Task t = new Task(now + delayMillis, task);
        tasks.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public long nowMillis() {
        return now;
    }

    public void advance(long millis) {
        long end = now + millis;
        while (true) {
            Task next = tasks.stream().filter(t -> !t.cancelled && t.at <= end)
                    .min(Comparator.<Task>comparingLong(t -> t.at).thenComparingLong(t -> t.order)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = Math.max(now, next.at);
            next.r.run();
        }
        now = end;
    }
}
