package io.hermod.tls;

import io.hermod.config.ConfigException;
import io.hermod.config.FileProblem;
import io.hermod.config.FileStamp;
import io.hermod.config.HermodConfig;
import io.hermod.config.TlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The listeners' certificate and key (PEM files): the configured ones, or a self-signed pair ({@link SelfSigned})
 * generated at first start into {@code tls.generatedDirectory} and reused afterwards until it is about to expire or
 * no longer names the host. Only TLS 1.2 and 1.3 are enabled
 * (RFC 8996 deprecates 1.0 and 1.1). {@link #refresh} loads a renewed pair (changed files, or other paths
 * after a configuration reload) without a restart: the next handshake serves it.
 */
public final class ServerCertificate {

  private static final Logger LOG = Logger.getLogger(ServerCertificate.class.getName());
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  static final String CERT_NAME = "cert.pem";
  static final String KEY_NAME = "key.pem";
  /** A generated certificate is made again this long before it expires (at start, or at a file check). */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final Vertx vertx;
  private final SwappableKeyManager keyManager;
  private final ServerSSLOptions options;
  private final SessionResumption resumption;
  private volatile FileStamp loaded;

  private ServerCertificate(Vertx vertx, FileStamp stamp, X509ExtendedKeyManager initial, TlsConfig tls) {
    this.vertx = vertx;
    this.loaded = stamp;
    this.resumption = new SessionResumption(tls.sessionCacheSize(), tls.sessionTimeoutSeconds());
    this.keyManager = new SwappableKeyManager(initial);
    this.options = new ServerSSLOptions()
        .setKeyCertOptions(KeyCertOptions.wrap(keyManager))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  /**
   * The configured pair, checked to be readable and to match, or the generated one (made now if missing).
   * Blocking: file I/O and RSA key generation; call it off the event loop.
   */
  public static ServerCertificate resolve(Vertx vertx, HermodConfig config) {
    FileStamp stamp = FileStamp.of(paths(config));
    return new ServerCertificate(vertx, stamp, load(vertx, stamp), config.tls());
  }

  /**
   * Loads the pair again if the configuration names other files or the files changed since the last load;
   * keeps serving the old pair (and says why) if the new one cannot be read or does not match: a renewal
   * tool may have written the certificate but not yet the key. Blocking. Returns true if a new pair is served.
   */
  public boolean refresh(HermodConfig config) {
    FileStamp now;
    try {
      now = FileStamp.of(paths(config));
    } catch (ConfigException e) {
      LOG.warning("tls: keeping the current certificate: " + e.getMessage());
      return false;
    }
    if (now.equals(loaded)) {
      return false;
    }
    try {
      keyManager.swap(load(vertx, now));
    } catch (ConfigException e) {
      LOG.warning("tls: keeping the current certificate: " + e.getMessage());
      return false;
    }
    loaded = now;
    LOG.info("tls: now serving the certificate in " + now.files().get(0));
    return true;
  }

  /**
   * The same options for every STARTTLS upgrade and for implicit TLS, so that Vert.x keeps the TLS context it
   * built for the first one: the upgrade then installs the TLS handler at once, leaving no gap in which
   * plaintext could be read and later taken for TLS data. Renewed certificates reach it through the key
   * manager, not through new options.
   */
  public ServerSSLOptions sslOptions() {
    return options;
  }

  /**
   * The TLS engine for every TLS listener's {@code NetServerOptions}: the JDK's, with the session cache and
   * timeout of {@code tls.sessionCacheSize} and {@code tls.sessionTimeoutSeconds} (fixed at start).
   */
  public SessionResumption engineOptions() {
    return resumption;
  }

  public Path certificate() {
    return loaded.files().get(0);
  }

  public Path key() {
    return loaded.files().get(1);
  }

  /** The certificate and key files the configuration names, generating the default pair when needed. */
  private static Path[] paths(HermodConfig config) {
    TlsConfig tls = config.tls();
    if (tls.configured()) {
      if (tls.certificateFile() == null || tls.keyFile() == null) {
        throw new ConfigException(tls.certificateFile() == null ? "tls.certificateFile" : "tls.keyFile",
            "tls.certificateFile and tls.keyFile must be set together");
      }
      readable("tls.certificateFile", Path.of(tls.certificateFile()));
      readable("tls.keyFile", Path.of(tls.keyFile()));
      return new Path[] {Path.of(tls.certificateFile()), Path.of(tls.keyFile())};
    }
    Path dir = tls.generatedDirectory(config.spool());
    Path cert = dir.resolve(CERT_NAME);
    Path key = dir.resolve(KEY_NAME);
    if (!Files.isReadable(cert) || !Files.isReadable(key)) {
      generate(config.hostname(), dir, cert, key, null);
    } else {
      String stale = stale(cert, config.hostname(), Instant.now());
      if (stale != null) {
        generate(config.hostname(), dir, cert, key, stale);
      }
    }
    return new Path[] {cert, key};
  }

  /**
   * Why a generated certificate must be made again, or null: it expires within {@link #RENEW_BEFORE}, does not
   * name {@code hostname} (changed since), or has no subjectAltName (made by an older Hermod: CN only).
   */
  static String stale(Path cert, String hostname, Instant now) {
    X509Certificate x509;
    try (java.io.InputStream in = Files.newInputStream(cert)) {
      x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      return "it cannot be read (" + e.getMessage() + ")";
    }
    List<String> names = SelfSigned.subjectAltNames(x509);
    if (names.isEmpty()) {
      return "it has no subjectAltName";
    }
    if (!names.contains(hostname)) {
      return "it does not name " + hostname;
    }
    if (x509.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
      return "it expires on " + x509.getNotAfter().toInstant();
    }
    return null;
  }

  private static X509ExtendedKeyManager load(Vertx vertx, FileStamp stamp) {
    Path cert = stamp.files().get(0);
    Path key = stamp.files().get(1);
    X509ExtendedKeyManager km;
    try {
      KeyManager[] managers = new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString())
          .getKeyManagerFactory(vertx).getKeyManagers();
      km = (X509ExtendedKeyManager) managers[0];
    } catch (Exception e) {
      throw new ConfigException("tls.certificateFile", "cannot load " + cert + " with " + key + ": " + e.getMessage());
    }
    checkKeyMatchesCertificate(km, cert, key);
    return km;
  }

  /**
   * A certificate whose public key is not the private key's would fail every handshake: refuse it (sign a
   * random challenge with the key, verify it with the certificate).
   */
  private static void checkKeyMatchesCertificate(X509ExtendedKeyManager km, Path cert, Path key) {
    for (String type : new String[] {"RSA", "EC"}) {
      String[] aliases = km.getServerAliases(type, null);
      if (aliases == null) {
        continue;
      }
      for (String alias : aliases) {
        X509Certificate[] chain = km.getCertificateChain(alias);
        PrivateKey privateKey = km.getPrivateKey(alias);
        if (chain != null && chain.length > 0 && privateKey != null
            && !matches(type.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA", privateKey, chain[0].getPublicKey())) {
          throw new ConfigException("tls.keyFile", "the key in " + key + " does not belong to the certificate in " + cert);
        }
      }
    }
  }

  private static boolean matches(String algorithm, PrivateKey privateKey, PublicKey publicKey) {
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * A self-signed pair ({@link SelfSigned}: subjectAltNames for the host name, localhost, 127.0.0.1 and ::1,
   * {@value SelfSigned#VALIDITY_DAYS} days), each file written to a temporary name and renamed into place (the key
   * mode 0600). {@code why} says why an existing pair is replaced, or is null at first start.
   */
  private static void generate(String hostname, Path dir, Path cert, Path key, String why) {
    SelfSigned.Pem generated = SelfSigned.generate(hostname, Instant.now(), new SecureRandom());
    try {
      Files.createDirectories(dir);
      Path keyTmp = Files.createTempFile(dir, ".key", ".tmp");
      restrict(keyTmp);
      Files.writeString(keyTmp, generated.privateKey(), StandardCharsets.US_ASCII);
      Files.move(keyTmp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Path certTmp = Files.createTempFile(dir, ".cert", ".tmp");
      Files.writeString(certTmp, generated.certificate(), StandardCharsets.US_ASCII);
      Files.move(certTmp, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ConfigException("tls.generatedDirectory", "cannot write a generated certificate to " + dir
          + " (by default tls/ next to spool.directory; set tls.generatedDirectory, or tls.certificateFile and"
          + " tls.keyFile): " + FileProblem.describe(e));
    }
    LOG.info("tls: no certificate configured; generated a self-signed certificate for " + String.join(", ",
        SelfSigned.names(hostname)) + ", valid " + SelfSigned.VALIDITY_DAYS + " days, in " + dir
        + (why == null ? "" : " (replacing the one there: " + why + ")")
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
