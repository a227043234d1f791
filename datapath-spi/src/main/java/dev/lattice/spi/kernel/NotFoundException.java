package dev.lattice.spi.kernel;

/** A {@link KernelException} for ENOENT, ENODEV, ESRCH or EADDRNOTAVAIL: the object named in the request does not exist. */
public class NotFoundException extends KernelException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String request, int errno, String detail) {
        super(request, errno, detail);
    }

    public NotFoundException(String request, int errno, String detail, Throwable cause) {
        super(request, errno, detail, cause);
    }
}
