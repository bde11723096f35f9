package io.hermod.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A blocking SMTP client for tests that need to look at replies in code (transcripts cover the rest). */
public final class SmtpLineClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private SmtpLineClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static SmtpLineClient connect(String host, int port) throws IOException {
    return connectFrom("127.0.0.1", host, port);
  }

  public static SmtpLineClient connectFrom(String local, String host, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
    s.connect(new InetSocketAddress(host, port), 5000);
    s.setSoTimeout(15_000);
    return new SmtpLineClient(s);
  }

  /**
   * One whole transaction on a new connection from 127.0.0.1 (EHLO, MAIL with {@code mailParams}, each RCPT,
   * DATA with the message dot-stuffed); every reply must be positive. Returns the queue id from the 250.
   */
  public static String transaction(int port, String from, String mailParams, List<String> to, byte[] message)
      throws IOException {
    try (SmtpLineClient c = connect("127.0.0.1", port)) {
      c.expect(220);
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<" + from + ">" + (mailParams.isEmpty() ? "" : " " + mailParams)).expect(250);
      for (String rcpt : to) {
        c.send("RCPT TO:<" + rcpt + ">").expect(250);
      }
      c.send("DATA").expect(354);
      c.sendRaw(io.hermod.smtp.DotStuffer.stuff(io.vertx.core.buffer.Buffer.buffer(message)).getBytes());
      String reply = c.expect(250);
      c.send("QUIT").expect(221);
      return reply.substring(reply.lastIndexOf(' ') + 1);
    }
  }

  public SmtpLineClient send(String line) throws IOException {
    return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  public SmtpLineClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one (possibly multi-line) reply and checks its code; returns the last line. */
  public String expect(int code) throws IOException {
    String last = readReply();
    if (last == null) {
      fail("connection closed, expected " + code);
    }
    assertEquals(code, Integer.parseInt(last.substring(0, 3)), last);
    return last;
  }

  /** The last line of the next reply, or null if the server closed. */
  public String readReply() throws IOException {
    List<String> lines = readReplyLines(in);
    return lines.isEmpty() || !lines.get(lines.size() - 1).endsWith("\r")
        ? null : lines.get(lines.size() - 1).strip();
  }

  /**
   * Reads one reply (RFC 5321 §4.2.1: lines until one whose code is followed by a space). Lines keep their
   * trailing CR, so callers can check the framing; a last line without CR means the server closed first.
   */
  public static List<String> readReplyLines(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        sb.append((char) c);
      }
      lines.add(sb.toString());
      String line = sb.toString().strip();
      if (c == -1 || line.length() < 4 || line.charAt(3) == ' ') {
        if (c == -1 && sb.length() == 0) {
          lines.remove(lines.size() - 1);
        }
        return lines;
      }
    }
  }

  /** Sends one command line and reads its reply; a reply that is not 2xx/3xx (or a closed connection) throws. */
  public static void command(OutputStream out, InputStream in, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String r = lastReply(in);
    if (!r.startsWith("2") && !r.startsWith("3")) {
      throw new IOException("unexpected reply to " + line + ": " + r);
    }
  }

  /** The last line of the next reply; IOException when the server closed instead. */
  public static String lastReply(InputStream in) throws IOException {
    List<String> lines = readReplyLines(in);
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (!last.endsWith("\r")) {
      throw new IOException("closed");
    }
    return last.strip();
  }

  /** True when the server has closed the connection (EOF or reset). */
  public boolean closedByServer() {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
