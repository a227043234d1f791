package dev.lattice.routing.bgp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.routing.bgp.fsm.Connection;
import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.fsm.Transport;
import dev.lattice.routing.bgp.wire.BgpError;
import dev.lattice.routing.bgp.wire.Message;
import dev.lattice.spi.net.IpAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The socket options a session asks for are on the socket: TTL 1 for eBGP, 255 for multihop/iBGP. */
class NettyTransportTest {
    static final NettyTransport.ConnectionHandler NOOP = new NettyTransport.ConnectionHandler() {
        @Override
        public void active(Connection c) {
        }

        @Override
        public void message(Connection c, byte[] msg, Runnable done) {
            done.run();
        }

        @Override
        public void decoded(Connection c, Message m, Runnable done) {
            done.run();
        }

        @Override
        public void framingError(Connection c, BgpError e) {
        }

        @Override
        public void inactive(Connection c) {
        }
    };

    @Test
    void outgoingTtlAndInboundTtl() throws Exception {
        NettyTransport t = new NettyTransport(r -> {
            Thread th = new Thread(r, "ltb-transport-test");
            th.setDaemon(true);
            return th;
        }, 1);
        try {
            assertTrue(t.epoll(), "epoll native transport loads");
            BlockingQueue<NettyTransport.NettyConnection> inbound = new ArrayBlockingQueue<>(4);
            IpAddress lo = IpAddress.parse("127.0.0.1");
            int port = t.listen(lo, 0, Map.of(), remote -> new NettyTransport.ConnectionHandler() {
                @Override
                public void active(Connection c) {
                    NettyTransport.NettyConnection n = (NettyTransport.NettyConnection) c;
                    n.setTtl(1);
                    inbound.add(n);
                }

                @Override
                public void message(Connection c, byte[] msg, Runnable done) {
                    done.run();
                }

                @Override
                public void decoded(Connection c, Message m, Runnable done) {
                    done.run();
                }

                @Override
                public void framingError(Connection c, BgpError e) {
                }

                @Override
                public void inactive(Connection c) {
                }
            });
            for (int ttl : new int[] {1, 255, 7}) {
                BlockingQueue<Object> out = new ArrayBlockingQueue<>(1);
                PeerConfig p = PeerConfig.of(lo, 65001, 65000).withPort(port).withTtl(ttl);
                t.connect(p, NOOP, new Transport.ConnectCallback() {
                    @Override
                    public void connected(Connection c) {
                        out.add(c);
                    }

                    @Override
                    public void failed(Throwable cause) {
                        out.add(cause);
                    }
                });
                Object r = out.poll(10, TimeUnit.SECONDS);
                NettyTransport.NettyConnection c = (NettyTransport.NettyConnection) r;
                assertEquals(ttl, c.ttl());
                NettyTransport.NettyConnection in = inbound.poll(10, TimeUnit.SECONDS);
                assertEquals(1, in.ttl());
                c.close();
                in.close();
            }
        } finally {
            t.close();
        }
    }
}
