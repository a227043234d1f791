package dev.lattice.spi.kernel;

/** A {@link KernelException} for EBUSY: the object is in use; the request may succeed later. */
public class BusyException extends KernelException {
    private static final long serialVersionUID = 1L;

    public BusyException(String request, int errno, String detail) {
        super(request, errno, detail);
    }

    public BusyException(String request, int errno, String detail, Throwable cause) {
        super(request, errno, detail, cause);
    }
}
