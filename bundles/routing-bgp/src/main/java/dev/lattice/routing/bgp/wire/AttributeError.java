package dev.lattice.routing.bgp.wire;

/**
 * An error in one path attribute that RFC 7606 handles without resetting the session.
 *
 * @param type    the attribute type code
 * @param action  what was done
 * @param subcode the UPDATE Message Error subcode RFC 4271 would have sent
 * @param reason  for people
 */
public record AttributeError(int type, Action action, int subcode, String reason) {
    /** RFC 7606 approaches. */
    public enum Action { TREAT_AS_WITHDRAW, ATTRIBUTE_DISCARD }
}
