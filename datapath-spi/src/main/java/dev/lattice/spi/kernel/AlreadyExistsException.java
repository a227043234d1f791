package dev.lattice.spi.kernel;

/** A {@link KernelException} for EEXIST: the object to create exists already. */
public class AlreadyExistsException extends KernelException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String request, int errno, String detail) {
        super(request, errno, detail);
    }

    public AlreadyExistsException(String request, int errno, String detail, Throwable cause) {
        super(request, errno, detail, cause);
    }
}
