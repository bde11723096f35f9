package io.hermod.tls;

import io.vertx.core.net.NetServer;

import java.lang.reflect.Field;
import java.util.logging.Logger;

/**
 * Works around a Vert.x bug (5.0.7, still present in 5.1.6): when several verticle instances listen on the same
 * port, only the first {@code NetServerImpl} (the one that binds) gets an {@code SslContextManager}; the sockets
 * accepted for every other instance carry null, so {@code NetSocket.upgradeToSsl} throws a
 * NullPointerException on the event loop and the client's STARTTLS never gets its 220: with
 * {@code listeners[].instances} 2, every other STARTTLS hung. Implicit TLS is not affected (its handshake uses the
 * first server's context). {@link #shareManager} gives such an instance the first server's manager, so every
 * instance also uses the same TLS context (one session cache, one set of ticket keys: resumption works whichever
 * instance a reconnecting client lands on).
 */
public final class SharedServerTls {

  private static final Logger LOG = Logger.getLogger(SharedServerTls.class.getName());

  private SharedServerTls() {
  }

  /**
   * Call on the listening instance's event loop right after {@code listen()} (the instance's accept path is set
   * up synchronously there, and runs on that same event loop, so no connection sees the old value).
   *
   * @return true when the manager was missing and is now shared
   */
  public static boolean shareManager(NetServer server) {
    try {
      Class<?> impl = server.getClass();
      Field actual = field(impl, "actualServer");
      Field manager = field(impl, "sslContextManager");
      if (actual == null || manager == null) {
        LOG.warning("tls: cannot check " + impl.getName() + " for the shared-port STARTTLS bug (fields not found);"
            + " if STARTTLS hangs on a listener with instances > 1, set its instances to 1");
        return false;
      }
      Object main = actual.get(server);
      if (main == null || main == server || manager.get(server) != null) {
        return false;
      }
      manager.set(server, manager.get(main));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warning("tls: cannot work around the shared-port STARTTLS bug (" + e + ");"
          + " if STARTTLS hangs on a listener with instances > 1, set its instances to 1");
      return false;
    }
  }

  private static Field field(Class<?> type, String name) {
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      return null;
    }
  }
}
