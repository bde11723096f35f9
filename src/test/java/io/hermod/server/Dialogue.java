package io.hermod.server;

import io.hermod.testing.SmtpLineClient;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A transcript test: client lines and the replies expected, run over a real socket. Format, one item a line:
 * <pre>
 *   # comment
 *   @client 127.0.0.2          connect from this address (only 127.0.0.1 is trusted)
 *   @config {"limits": {...}}  merged into the test configuration
 *   @spooled 1                 at the end, the spool must hold exactly this many messages
 *   @user alice s3cret         a user of the AUTH user file (the test writes the file and sets auth.usersFile)
 *   C: MAIL FROM:&lt;a@b.test&gt;    a command line (CRLF appended); consecutive C:/R: lines go in ONE write
 *   R: a\r\n.\r\n              raw bytes, escapes \r \n \t \\ \xNN, nothing appended
 *   B: 70000 x                 70000 bytes of 'x' (raw); B: 3 ab\r\n: "ab\r\n" 3 times (the R: escapes)
 *   S: 250 2.1.5               the next reply: its last line starts with this
 *   S+ SIZE 10240              the reply just read has a line containing this text
 *   S: closed                  the server has closed the connection
 *   W: 1500                    wait this many milliseconds
 *   T: 200 8000 x              trickle: send one 'x' every 200 ms until the server answers or closes, at most
 *                              8000 ms (no answer by then fails); the clock for A: starts at the first byte
 *   A: 900 5000                the server's answer (or close) came 900 to 5000 ms after the trickle started
 *   TLS                        the TLS handshake after the server's 220 to STARTTLS (any certificate is taken)
 * </pre>
 */
final class Dialogue {

  final String name;
  final String clientAddress;
  final JsonObject config;
  final Integer spooled;
  final Map<String, String> users;
  final List<String> steps;

  private Dialogue(String name, String clientAddress, JsonObject config, Integer spooled, Map<String, String> users,
                   List<String> steps) {
    this.name = name;
    this.clientAddress = clientAddress;
    this.config = config;
    this.spooled = spooled;
    this.users = users;
    this.steps = steps;
  }

  static Dialogue parse(Path file) throws IOException {
    String client = "127.0.0.1";
    JsonObject config = new JsonObject();
    Integer spooled = null;
    Map<String, String> users = new LinkedHashMap<>();
    List<String> steps = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("@client ")) {
        client = line.substring(8).trim();
      } else if (line.startsWith("@config ")) {
        config.mergeIn(new JsonObject(line.substring(8)), true);
      } else if (line.startsWith("@spooled ")) {
        spooled = Integer.parseInt(line.substring(9).trim());
      } else if (line.startsWith("@user ")) {
        String[] parts = line.substring(6).trim().split(" ", 2);
        users.put(parts[0], parts[1]);
      } else {
        steps.add(line);
      }
    }
    return new Dialogue(file.getFileName().toString(), client, config, spooled, users, steps);
  }

  void run(int port) throws IOException, InterruptedException, GeneralSecurityException {
    try (Socket plain = new Socket()) {
      plain.bind(new InetSocketAddress(InetAddress.getByName(clientAddress), 0));
      plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      plain.setSoTimeout(10_000);
      Socket socket = plain;
      java.io.PushbackInputStream in = new java.io.PushbackInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      long trickleMillis = -1; // how long a T: step trickled before the server answered or closed
      java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
      List<String> lastReply = List.of();
      int lineNo = 0;
      for (String step : steps) {
        lineNo++;
        String where = name + " step " + lineNo + " (" + step + ")";
        if (step.startsWith("C: ")) {
          pending.write((step.substring(3) + "\r\n").getBytes(StandardCharsets.UTF_8));
          continue;
        }
        if (step.startsWith("R: ")) {
          pending.write(unescape(step.substring(3)));
          continue;
        }
        if (step.startsWith("B: ")) {
          String[] parts = step.substring(3).trim().split(" ");
          byte[] unit = unescape(parts[1]);
          for (int i = Integer.parseInt(parts[0]); i > 0; i--) {
            pending.write(unit);
          }
          continue;
        }
        if (pending.size() > 0) {
          try {
            out.write(pending.toByteArray());
            out.flush();
          } catch (IOException e) {
            // the server may have closed already; the next S: tells whether that was expected
          }
          pending.reset();
        }
        if (step.equals("TLS")) {
          socket = startTls(plain, port);
          in = new java.io.PushbackInputStream(socket.getInputStream());
          out = socket.getOutputStream();
        } else if (step.startsWith("W: ")) {
          Thread.sleep(Long.parseLong(step.substring(3).trim()));
        } else if (step.startsWith("T: ")) {
          String[] parts = step.substring(3).trim().split(" ");
          trickleMillis = trickle(socket, in, out, Long.parseLong(parts[0]), Long.parseLong(parts[1]),
              unescape(parts[2]), where);
        } else if (step.startsWith("A: ")) {
          String[] parts = step.substring(3).trim().split(" ");
          long min = Long.parseLong(parts[0]);
          long max = Long.parseLong(parts[1]);
          assertTrue(trickleMillis >= min && trickleMillis <= max,
              where + ": the server answered " + trickleMillis + " ms after the trickle started");
        } else if (step.equals("S: closed")) {
          assertEquals(-1, readOrEof(in), where + ": expected the connection to be closed");
        } else if (step.startsWith("S: ")) {
          lastReply = readReply(in, where);
          String last = lastReply.get(lastReply.size() - 1);
          String expected = step.substring(3).trim();
          assertTrue(last.startsWith(expected), where + ": got '" + String.join(" | ", lastReply) + "'");
        } else if (step.startsWith("S+ ")) {
          String text = step.substring(3).trim();
          assertTrue(lastReply.stream().anyMatch(l -> l.contains(text)),
              where + ": no line containing '" + text + "' in " + lastReply);
        } else {
          fail(name + ": bad step " + step);
        }
      }
    }
  }

  /** RFC 3207: the handshake over the connection; the test trusts whatever certificate the server generated. */
  private static SSLSocket startTls(Socket plain, int port) throws IOException, GeneralSecurityException {
    TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trustAll}, null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.setSoTimeout(plain.getSoTimeout());
    socket.startHandshake();
    return socket;
  }

  /**
   * Sends {@code bytes} one at a time, one every {@code everyMillis}, until the server sends something or
   * closes; returns the time from the first byte to that moment. Nothing read is consumed.
   */
  private static long trickle(Socket socket, java.io.PushbackInputStream in, OutputStream out, long everyMillis,
      long maxMillis, byte[] bytes, String where) throws IOException {
    long start = System.nanoTime();
    int oldTimeout = socket.getSoTimeout();
    try {
      for (int i = 0; ; i++) {
        try {
          out.write(bytes[i % bytes.length]);
          out.flush();
        } catch (IOException e) {
          return (System.nanoTime() - start) / 1_000_000; // the server closed: the next S: reads what it said
        }
        socket.setSoTimeout((int) everyMillis);
        try {
          int b = in.read();
          if (b != -1) {
            in.unread(b);
          }
          return (System.nanoTime() - start) / 1_000_000;
        } catch (java.net.SocketException e) {
          return (System.nanoTime() - start) / 1_000_000; // reset: closed
        } catch (SocketTimeoutException e) {
          long elapsed = (System.nanoTime() - start) / 1_000_000;
          if (elapsed > maxMillis) {
            fail(where + ": the server neither answered nor closed while the client sent a byte every "
                + everyMillis + " ms for " + elapsed + " ms");
          }
        }
      }
    } finally {
      socket.setSoTimeout(oldTimeout);
    }
  }

  private static int readOrEof(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (java.net.SocketException e) {
      return -1; // reset by peer counts as closed
    } catch (SocketTimeoutException e) {
      return -2;
    }
  }

  /** Reads one reply: lines until "NNN " (RFC 5321 §4.2.1), each ended by CRLF. */
  private static List<String> readReply(InputStream in, String where) throws IOException {
    List<String> raw = SmtpLineClient.readReplyLines(in);
    List<String> lines = new ArrayList<>();
    for (String line : raw) {
      if (!line.endsWith("\r")) {
        fail(where + ": connection closed or line not ended by CRLF, replies so far " + raw);
      }
      lines.add(line.substring(0, line.length() - 1));
    }
    if (lines.isEmpty()) {
      fail(where + ": connection closed");
    }
    return lines;
  }

  static byte[] unescape(String s) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'r' -> b.write('\r');
          case 'n' -> b.write('\n');
          case 't' -> b.write('\t');
          case '\\' -> b.write('\\');
          case 'x' -> {
            b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
            i += 2;
          }
          default -> throw new IllegalArgumentException("bad escape \\" + n);
        }
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        b.write(bytes, 0, bytes.length);
      }
    }
    return b.toByteArray();
  }
}
