package dev.lattice.kernel.netlink;

import dev.lattice.kernel.sys.Native;
import dev.lattice.spi.kernel.Errno;
import dev.lattice.spi.kernel.KernelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A netlink socket speaking to the kernel: requests with acknowledgements, multi-part dumps and
 * pipelined batches. The socket lives in the network namespace of the thread that opened it.
 * Request methods are synchronized: one exchange at a time per socket.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int RX_SIZE = 64 * 1024;
    private static final int MSG_TRUNC = 0x20;
    private static final int MAX_DUMP_RETRIES = 5;
    /** Requests per system call in a batch (about 80 KB of routes; the send buffer is 4 MB). */
    private static final int BATCH_CHUNK = 1024;

    private final Native sys = Native.get();
    private final int fd;
    private final int protocol;
    private final NlBuilder tx = new NlBuilder(16 * 1024);
    private Pointer txPtr;
    private ByteBuffer txBuf;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(RX_SIZE).order(ByteOrder.nativeOrder());
    private final Pointer rxPtr = Native.pointer(rx);
    private int seq = (int) (System.nanoTime() & 0x3fffffff);
    private volatile boolean closed;

    /** Visits one received message; {@code payload} is the offset after the netlink header. */
    @FunctionalInterface
    public interface Handler {
        void message(ByteBuffer buf, int type, int flags, int payload, int end);
    }

    private NetlinkSocket(int fd, int protocol) {
        this.fd = fd;
        this.protocol = protocol;
    }

    /**
     * Opens a socket of {@code protocol} in the calling thread's namespace, subscribed to the
     * legacy multicast {@code groups} bit mask (0 for none).
     */
    public static NetlinkSocket open(int protocol, int groups, int receiveTimeoutMillis) {
        Native sys = Native.get();
        int fd = sys.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw KernelException.of("socket(AF_NETLINK, " + protocol + ")", Native.errno(), null);
        }
        try {
            Pointer one = Memory.allocateDirect(Native.runtime(), 16);
            one.putInt(0, 1);
            sys.setsockopt(fd, Native.SOL_NETLINK, Native.NETLINK_EXT_ACK, one, 4);
            sys.setsockopt(fd, Native.SOL_NETLINK, Native.NETLINK_CAP_ACK, one, 4);
            one.putInt(0, 4 * 1024 * 1024);
            if (sys.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, one, 4) < 0) {
                sys.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, one, 4);
            }
            if (sys.setsockopt(fd, Native.SOL_SOCKET, Native.SO_SNDBUFFORCE, one, 4) < 0) {
                sys.setsockopt(fd, Native.SOL_SOCKET, Native.SO_SNDBUF, one, 4);
            }
            if (receiveTimeoutMillis > 0) {
                Pointer tv = Memory.allocateDirect(Native.runtime(), 16);
                tv.putLong(0, receiveTimeoutMillis / 1000);
                tv.putLong(8, (receiveTimeoutMillis % 1000) * 1000L);
                sys.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, tv, 16);
            }
            Pointer addr = Memory.allocateDirect(Native.runtime(), 12);
            addr.putShort(0, (short) Native.AF_NETLINK);
            addr.putShort(2, (short) 0);
            addr.putInt(4, 0);
            addr.putInt(8, groups);
            if (sys.bind(fd, addr, 12) < 0) {
                throw KernelException.of("bind(AF_NETLINK, groups " + groups + ")", Native.errno(), null);
            }
            return new NetlinkSocket(fd, protocol);
        } catch (RuntimeException e) {
            sys.close(fd);
            throw e;
        }
    }

    public int protocol() {
        return protocol;
    }

    private int nextSeq() {
        seq = (seq + 1) & 0x7fffffff;
        if (seq == 0) {
            seq = 1;
        }
        return seq;
    }

    /**
     * Sends one request and waits for its acknowledgement; data messages that come before it (a
     * GET answer) go to {@code handler}.
     */
    public synchronized void request(String what, int type, int flags, Consumer<NlBuilder> body, Handler handler) {
        checkOpen(what);
        tx.reset();
        int s = nextSeq();
        tx.begin(type, flags | Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, s);
        body.accept(tx);
        tx.end();
        send(what);
        receive(what, s, false, handler);
    }

    /** Sends a dump request and hands every answer to {@code handler}; restarts an interrupted dump. */
    public synchronized void dump(String what, int type, Consumer<NlBuilder> body, Handler handler, Runnable restart) {
        checkOpen(what);
        for (int attempt = 0; ; attempt++) {
            tx.reset();
            int s = nextSeq();
            tx.begin(type, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, s);
            body.accept(tx);
            tx.end();
            send(what);
            if (receive(what, s, true, handler) || attempt >= MAX_DUMP_RETRIES) {
                return;
            }
            restart.run(); // NLM_F_DUMP_INTR: the set changed during the dump; start again
        }
    }

    /** Writes request {@code index} of a batch with the given header flags and sequence number. */
    @FunctionalInterface
    public interface BatchWriter {
        void write(NlBuilder b, int index, int seq);
    }

    /**
     * Sends {@code count} requests, many per system call, and collects their failures. Only the
     * last request of each chunk asks for an acknowledgement: the kernel handles the requests of
     * one datagram in order and always answers a failed one, so once the last one is answered
     * every failure before it has been received. The writer must not set NLM_F_ACK itself.
     * Returns the failures (empty when all succeeded) with the kernel's extended-ack text.
     */
    public synchronized List<BatchError> batch(String what, int count, BatchWriter writer) {
        checkOpen(what);
        List<BatchError> errors = new ArrayList<>();
        int i = 0;
        while (i < count) {
            int n = Math.min(BATCH_CHUNK, count - i);
            tx.reset();
            int first = nextSeq();
            if (first > Integer.MAX_VALUE - n) { // avoid wrapping inside a chunk
                seq = 0;
                first = nextSeq();
            }
            seq = first + n - 1;
            int last = seq;
            for (int k = 0; k < n; k++) {
                writer.write(tx, i + k, first + k);
            }
            tx.orFlagsOfLast(Nl.NLM_F_ACK);
            send(what);
            boolean done = false;
            while (!done) {
                int len = recvOnce(what);
                int p = 0;
                while (p + Nl.HDRLEN <= len) {
                    int mlen = rx.getInt(p);
                    int mtype = rx.getShort(p + 4) & 0xffff;
                    int mseq = rx.getInt(p + 8);
                    if (mlen < Nl.HDRLEN || p + mlen > len) {
                        break;
                    }
                    if (mtype == Nl.NLMSG_ERROR && mseq >= first && mseq <= last) {
                        int err = -rx.getInt(p + Nl.HDRLEN);
                        if (err != 0) {
                            errors.add(new BatchError(i + mseq - first, err, extAck(p, mlen)));
                        }
                        if (mseq == last) {
                            done = true;
                        }
                    }
                    p += Nl.align(mlen);
                }
            }
            i += n;
        }
        return errors;
    }

    /** One failed request of a batch. */
    public record BatchError(int index, int errno, String detail) {
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new KernelException(what, Errno.EBADF, "netlink socket closed");
        }
    }

    private void send(String what) {
        ByteBuffer b = tx.buffer();
        if (b != txBuf) {
            txBuf = b;
            txPtr = Native.pointer(b);
        }
        int len = b.position();
        while (true) {
            long n = sys.send(fd, txPtr, len, 0);
            if (n >= 0) {
                return;
            }
            int e = Native.errno();
            if (e != Errno.EINTR) {
                throw KernelException.of(what, e, "send");
            }
        }
    }

    private int recvOnce(String what) {
        while (true) {
            long n = sys.recv(fd, rxPtr, RX_SIZE, MSG_TRUNC);
            if (n >= 0) {
                if (n > RX_SIZE) {
                    throw new KernelException(what, Errno.EMSGSIZE, "netlink message of " + n + " bytes exceeds the receive buffer");
                }
                return (int) n;
            }
            int e = Native.errno();
            if (e == Errno.EINTR) {
                continue;
            }
            if (e == Errno.EAGAIN) {
                throw new KernelException(what, Errno.ETIMEDOUT, "no answer from the kernel");
            }
            throw KernelException.of(what, e, "recv");
        }
    }

    /** Receives until the ack (or DONE) of {@code s}; returns false when a dump was interrupted. */
    private boolean receive(String what, int s, boolean dump, Handler handler) {
        boolean intact = true;
        while (true) {
            int len = recvOnce(what);
            int p = 0;
            while (p + Nl.HDRLEN <= len) {
                int mlen = rx.getInt(p);
                int mtype = rx.getShort(p + 4) & 0xffff;
                int mflags = rx.getShort(p + 6) & 0xffff;
                int mseq = rx.getInt(p + 8);
                if (mlen < Nl.HDRLEN || p + mlen > len) {
                    break;
                }
                if (mseq == s) {
                    if ((mflags & Nl.NLM_F_DUMP_INTR) != 0) {
                        intact = false;
                    }
                    if (mtype == Nl.NLMSG_ERROR) {
                        int err = -rx.getInt(p + Nl.HDRLEN);
                        if (err != 0) {
                            throw KernelException.of(what, err, extAck(p, mlen));
                        }
                        return intact;
                    } else if (mtype == Nl.NLMSG_DONE) {
                        if (mlen >= Nl.HDRLEN + 4) {
                            int err = -rx.getInt(p + Nl.HDRLEN);
                            if (err > 0) {
                                throw KernelException.of(what, err, null);
                            }
                        }
                        if (dump) {
                            return intact;
                        }
                    } else if (mtype == Nl.NLMSG_OVERRUN) {
                        throw new KernelException(what, Errno.ENOBUFS, "netlink overrun");
                    } else if (mtype != Nl.NLMSG_NOOP) {
                        handler.message(rx, mtype, mflags, p + Nl.HDRLEN, p + mlen);
                    }
                }
                p += Nl.align(mlen);
            }
        }
    }

    /** The extended-ack message text of the NLMSG_ERROR at {@code p}, or null. */
    private String extAck(int p, int mlen) {
        int flags = rx.getShort(p + 6) & 0xffff;
        if ((flags & Nl.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int inner = p + Nl.HDRLEN + 4;
        int innerLen = rx.getInt(inner);
        int tlv = inner + ((flags & Nl.NLM_F_CAPPED) != 0 ? Nl.HDRLEN : Nl.align(innerLen));
        if (tlv >= p + mlen) {
            return null;
        }
        return new NlAttrs(rx, tlv, p + mlen).string(Nl.NLMSGERR_ATTR_MSG);
    }

    /**
     * Receives multicast messages (for subscriptions): calls {@code handler} for each; returns
     * false on timeout. ENOBUFS (events lost) is reported through {@code overrun}.
     */
    public boolean receiveEvents(Handler handler, Runnable overrun) {
        long n = sys.recv(fd, rxPtr, RX_SIZE, MSG_TRUNC);
        if (n < 0) {
            int e = Native.errno();
            if (e == Errno.ENOBUFS) {
                overrun.run();
                return true;
            }
            if (e == Errno.EAGAIN || e == Errno.EINTR) {
                return false;
            }
            throw KernelException.of("recv(netlink events)", e, null);
        }
        int len = (int) Math.min(n, RX_SIZE);
        int p = 0;
        while (p + Nl.HDRLEN <= len) {
            int mlen = rx.getInt(p);
            if (mlen < Nl.HDRLEN || p + mlen > len) {
                break;
            }
            handler.message(rx, rx.getShort(p + 4) & 0xffff, rx.getShort(p + 6) & 0xffff, p + Nl.HDRLEN, p + mlen);
            p += Nl.align(mlen);
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            sys.close(fd);
        }
    }
}
