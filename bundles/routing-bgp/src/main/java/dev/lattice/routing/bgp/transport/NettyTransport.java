package dev.lattice.routing.bgp.transport;

import dev.lattice.routing.bgp.fsm.Connection;
import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.fsm.Transport;
import dev.lattice.routing.bgp.wire.BgpError;
import dev.lattice.routing.bgp.wire.Message;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.spi.net.IpAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP for BGP on netty: epoll when the native transport loads (needed for TCP MD5, RFC 2385, and
 * for the TTL of eBGP sessions), NIO otherwise. Every socket is created on one of this transport's
 * IO threads, so a thread factory that enters a network namespace puts the sockets there.
 */
public final class NettyTransport {
    private static final Logger LOG = System.getLogger(NettyTransport.class.getName());
    private static final IntegerUnixChannelOption IP_TTL = new IntegerUnixChannelOption("IP_TTL", 0, 2);
    private static final IntegerUnixChannelOption IPV6_UNICAST_HOPS =
            new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", 41, 16);
    /** Stop reading from a peer while this many of its messages wait for the control thread. */
    private static final int MAX_PENDING = 2000;

    /** Where inbound connections and their messages go. */
    public interface Inbound {
        /** The handler for a connection from {@code remote}, or null to refuse it. */
        ConnectionHandler accept(IpAddress remote);
    }

    /** Events of one connection, called on IO threads. */
    public interface ConnectionHandler {
        void active(Connection c);

        /** A complete message; call {@code done} once it has been processed (for flow control). */
        void message(Connection c, byte[] msg, Runnable done);

        /** An UPDATE decoded on the IO thread (context set by the session); {@code done} as above. */
        void decoded(Connection c, Message m, Runnable done);

        void framingError(Connection c, BgpError e);

        void inactive(Connection c);
    }

    private final EventLoopGroup group;
    private final boolean epoll;
    private Channel server;

    public NettyTransport(ThreadFactory threads, int ioThreads) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory f = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, threads, f);
        if (!epoll) {
            LOG.log(Level.WARNING, "netty epoll unavailable ({0}); TCP MD5 and TTL settings will not work",
                    String.valueOf(Epoll.unavailabilityCause()));
        }
    }

    public boolean epoll() {
        return epoll;
    }

    /** Binds the listener; returns the bound port. */
    public int listen(IpAddress address, int port, Map<InetAddress, byte[]> md5, Inbound inbound) throws Exception {
        CompletableFuture<Channel> bound = new CompletableFuture<>();
        group.next().execute(() -> {
            ServerBootstrap b = new ServerBootstrap().group(group)
                    .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            InetSocketAddress r = ch.remoteAddress();
                            ConnectionHandler h = inbound.accept(IpAddress.of(r.getAddress()));
                            if (h == null) {
                                LOG.log(Level.INFO, "BGP: refusing connection from unconfigured {0}", r);
                                ch.close();
                                return;
                            }
                            ch.pipeline().addLast(new FrameDecoder(), new Bridge(h));
                        }
                    });
            if (epoll && md5 != null && !md5.isEmpty()) {
                b.option(EpollChannelOption.TCP_MD5SIG, md5);
            }
            InetSocketAddress at = address == null ? new InetSocketAddress(port) : new InetSocketAddress(address.toInetAddress(), port);
            b.bind(at).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    bound.complete(f.channel());
                } else {
                    bound.completeExceptionally(f.cause());
                }
            });
        });
        server = bound.get();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Replaces the MD5 keys of the listening socket (peers added or removed). */
    public void setListenerMd5(Map<InetAddress, byte[]> md5) {
        if (server != null && epoll) {
            server.config().setOption(EpollChannelOption.TCP_MD5SIG, md5);
        }
    }

    /** Connects out; the handler is given to the connection once it is up. */
    public void connect(PeerConfig peer, ConnectionHandler handler, Transport.ConnectCallback cb) {
        group.next().execute(() -> {
            Bootstrap b = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1000, peer.connectRetrySeconds() * 1000))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new FrameDecoder(), new Bridge(handler) {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    NettyConnection c = connection(ctx.channel());
                                    cb.connected(c);
                                    super.channelActive(ctx);
                                }
                            });
                        }
                    });
            if (epoll) {
                if (peer.md5Password() != null && !peer.md5Password().isEmpty()) {
                    b.option(EpollChannelOption.TCP_MD5SIG, Map.of(peer.address().toInetAddress(),
                            peer.md5Password().getBytes(StandardCharsets.US_ASCII)));
                }
                b.option(peer.address().isIpv4() ? IP_TTL : IPV6_UNICAST_HOPS, peer.ttl());
            }
            InetSocketAddress remote = new InetSocketAddress(peer.address().toInetAddress(), peer.port());
            var f = peer.localAddress() == null ? b.connect(remote)
                    : b.connect(remote, new InetSocketAddress(peer.localAddress().toInetAddress(), 0));
            f.addListener((ChannelFutureListener) cf -> {
                if (!cf.isSuccess()) {
                    cb.failed(cf.cause());
                }
            });
        });
    }

    /** Sets the TTL of an accepted connection (eBGP single hop uses 1). */
    static void applyTtl(Channel ch, int ttl, boolean v4) {
        if (ch instanceof EpollSocketChannel e) {
            try {
                e.config().setOption(v4 ? IP_TTL : IPV6_UNICAST_HOPS, ttl);
            } catch (RuntimeException ex) {
                LOG.log(Level.DEBUG, "cannot set TTL: {0}", ex.toString());
            }
        }
    }

    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final io.netty.util.AttributeKey<NettyConnection> CONN = io.netty.util.AttributeKey.valueOf("bgp-conn");

    static NettyConnection connection(Channel ch) {
        NettyConnection c = ch.attr(CONN).get();
        if (c == null) {
            c = new NettyConnection(ch);
            ch.attr(CONN).set(c);
        }
        return c;
    }

    /** A netty channel as the FSM's connection. */
    public static final class NettyConnection implements Connection {
        final Channel ch;
        final AtomicInteger pending = new AtomicInteger();
        volatile dev.lattice.routing.bgp.wire.DecodeContext decodeContext;
        private final AtomicInteger unflushed = new AtomicInteger();

        NettyConnection(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void send(byte[] encoded, Message message) {
            ch.write(Unpooled.wrappedBuffer(encoded));
            if (unflushed.getAndIncrement() == 0) {
                ch.eventLoop().execute(() -> {
                    unflushed.set(0);
                    ch.flush();
                });
            }
        }

        @Override
        public void setDecodeContext(dev.lattice.routing.bgp.wire.DecodeContext ctx) {
            decodeContext = ctx;
        }

        @Override
        public void close() {
            ch.eventLoop().execute(() -> {
                ch.flush();
                ch.close();
            });
        }

        /** The local address of the connection (next hop self). */
        public IpAddress localAddress() {
            return IpAddress.of(((InetSocketAddress) ch.localAddress()).getAddress());
        }

        /** The IP TTL (or IPv6 hop limit) the socket sends with, or -1 when it cannot be read. */
        public int ttl() {
            if (ch instanceof EpollSocketChannel e) {
                boolean v4 = ((InetSocketAddress) ch.remoteAddress()).getAddress().getAddress().length == 4;
                Integer v = e.config().getOption(v4 ? IP_TTL : IPV6_UNICAST_HOPS);
                return v == null ? -1 : v;
            }
            return -1;
        }

        public void setTtl(int ttl) {
            applyTtl(ch, ttl, ((InetSocketAddress) ch.remoteAddress()).getAddress().getAddress().length == 4);
        }

        @Override
        public String describe() {
            return ch.remoteAddress() + " (local " + ch.localAddress() + ")";
        }
    }

    /** Frames the byte stream into whole messages; header errors become framing errors. */
    static final class FrameDecoder extends io.netty.handler.codec.ByteToMessageDecoder {
        private boolean failed;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, java.util.List<Object> out) {
            while (!failed && in.readableBytes() >= MessageCodec.HEADER_LENGTH) {
                byte[] hdr = new byte[MessageCodec.HEADER_LENGTH];
                in.getBytes(in.readerIndex(), hdr);
                int len;
                try {
                    len = MessageCodec.checkHeader(hdr, 0, hdr.length);
                } catch (BgpError e) {
                    failed = true;
                    in.skipBytes(in.readableBytes());
                    out.add(e);
                    return;
                }
                if (in.readableBytes() < len) {
                    return;
                }
                byte[] msg = new byte[len];
                in.readBytes(msg);
                out.add(msg);
            }
            if (failed) {
                in.skipBytes(in.readableBytes());
            }
        }
    }

    static class Bridge extends ChannelInboundHandlerAdapter {
        final ConnectionHandler h;

        Bridge(ConnectionHandler h) {
            this.h = h;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            h.active(connection(ctx.channel()));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            NettyConnection c = connection(ctx.channel());
            if (msg instanceof BgpError e) {
                h.framingError(c, e);
                return;
            }
            if (c.pending.incrementAndGet() > MAX_PENDING) {
                ctx.channel().config().setAutoRead(false);
            }
            Runnable done = () -> {
                if (c.pending.decrementAndGet() == MAX_PENDING / 2) {
                    ctx.channel().eventLoop().execute(() -> {
                        ctx.channel().config().setAutoRead(true);
                        ctx.read();
                    });
                }
            };
            byte[] bytes = (byte[]) msg;
            dev.lattice.routing.bgp.wire.DecodeContext dc = c.decodeContext;
            if (dc != null && bytes[18] == Message.UPDATE) {
                // decode here, in parallel with the control thread's RIB work
                try {
                    h.decoded(c, MessageCodec.decode(bytes, dc), done);
                    return;
                } catch (BgpError e) {
                    // let the session decode it again and send the NOTIFICATION
                }
            }
            h.message(c, bytes, done);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            h.inactive(connection(ctx.channel()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, "BGP connection {0}: {1}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
