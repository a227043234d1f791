package dev.lattice.core.cni;

/** A CNI error result: the spec's code, a message and details. */
public final class CniError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Incompatible CNI version. */
    public static final int INCOMPATIBLE_VERSION = 1;
    /** Unsupported field in the network configuration. */
    public static final int UNSUPPORTED_FIELD = 2;
    /** Container unknown or does not exist. */
    public static final int UNKNOWN_CONTAINER = 3;
    /** Invalid necessary environment variables. */
    public static final int INVALID_ENVIRONMENT = 4;
    /** I/O failure. */
    public static final int IO_FAILURE = 5;
    /** Failed to decode content. */
    public static final int DECODING_FAILURE = 6;
    /** Invalid network config. */
    public static final int INVALID_CONFIG = 7;
    /** Try again later. */
    public static final int TRY_AGAIN_LATER = 11;
    /** STATUS: the plugin is not available (cannot serve ADD). */
    public static final int NOT_AVAILABLE = 50;
    /** Lattice: the pod CIDR has no free address. */
    public static final int ADDRESSES_EXHAUSTED = 100;
    /** Lattice: the datapath failed or CHECK found a difference. */
    public static final int DATAPATH_FAILURE = 101;

    private final int code;
    private final String details;

    public CniError(int code, String message, String details) {
        super(message);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    public CniError(int code, String message) {
        this(code, message, "");
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
