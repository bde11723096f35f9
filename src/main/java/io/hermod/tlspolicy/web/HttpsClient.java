package io.hermod.tlspolicy.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.util.concurrent.TimeoutException;

/**
 * HTTPS with PKIX validation of the host name (RFC 6125) against the JDK's trust store or a configured CA file,
 * no redirects, a body size limit and one deadline for the whole exchange. The host's address comes from the
 * project's DNS ({@link PolicyDns}), not the JVM's resolver: the TLS name checked and the Host header stay the
 * host name. Used for MTA-STS policy fetches (RFC 8461 §3.3) and TLS-RPT report posts (RFC 8460 §5.2).
 */
public final class HttpsClient implements AutoCloseable {

  /** A response: status, media type (without parameters, lower case) and body. */
  public record Response(int status, String mediaType, Buffer body) {
  }

  private final Vertx vertx;
  private final PolicyDns dns;
  private final HttpClient client;

  /** @param caFile PEM CA certificates to trust instead of the JDK's store, or null */
  public HttpsClient(Vertx vertx, PolicyDns dns, String caFile) {
    this.vertx = vertx;
    this.dns = dns;
    HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true).setKeepAlive(false)
        .setTrustAll(false);
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
    }
    this.client = vertx.createHttpClient(options);
  }

  /** GET https://host:port/path, the body read up to {@code maxBytes}; fails with {@link HttpsFailure}. */
  public Future<Response> get(String host, int port, String path, int maxBytes, long timeoutMillis) {
    return exchange(HttpMethod.GET, host, port, path, null, null, maxBytes, timeoutMillis);
  }

  /** POST {@code body} with {@code contentType}; the response body is read up to 64 KiB and dropped. */
  public Future<Response> post(String host, int port, String path, String contentType, Buffer body,
                               long timeoutMillis) {
    return exchange(HttpMethod.POST, host, port, path, contentType, body, 65_536, timeoutMillis);
  }

  private Future<Response> exchange(HttpMethod method, String host, int port, String path, String contentType,
                                    Buffer body, int maxBytes, long timeoutMillis) {
    Promise<Response> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> result.tryFail(
        new HttpsFailure(HttpsFailure.Kind.TIMEOUT, "no complete answer from " + host + " in " + timeoutMillis + " ms")));
    dns.addresses(host)
        .recover(e -> Future.failedFuture(new HttpsFailure(HttpsFailure.Kind.DNS, e.getMessage())))
        .compose(addresses -> send(method, host, port, addresses.get(0), path, contentType, body, timeoutMillis))
        .compose(response -> read(response, host, maxBytes, result))
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          if (ar.succeeded()) {
            result.tryComplete(ar.result());
          } else {
            result.tryFail(classify(ar.cause(), host));
          }
        });
    return result.future();
  }

  private Future<HttpClientResponse> send(HttpMethod method, String host, int port, InetAddress address, String path,
                                          String contentType, Buffer body, long timeoutMillis) {
    RequestOptions request = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setFollowRedirects(false).setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return client.request(request).compose(req -> body == null ? req.send() : req.send(body));
  }

  /** The body up to {@code maxBytes}; more resets the stream (the rest is never read into memory). */
  private static Future<Response> read(HttpClientResponse response, String host, int maxBytes,
                                       Promise<Response> overall) {
    Promise<Response> read = Promise.promise();
    Buffer body = Buffer.buffer();
    response.exceptionHandler(read::tryFail);
    response.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        read.tryFail(new HttpsFailure(HttpsFailure.Kind.TOO_LARGE,
            "the body from " + host + " is larger than " + maxBytes + " bytes"));
        response.request().reset();
        return;
      }
      body.appendBuffer(chunk);
    });
    response.endHandler(v -> read.tryComplete(new Response(response.statusCode(), mediaType(response), body)));
    overall.future().onFailure(e -> response.request().reset()); // the deadline passed while reading
    return read.future();
  }

  private static String mediaType(HttpClientResponse response) {
    String type = response.getHeader("Content-Type");
    if (type == null) {
      return "";
    }
    int semicolon = type.indexOf(';');
    return (semicolon >= 0 ? type.substring(0, semicolon) : type).trim().toLowerCase(java.util.Locale.ROOT);
  }

  private static HttpsFailure classify(Throwable e, String host) {
    if (e instanceof HttpsFailure f) {
      return f;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return new HttpsFailure(HttpsFailure.Kind.CERTIFICATE, "TLS with " + host + " failed: " + c.getMessage());
      }
      if (c instanceof ConnectException) {
        return new HttpsFailure(HttpsFailure.Kind.CONNECT, "cannot connect to " + host + ": " + c.getMessage());
      }
      if (c instanceof TimeoutException) {
        return new HttpsFailure(HttpsFailure.Kind.TIMEOUT, "timed out with " + host + ": " + c.getMessage());
      }
    }
    return new HttpsFailure(HttpsFailure.Kind.IO, "HTTPS with " + host + " failed: " + e);
  }

  @Override
  public void close() {
    client.close();
  }
}
