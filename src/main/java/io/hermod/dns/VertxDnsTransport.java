package io.hermod.dns;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import java.io.EOFException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Address;
import org.xbill.DNS.Message;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;

/**
 * dnsjava's network I/O on Vert.x sockets, for {@code SimpleResolver.setIoClientFactory}: SimpleResolver keeps
 * building the query, checking the answer's ID and question (RFC 5452 §9.1) and falling back to TCP on a
 * truncated answer; the bytes travel here.
 *
 * <p>Why not dnsjava's own NIO clients: their single selector thread checks query timeouts only after a second
 * in which no socket was ready, so under steady traffic a query whose answer was lost is never timed out and
 * its channel stays open. Here every query has an exact Vert.x timer, and its socket is closed when it ends.
 *
 * <p>UDP: one socket per query on a port the kernel picks at random, as dnsjava and glibc do (an unpredictable
 * source port is part of what a forged answer must guess, RFC 5452 §9.2). Datagrams from another address or
 * with another ID are ignored. TCP (RFC 7766): one connection per query, the message framed by its two-octet
 * length.
 */
public final class VertxDnsTransport implements IoClientFactory {

  private final Vertx vertx;
  private final NetClient tcp;
  private final UdpIoClient udpClient = this::udp;
  private final TcpIoClient tcpClient = this::tcp;

  public VertxDnsTransport(Vertx vertx) {
    this.vertx = vertx;
    this.tcp = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  @Override
  public TcpIoClient createOrGetTcpClient() {
    return tcpClient;
  }

  @Override
  public UdpIoClient createOrGetUdpClient() {
    return udpClient;
  }

  private CompletableFuture<byte[]> udp(InetSocketAddress local, InetSocketAddress remote, Message query,
                                        byte[] data, int max, Duration timeout) {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    boolean v6 = remote.getAddress() instanceof Inet6Address;
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(v6));
    int id = query.getHeader().getID();
    socket.handler(packet -> {
      Buffer bytes = packet.data();
      if (bytes.length() >= 2 && bytes.getUnsignedShort(0) == id
          && remote.getPort() == packet.sender().port() && remote.getAddress().equals(ip(packet.sender().host()))) {
        answer.complete(bytes.getBytes());
      }
    });
    String host = local != null ? local.getAddress().getHostAddress() : v6 ? "::" : "0.0.0.0";
    socket.listen(local != null ? local.getPort() : 0, host)
        .compose(s -> s.send(Buffer.buffer(data), remote.getPort(), remote.getAddress().getHostAddress()))
        .onFailure(answer::completeExceptionally);
    end(answer, timeout, "UDP", remote, socket::close);
    return answer;
  }

  private CompletableFuture<byte[]> tcp(InetSocketAddress local, InetSocketAddress remote, Message query,
                                        byte[] data, Duration timeout) {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    CompletableFuture<NetSocket> connection = new CompletableFuture<>();
    tcp.connect(SocketAddress.inetSocketAddress(remote)).onComplete(done -> {
      if (done.failed()) {
        answer.completeExceptionally(done.cause());
      } else if (!connection.complete(done.result())) {
        done.result().close(); // the query already timed out
      }
    });
    connection.thenAccept(socket -> {
      if (socket == null) {
        return; // timed out before the connection was made
      }
      RecordParser frames = RecordParser.newFixed(2);
      frames.handler(length -> {
        frames.fixedSizeMode(length.getUnsignedShort(0));
        frames.handler(message -> answer.complete(message.getBytes()));
      });
      socket.handler(frames);
      socket.closeHandler(v -> answer.completeExceptionally(new EOFException("TCP connection closed by " + remote)));
      socket.write(Buffer.buffer(data.length + 2).appendUnsignedShort(data.length).appendBytes(data));
    });
    end(answer, timeout, "TCP", remote, () -> {
      if (!connection.complete(null) && connection.getNow(null) != null) {
        connection.getNow(null).close();
      }
    });
    return answer;
  }

  /** Fails {@code answer} after {@code timeout}; whichever way it ends, the timer goes and the socket closes. */
  private void end(CompletableFuture<byte[]> answer, Duration timeout, String transport, InetSocketAddress remote,
                   Runnable close) {
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> answer.completeExceptionally(
        new SocketTimeoutException(transport + " query to " + remote + " timed out")));
    answer.whenComplete((bytes, error) -> {
      vertx.cancelTimer(timer);
      close.run();
    });
  }

  private static InetAddress ip(String literal) {
    try {
      return Address.getByAddress(literal); // a literal, never a lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
