package dev.lattice.spi.plugin;

/**
 * A failure a plugin reports from a contract method. The message says what failed and what a
 * person can do about it (install a package, free an address, fix a setting). Throwing it means
 * the plugin left no half-applied change behind: either the whole change was applied, or the
 * previous state is still in force.
 */
public class DataplaneException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    public DataplaneException(String message) {
        this(message, null, true);
    }

    public DataplaneException(String message, Throwable cause) {
        this(message, cause, true);
    }

    /**
     * @param retriable whether the same call may succeed later without a change of configuration
     *                  (a busy resource) as opposed to needing a person (a missing kernel feature)
     */
    public DataplaneException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
