package dev.lattice.routing.bgp.fsm;

/** RFC 4271 section 8 session states. */
public enum State {
    IDLE("Idle"), CONNECT("Connect"), ACTIVE("Active"), OPEN_SENT("OpenSent"), OPEN_CONFIRM("OpenConfirm"),
    ESTABLISHED("Established");

    private final String rfcName;

    State(String rfcName) {
        this.rfcName = rfcName;
    }

    public String rfcName() {
        return rfcName;
    }
}
