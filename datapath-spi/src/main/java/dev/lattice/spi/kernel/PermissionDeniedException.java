package dev.lattice.spi.kernel;

/** A {@link KernelException} for EPERM or EACCES: the agent lacks a capability (CAP_NET_ADMIN, CAP_SYS_ADMIN) or root. */
public class PermissionDeniedException extends KernelException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String request, int errno, String detail) {
        super(request, errno, detail);
    }

    public PermissionDeniedException(String request, int errno, String detail, Throwable cause) {
        super(request, errno, detail, cause);
    }
}
