package dev.lattice.core.controller;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told: {@link #advance(Duration)} runs every task that falls due,
 * in time order, on the calling thread. For deterministic tests of loops (and of anything built
 * on {@link LoopClock}).
 */
public final class ManualLoopClock implements LoopClock {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    private final class Task implements Comparable<Task>, Timer {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            synchronized (ManualLoopClock.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Runnable task, long delayNanos) {
        Task t = new Task(now + Math.max(0, delayNanos), sequence++, task);
        if (!shutdown) {
            tasks.add(t);
        }
        return t;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        tasks.clear();
    }

    /** Moves time forward by {@code d}, running every task due on the way (at its due time). */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.due);
            }
            if (!next.cancelled) {
                next.body.run();
            }
        }
    }

    /**
     * Moves time forward without running any task: for a task that "takes" time (call it from
     * inside the task), or for a scheduler that fell silent.
     */
    public synchronized void elapse(Duration d) {
        now += d.toNanos();
    }

    /** Runs the tasks due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How many tasks are scheduled. */
    public synchronized int pendingTasks() {
        return tasks.size();
    }

    /** Nanoseconds until the next scheduled task, or -1 when none. */
    public synchronized long nanosToNextTask() {
        Task t = tasks.peek();
        return t == null ? -1 : t.due - now;
    }
}
