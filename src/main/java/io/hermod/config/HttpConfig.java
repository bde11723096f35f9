package io.hermod.config;

/**
 * The operations HTTP server: metrics, health probes and the queue admin API (docs/operations.md).
 *
 * @param enabled    serve it at all ("http.enabled")
 * @param host       address to bind ("http.host"); a non-loopback address requires {@code adminToken}
 * @param port       TCP port ("http.port"); 0 picks a free one (tests)
 * @param adminToken bearer token for /queue ("http.adminToken"), or null (then only allowed on loopback)
 */
public record HttpConfig(boolean enabled, String host, int port, String adminToken) {

  @Override
  public String toString() { // never print the token
    return "HttpConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", adminToken="
        + (adminToken == null ? "none" : "set") + "]";
  }
}
