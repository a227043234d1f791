package dev.lattice.routing.bgp.wire;

/**
 * A protocol error that ends the session with a NOTIFICATION (RFC 4271 section 6). The code,
 * subcode and data are what goes into that NOTIFICATION.
 */
public final class BgpError extends Exception {
    private static final long serialVersionUID = 1L;

    // error codes (RFC 4271 4.5, RFC 7313)
    public static final int MESSAGE_HEADER = 1;
    public static final int OPEN_MESSAGE = 2;
    public static final int UPDATE_MESSAGE = 3;
    public static final int HOLD_TIMER_EXPIRED = 4;
    public static final int FSM = 5;
    public static final int CEASE = 6;
    public static final int ROUTE_REFRESH = 7;

    // message header subcodes
    public static final int CONNECTION_NOT_SYNCHRONIZED = 1;
    public static final int BAD_MESSAGE_LENGTH = 2;
    public static final int BAD_MESSAGE_TYPE = 3;
    // OPEN subcodes
    public static final int UNSUPPORTED_VERSION = 1;
    public static final int BAD_PEER_AS = 2;
    public static final int BAD_BGP_IDENTIFIER = 3;
    public static final int UNSUPPORTED_OPTIONAL_PARAMETER = 4;
    public static final int UNACCEPTABLE_HOLD_TIME = 6;
    public static final int UNSUPPORTED_CAPABILITY = 7;
    // UPDATE subcodes
    public static final int MALFORMED_ATTRIBUTE_LIST = 1;
    public static final int UNRECOGNIZED_WELL_KNOWN = 2;
    public static final int MISSING_WELL_KNOWN = 3;
    public static final int ATTRIBUTE_FLAGS = 4;
    public static final int ATTRIBUTE_LENGTH = 5;
    public static final int INVALID_ORIGIN = 6;
    public static final int INVALID_NEXT_HOP = 8;
    public static final int OPTIONAL_ATTRIBUTE = 9;
    public static final int INVALID_NETWORK_FIELD = 10;
    public static final int MALFORMED_AS_PATH = 11;
    // CEASE subcodes (RFC 4486)
    public static final int MAX_PREFIXES = 1;
    public static final int ADMIN_SHUTDOWN = 2;
    public static final int PEER_DECONFIGURED = 3;
    public static final int ADMIN_RESET = 4;
    public static final int CONNECTION_REJECTED = 5;
    public static final int OTHER_CONFIG_CHANGE = 6;
    public static final int CONNECTION_COLLISION = 7;
    public static final int OUT_OF_RESOURCES = 8;
    public static final int HARD_RESET = 9;

    private final int code;
    private final int subcode;
    private final byte[] data;

    public BgpError(int code, int subcode, String message) {
        this(code, subcode, new byte[0], message);
    }

    public BgpError(int code, int subcode, byte[] data, String message) {
        super(message, null, false, false);
        this.code = code;
        this.subcode = subcode;
        this.data = data == null ? new byte[0] : data;
    }

    public int code() {
        return code;
    }

    public int subcode() {
        return subcode;
    }

    public byte[] data() {
        return data.clone();
    }

    public Notification toNotification() {
        return new Notification(code, subcode, data);
    }

    /** A text name of a NOTIFICATION code/subcode pair, e.g. {@code UPDATE Message Error / Malformed AS_PATH}. */
    public static String describe(int code, int subcode) {
        String c;
        String s = "subcode " + subcode;
        switch (code) {
            case MESSAGE_HEADER -> {
                c = "Message Header Error";
                s = switch (subcode) {
                    case 1 -> "Connection Not Synchronized";
                    case 2 -> "Bad Message Length";
                    case 3 -> "Bad Message Type";
                    default -> s;
                };
            }
            case OPEN_MESSAGE -> {
                c = "OPEN Message Error";
                s = switch (subcode) {
                    case 1 -> "Unsupported Version Number";
                    case 2 -> "Bad Peer AS";
                    case 3 -> "Bad BGP Identifier";
                    case 4 -> "Unsupported Optional Parameter";
                    case 6 -> "Unacceptable Hold Time";
                    case 7 -> "Unsupported Capability";
                    case 11 -> "Role Mismatch";
                    default -> s;
                };
            }
            case UPDATE_MESSAGE -> {
                c = "UPDATE Message Error";
                s = switch (subcode) {
                    case 1 -> "Malformed Attribute List";
                    case 2 -> "Unrecognized Well-known Attribute";
                    case 3 -> "Missing Well-known Attribute";
                    case 4 -> "Attribute Flags Error";
                    case 5 -> "Attribute Length Error";
                    case 6 -> "Invalid ORIGIN Attribute";
                    case 8 -> "Invalid NEXT_HOP Attribute";
                    case 9 -> "Optional Attribute Error";
                    case 10 -> "Invalid Network Field";
                    case 11 -> "Malformed AS_PATH";
                    default -> s;
                };
            }
            case HOLD_TIMER_EXPIRED -> c = "Hold Timer Expired";
            case FSM -> c = "Finite State Machine Error";
            case CEASE -> {
                c = "Cease";
                s = switch (subcode) {
                    case 1 -> "Maximum Number of Prefixes Reached";
                    case 2 -> "Administrative Shutdown";
                    case 3 -> "Peer De-configured";
                    case 4 -> "Administrative Reset";
                    case 5 -> "Connection Rejected";
                    case 6 -> "Other Configuration Change";
                    case 7 -> "Connection Collision Resolution";
                    case 8 -> "Out of Resources";
                    case 9 -> "Hard Reset";
                    default -> s;
                };
            }
            case ROUTE_REFRESH -> c = "ROUTE-REFRESH Message Error";
            default -> c = "code " + code;
        }
        return c + " / " + s;
    }

    @Override
    public String toString() {
        return "BgpError(" + code + "/" + subcode + " " + describe(code, subcode) + ": " + getMessage() + ")";
    }
}
