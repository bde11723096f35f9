package io.hermod.tlspolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test with the openssl command (ECDSA P-256, so it takes milliseconds):
 * {@link #caFile()} is what the code under test is told to trust; {@link #issue} signs server certificates.
 */
public final class OpensslCa {

  /** A server certificate and its key, both PEM files. */
  public record Issued(Path certificate, Path key) {
  }

  private final Path dir;
  private final Path cert;
  private final Path key;
  private int serial;

  private OpensslCa(Path dir, Path cert, Path key) {
    this.dir = dir;
    this.cert = cert;
    this.key = key;
  }

  /** A new self-signed CA in {@code dir}, named {@code name}. */
  public static OpensslCa create(Path dir, String name) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path cert = dir.resolve(name + "-ca.pem");
    Path key = dir.resolve(name + "-ca.key");
    run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name + " Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return new OpensslCa(dir, cert, key);
  }

  public Path caFile() {
    return cert;
  }

  /** A server certificate for {@code names} (subjectAltName DNS names), valid for a day, signed by this CA. */
  public Issued issue(String... names) throws IOException, InterruptedException {
    String base = names[0].replace('*', '_') + "-" + (++serial);
    Path leafKey = dir.resolve(base + ".key");
    Path csr = dir.resolve(base + ".csr");
    Path leaf = dir.resolve(base + ".pem");
    Path ext = dir.resolve(base + ".ext");
    StringBuilder san = new StringBuilder("subjectAltName=");
    for (int i = 0; i < names.length; i++) {
      san.append(i == 0 ? "" : ",").append("DNS:").append(names[i]);
    }
    Files.writeString(ext, san + "\nextendedKeyUsage=serverAuth\n", StandardCharsets.US_ASCII);
    run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", leafKey.toString(), "-out", csr.toString(), "-subj", "/CN=" + names[0]);
    run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", cert.toString(), "-CAkey", key.toString(),
        "-set_serial", String.valueOf(1000 + serial), "-out", leaf.toString(), "-days", "1",
        "-extfile", ext.toString());
    return new Issued(leaf, leafKey);
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("openssl did not finish: " + String.join(" ", command));
    }
    if (p.exitValue() != 0) {
      throw new IOException("openssl failed (" + p.exitValue() + "): " + String.join(" ", command) + "\n" + output);
    }
  }
}
