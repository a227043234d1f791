package dev.lattice.spi.service;

/**
 * Session affinity of a service port.
 *
 * @param clientIp       whether requests from one client address stick to one endpoint
 * @param timeoutSeconds how long the stickiness lasts (Kubernetes defaults to 10800)
 */
public record SessionAffinity(boolean clientIp, int timeoutSeconds) {
    public static final SessionAffinity NONE = new SessionAffinity(false, 0);

    public SessionAffinity {
        if (clientIp && (timeoutSeconds < 1 || timeoutSeconds > 86400)) {
            throw new IllegalArgumentException("session affinity timeout " + timeoutSeconds
                    + " is outside 1..86400");
        }
    }
}
