package io.hermod.server;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A blocking SMTP client that can switch to TLS mid-connection (STARTTLS) or start in TLS (implicit), trusting
 * exactly one certificate: the one the server generated.
 */
final class TlsSmtpClient implements AutoCloseable {

  private final String host;
  private final int port;
  private final SSLContext ssl;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  private TlsSmtpClient(Socket socket, String host, int port, SSLContext ssl) throws IOException {
    this.host = host;
    this.port = port;
    this.ssl = ssl;
    use(socket);
  }

  /** A plain connection from {@code local} (127.0.0.2 is untrusted in the tests). */
  static TlsSmtpClient plain(String local, int port, Path trustedCert) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(15_000);
    return new TlsSmtpClient(s, "127.0.0.1", port, context(trustedCert));
  }

  /** A plain connection from {@code local}, then greeting, EHLO, STARTTLS, handshake and EHLO again. */
  static TlsSmtpClient startTls(String local, int port, Path trustedCert) throws Exception {
    TlsSmtpClient c = plain(local, port, trustedCert);
    c.expect(220);
    c.send("EHLO client.test").expect(250);
    c.send("STARTTLS").expect("220 2.0.0");
    c.startTls();
    c.send("EHLO client.test").expect(250);
    return c;
  }

  /** Implicit TLS (RFC 8314): the handshake before the greeting. */
  static TlsSmtpClient implicit(int port, Path trustedCert) throws Exception {
    SSLContext ctx = context(trustedCert);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(15_000);
    s.startHandshake();
    return new TlsSmtpClient(s, "127.0.0.1", port, ctx);
  }

  private static SSLContext context(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream pem = Files.newInputStream(cert)) {
      trust.setCertificateEntry("hermod", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private void use(Socket s) throws IOException {
    socket = s;
    in = s.getInputStream();
    out = s.getOutputStream();
  }

  /** Layers TLS over the connection (after the server's 220 to STARTTLS) and completes the handshake. */
  SSLSocket startTls() throws IOException {
    SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(socket, host, port, true);
    s.setSoTimeout(15_000);
    s.startHandshake();
    use(s);
    return s;
  }

  SSLSocket sslSocket() {
    return (SSLSocket) socket;
  }

  TlsSmtpClient send(String line) throws IOException {
    return raw(line + "\r\n");
  }

  TlsSmtpClient raw(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** Reads one reply, checks its code, returns all its lines. */
  List<String> expect(int code) throws IOException {
    List<String> lines = reply();
    assertNotNull(lines, "connection closed, expected " + code);
    assertEquals(code, Integer.parseInt(lines.get(lines.size() - 1).substring(0, 3)), lines.toString());
    return lines;
  }

  /** Reads one reply and checks its last line starts with {@code start} ("535 5.7.8"). */
  String expect(String start) throws IOException {
    List<String> lines = reply();
    assertNotNull(lines, "connection closed, expected " + start);
    String last = lines.get(lines.size() - 1);
    assertEquals(start, last.substring(0, Math.min(last.length(), start.length())), lines.toString());
    return last;
  }

  /** The lines of the next reply, or null when the server closed. */
  List<String> reply() throws IOException {
    List<String> lines = io.hermod.testing.SmtpLineClient.readReplyLines(in);
    if (lines.isEmpty() || !lines.get(lines.size() - 1).endsWith("\r")) {
      return null; // closed before a whole reply
    }
    return lines.stream().map(String::strip).toList();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
