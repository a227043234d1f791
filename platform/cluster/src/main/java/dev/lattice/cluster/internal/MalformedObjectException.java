package dev.lattice.cluster.internal;

/** An object the watch layer cannot understand; it is logged and skipped. */
final class MalformedObjectException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedObjectException(String message) {
        super(message);
    }

    MalformedObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
