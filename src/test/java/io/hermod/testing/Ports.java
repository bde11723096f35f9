package io.hermod.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for tests: one where nothing accepts ({@link #refusing()}), and free ones for processes
 * and peers that cannot report the port 0 gave them ({@link #free()}).
 */
public final class Ports {

  /** Where {@link #free()} looks: below Linux's ephemeral range (32768-60999), where port-0 binds never land. */
  private static final int FREE_FROM = 20_000;
  private static final int FREE_TO = 32_000;

  private Ports() {
  }

  /**
   * A port where nothing accepts, for as long as the returned handle is open: a socket is bound to it but does
   * not listen, so a connection is refused at once (RST), and no other socket can bind it meanwhile (a port
   * bound and closed again could be taken by a concurrent test, which might then answer).
   */
  public static Refusing refusing() {
    Socket s = new Socket();
    try {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new Refusing(s);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException(e);
    }
  }

  /** A port held by a bound socket that does not listen. */
  public static final class Refusing implements AutoCloseable {

    private final Socket socket;

    private Refusing(Socket socket) {
      this.socket = socket;
    }

    public int port() {
      return socket.getLocalPort();
    }

    /** "[127.0.0.1]:port", a next hop as routes take it. */
    public String nextHop() {
      return "[127.0.0.1]:" + port();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * A port that was free a moment ago, for a process that binds it itself (smtp-sink, Dovecot, a Hazelcast
   * member, Prometheus). Picked at random below the ephemeral range, so the port-0 binds and outgoing
   * connections of tests running meanwhile cannot take it before the process binds it.
   */
  public static int free() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FREE_FROM, FREE_TO);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no free port found between " + FREE_FROM + " and " + FREE_TO);
  }
}
