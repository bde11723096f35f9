package io.hermod.config;

import java.nio.file.Path;

/**
 * Server certificate for STARTTLS and implicit TLS listeners.
 *
 * @param certificateFile    PEM certificate chain ("tls.certificateFile"), or null to use a generated one
 * @param keyFile            PEM private key, PKCS#8 or PKCS#1 ("tls.keyFile"); set with the certificate
 * @param generatedDirectory where a self-signed certificate is generated at first start
 *                           ("tls.generatedDirectory"); null means {@code tls/} next to the spool directory
 * @param sessionCacheSize   most TLS sessions each listener keeps for resumption by session id
 *                           ("tls.sessionCacheSize"; TLS 1.3 and ticket-capable TLS 1.2 clients resume from
 *                           stateless tickets instead)
 * @param sessionTimeoutSeconds how long a cached session may be resumed, and the lifetime given to session tickets
 *                           ("tls.sessionTimeoutSeconds")
 */
public record TlsConfig(String certificateFile, String keyFile, String generatedDirectory, int sessionCacheSize,
                        int sessionTimeoutSeconds) {

  /** True when the operator gave a certificate or a key (then both are needed). */
  public boolean configured() {
    return certificateFile != null || keyFile != null;
  }

  /** The directory for a generated certificate, resolved against the spool's parent when not set. */
  public Path generatedDirectory(SpoolConfig spool) {
    return generatedDirectory != null ? Path.of(generatedDirectory) : DataDirectory.of(spool).resolve("tls");
  }
}
