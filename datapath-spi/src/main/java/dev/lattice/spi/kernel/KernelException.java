package dev.lattice.spi.kernel;

import dev.lattice.spi.plugin.DataplaneException;

/**
 * A kernel request failed. The message names the request (for example
 * {@code "RTM_NEWLINK veth ltk-a/ltk-b"}), the errno by name and number and, when the kernel
 * sent one, its extended-ack text. Common errnos have their own subclasses so that callers can
 * catch exactly the case they handle: {@link AlreadyExistsException}, {@link NotFoundException},
 * {@link BusyException}, {@link PermissionDeniedException}.
 */
public class KernelException extends DataplaneException {
    private static final long serialVersionUID = 1L;
    private final int errno;
    private final String request;

    public KernelException(String request, int errno, String detail) {
        this(request, errno, detail, null);
    }

    /** With the exception that caused it (e.g. an {@link java.io.IOException}). */
    public KernelException(String request, int errno, String detail, Throwable cause) {
        super(request + ": " + Errno.describe(errno) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"),
                cause, errno == Errno.EBUSY || errno == Errno.EAGAIN || errno == Errno.EINTR
                        || errno == Errno.ENOBUFS);
        this.errno = errno;
        this.request = request;
    }

    /** The positive errno, e.g. 17 for EEXIST; 0 when the failure was not a system call error. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code "EEXIST"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** What was asked of the kernel, e.g. {@code "RTM_NEWROUTE 10.0.0.0/24 table 254"}. */
    public String request() {
        return request;
    }

    /** The exception of the most specific type for {@code errno}. */
    public static KernelException of(String request, int errno, String detail) {
        return of(request, errno, detail, null);
    }

    /** {@link #of(String, int, String)} with a cause. */
    public static KernelException of(String request, int errno, String detail, Throwable cause) {
        return switch (errno) {
            case Errno.EEXIST -> new AlreadyExistsException(request, errno, detail, cause);
            case Errno.ENOENT, Errno.ENODEV, Errno.ESRCH, Errno.EADDRNOTAVAIL ->
                    new NotFoundException(request, errno, detail, cause);
            case Errno.EBUSY -> new BusyException(request, errno, detail, cause);
            case Errno.EPERM, Errno.EACCES -> new PermissionDeniedException(request, errno, detail, cause);
            default -> new KernelException(request, errno, detail, cause);
        };
    }
}
