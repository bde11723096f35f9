package io.hermod.tls;

import io.hermod.config.ConfigException;
import io.hermod.config.HermodConfig;
import io.hermod.config.TlsConfig;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.ServerSSLOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The listener's certificate and key (PEM files): the configured ones, or a self-signed pair generated at
 * first start into {@code tls.generatedDirectory} and reused afterwards. Only TLS 1.2 and 1.3 are enabled
 * (RFC 8996 deprecates 1.0 and 1.1).
 */
public final class ServerCertificate {

  private static final Logger LOG = Logger.getLogger(ServerCertificate.class.getName());
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  static final String CERT_NAME = "cert.pem";
  static final String KEY_NAME = "key.pem";

  private final Path certificate;
  private final Path key;
  private final ServerSSLOptions options;

  public ServerCertificate(Path certificate, Path key) {
    this.certificate = certificate;
    this.key = key;
    this.options = new ServerSSLOptions()
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString()))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  /**
   * The configured pair, checked to be readable, or the generated one (made now if missing). Blocking: file
   * I/O and RSA key generation; call it at startup, off the event loop.
   */
  public static ServerCertificate resolve(HermodConfig config) {
    TlsConfig tls = config.tls();
    if (tls.configured()) {
      if (tls.certificateFile() == null || tls.keyFile() == null) {
        throw new ConfigException(tls.certificateFile() == null ? "tls.certificateFile" : "tls.keyFile",
            "tls.certificateFile and tls.keyFile must be set together");
      }
      readable("tls.certificateFile", Path.of(tls.certificateFile()));
      readable("tls.keyFile", Path.of(tls.keyFile()));
      return new ServerCertificate(Path.of(tls.certificateFile()), Path.of(tls.keyFile()));
    }
    Path dir = tls.generatedDirectory(config.spool());
    Path cert = dir.resolve(CERT_NAME);
    Path key = dir.resolve(KEY_NAME);
    if (!Files.isReadable(cert) || !Files.isReadable(key)) {
      generate(config.hostname(), dir, cert, key);
    }
    return new ServerCertificate(cert, key);
  }

  /**
   * The same options for every STARTTLS upgrade, so that Vert.x reuses the TLS context it built for the first
   * one: the upgrade then installs the TLS handler at once, leaving no gap in which plaintext could be read
   * and later taken for TLS data. A renewed certificate is read at the next start.
   */
  public ServerSSLOptions sslOptions() {
    return options;
  }

  public Path certificate() {
    return certificate;
  }

  public Path key() {
    return key;
  }

  /**
   * Vert.x's SelfSignedCertificate (Netty's generator; it works on JDK 17 without BouncyCastle) writes a
   * 2048-bit RSA key and certificate for the host name to temporary files; we keep copies.
   */
  private static void generate(String hostname, Path dir, Path cert, Path key) {
    SelfSignedCertificate generated = SelfSignedCertificate.create(hostname);
    try {
      Files.createDirectories(dir);
      Path keyTmp = Files.createTempFile(dir, ".key", ".tmp");
      restrict(keyTmp);
      Files.copy(Path.of(generated.privateKeyPath()), keyTmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(keyTmp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Path certTmp = Files.createTempFile(dir, ".cert", ".tmp");
      Files.copy(Path.of(generated.certificatePath()), certTmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(certTmp, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ConfigException("tls.generatedDirectory", "cannot write a generated certificate to " + dir + ": " + e);
    } finally {
      generated.delete();
    }
    LOG.info("tls: no certificate configured; generated a self-signed certificate for " + hostname + " in " + dir
        + " (set tls.certificateFile and tls.keyFile for a real one)");
  }

  private static void readable(String key, Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigException(key, "cannot read " + file);
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }
}
