package io.hermod.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The queue admin HTTP API (docs/operations.md) from the JDK's HttpClient: one blocking call per method. */
final class AdminClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;

  /** @throws IllegalArgumentException if {@code baseUrl} is not an http:// or https:// URL with a host */
  AdminClient(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    URI uri;
    try {
      uri = new URI(this.baseUrl);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("--url " + baseUrl + " is not an http:// URL with a host, like "
          + QueueCommand.DEFAULT_URL);
    }
  }

  JsonObject get(String path, Map<String, String> query) throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> {
      if (v != null) {
        q.append(q.length() == 0 ? '?' : '&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return send(request(path + q).GET());
  }

  JsonObject post(String path) throws IOException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
    return send(request(path).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  JsonObject delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private JsonObject send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      // The JDK's client says only "java.net.ConnectException" (no message) for a refused or unresolvable host.
      throw new AdminError("cannot connect to " + baseUrl
          + (unresolved(e) ? " (unknown host; see --url)" : " (is Hermod running? see --url)"));
    } catch (HttpTimeoutException e) {
      throw new AdminError("no answer from " + baseUrl + " within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      throw new AdminError("cannot talk to " + baseUrl + ": " + (e.getMessage() != null ? e.getMessage() : e));
    }
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new AdminError("HTTP " + response.statusCode() + ": not a JSON answer");
    }
    if (response.statusCode() != 200 && response.statusCode() != 202) {
      throw new AdminError("HTTP " + response.statusCode() + ": " + body.getString("error", body.encode()));
    }
    return body;
  }

  private static boolean unresolved(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /** The server refused the request (its status and reason), or could not be reached. */
  static final class AdminError extends IOException {
    private static final long serialVersionUID = 1L;

    AdminError(String message) {
      super(message);
    }
  }
}
