package io.hermod.tlspolicy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTPS server on 127.0.0.1 for MTA-STS policy hosts and TLS-RPT report endpoints: one certificate per host
 * name chosen by SNI (the first one for a name it does not know), one scripted answer per (host, path), and a
 * record of every request.
 */
public final class PolicyHttpsServer {

  /** What the server answers. */
  public record Answer(int status, Map<String, String> headers, Buffer body) {

    public static Answer policy(String text) {
      return new Answer(200, Map.of("Content-Type", "text/plain"), Buffer.buffer(text));
    }
  }

  /** A request as received. */
  public record Received(String method, String host, String path, String contentType, Buffer body) {
  }

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  /** @param certificates the first is the default one (served to a name none of them has) */
  public Future<PolicyHttpsServer> start(Vertx vertx, List<OpensslCa.Issued> certificates) {
    PemKeyCertOptions keys = new PemKeyCertOptions();
    certificates.forEach(c -> keys.addCertPath(c.certificate().toString()).addKeyPath(c.key().toString()));
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(keys)
        .setHost("127.0.0.1").setPort(0));
    return server.requestHandler(this::handle).listen().map(this);
  }

  public int port() {
    return server.actualPort();
  }

  public PolicyHttpsServer answer(String host, String path, Answer answer) {
    answers.put(host + path, answer);
    return this;
  }

  /** How many requests for {@code host} arrived. */
  public int requests(String host) {
    AtomicInteger n = counts.get(host);
    return n == null ? 0 : n.get();
  }

  public List<Received> received() {
    return received;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String host = req.authority() == null ? "" : req.authority().host();
    req.body().onSuccess(body -> {
      counts.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
      received.add(new Received(req.method().name(), host, req.path(), req.getHeader("Content-Type"), body));
      Answer answer = answers.getOrDefault(host + req.path(), new Answer(404, Map.of(), Buffer.buffer("not found")));
      answer.headers().forEach(req.response()::putHeader);
      req.response().setStatusCode(answer.status()).end(answer.body());
    });
  }
}
