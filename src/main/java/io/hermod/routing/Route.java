package io.hermod.routing;

/**
 * Where the remote recipients of one domain go, as decided by {@link RoutePlanner} (Postfix's
 * trivial-rewrite). {@link #destination()} is the shaping key: jobs, connection limits, rates and
 * suspensions are per destination, so domains sharing a smarthost share its limits.
 */
public sealed interface Route permits Route.Local, Route.Mx, Route.Direct, Route.MxOfHost {

  String destination();

  /** One of our local domains: delivered by its local transport (local delivery), not over SMTP. */
  record Local(String domain) implements Route {
    public String destination() {
      return domain;
    }
  }

  /** RFC 5321 §5.1: the MX hosts of the recipient domain, on the configured delivery port. */
  record Mx(String domain, int port) implements Route {
    public String destination() {
      return domain;
    }
  }

  /** A configured next hop "[host]:port": connect to that host's addresses, no MX lookup. */
  record Direct(String host, int port) implements Route {
    public String destination() {
      return "[" + host + "]:" + port;
    }
  }

  /** A configured next hop "host:port" without brackets: the MX hosts of {@code host}, on {@code port}. */
  record MxOfHost(String host, int port) implements Route {
    public String destination() {
      return host + ":" + port;
    }
  }
}
