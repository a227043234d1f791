package dev.lattice.runtime;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One-line log records on stderr for the whole agent (System.Logger and JUL both end here). */
final class Logging {
    private Logging() {
    }

    /**
     * JUL resets (closes) its handlers in a shutdown hook of its own, which would swallow
     * everything logged while the agent stops. This manager ignores that reset; the JVM flushes
     * stderr at exit anyway. Installed by {@link #install()} before anything uses JUL.
     */
    public static final class KeepAliveLogManager extends LogManager {
        @Override
        public void reset() {
            if (resetAllowed) {
                super.reset();
            }
        }
    }

    private static volatile boolean resetAllowed = true;

    /** Must run first in main, before any logger exists. */
    static void install() {
        System.setProperty("java.util.logging.manager", KeepAliveLogManager.class.getName());
    }

    static void setUp(String level) {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tLZ %4$-7s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        resetAllowed = false;
        Logger root = Logger.getLogger("");
        Handler h = new ConsoleHandler();
        h.setFormatter(new SimpleFormatter());
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(julLevel(level));
        // Third-party libraries are noisy at debug; keep them at info unless asked.
        for (String lib : new String[] {"io.netty", "io.fabric8", "okhttp3", "jdk.internal.httpclient"}) {
            Logger.getLogger(lib).setLevel(Level.INFO);
        }
    }

    static Level julLevel(String level) {
        return switch (level == null ? "info" : level.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warning", "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            default -> Level.INFO;
        };
    }
}
