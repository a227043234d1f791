package dev.lattice.core.internal.admin;

import dev.lattice.spi.telemetry.Health;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/** Routes admin requests. Read-only: everything but GET and HEAD is refused. */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String JSON = "application/json; charset=utf-8";
    private final AdminServer server;

    AdminHandler(AdminServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        server.countRequest();
        HttpResponseStatus status = HttpResponseStatus.OK;
        String type = JSON;
        String body;
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            status = HttpResponseStatus.METHOD_NOT_ALLOWED;
            type = "text/plain; charset=utf-8";
            body = "only GET is supported\n";
        } else {
            switch (path) {
                case "/healthz" -> {
                    HealthReport report = server.healthReport();
                    // DOWN answers 503 so probes notice; DEGRADED still serves (200).
                    if (report.status == Health.Status.DOWN) {
                        status = HttpResponseStatus.SERVICE_UNAVAILABLE;
                    }
                    body = server.healthJson();
                }
                case "/metrics" -> {
                    type = PrometheusText.CONTENT_TYPE;
                    body = server.metricsText();
                }
                case "/selection" -> body = server.selectionJson();
                default -> {
                    if (path.startsWith("/plugins/")) {
                        String sub = path.substring("/plugins/".length());
                        var resource = server.resource(sub);
                        if (resource.isPresent()) {
                            java.util.Map<String, String> query = new java.util.TreeMap<>();
                            uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
                            try {
                                body = resource.get().json(query);
                            } catch (IllegalArgumentException e) {
                                status = HttpResponseStatus.BAD_REQUEST;
                                type = "text/plain; charset=utf-8";
                                body = e.getMessage() + "\n";
                            } catch (RuntimeException e) {
                                status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
                                type = "text/plain; charset=utf-8";
                                body = "/plugins/" + sub + " failed: " + e + "\n";
                            }
                            break;
                        }
                        status = HttpResponseStatus.NOT_FOUND;
                        type = "text/plain; charset=utf-8";
                        body = "no bundle serves /plugins/" + sub + "; served: " + server.resourcePaths() + "\n";
                        break;
                    }
                    status = HttpResponseStatus.NOT_FOUND;
                    type = "text/plain; charset=utf-8";
                    body = "not found; try /healthz, /metrics or /selection\n";
                }
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
            ctx.writeAndFlush(resp);
        } else {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
