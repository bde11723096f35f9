package io.hermod.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A private Dovecot LMTP server (Debian's dovecot-core + dovecot-lmtpd) in a folder of its own: its own
 * config file, base_dir and log, listening on 127.0.0.1 on a free port, delivering to
 * {@code <dir>/mail/<domain>/<user>} (Maildir) for the users it is given (others get 550 5.1.1). Started in the foreground ({@code -F}), stopped by PID.
 */
final class PrivateDovecot implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/dovecot");
  private static final int NOBODY = 65534;

  final Path dir;
  final int port;
  private final Process process;

  private PrivateDovecot(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Fails (never skips) without Dovecot: CI installs it, and a skip would hide a missing step. */
  static void require() {
    org.junit.jupiter.api.Assertions.assertTrue(installed(),
        "dovecot-core and dovecot-lmtpd are required: apt-get install dovecot-core dovecot-lmtpd (see .ci/run)");
  }

  static boolean installed() {
    return Files.isExecutable(BINARY) && Files.isDirectory(Path.of("/usr/lib/dovecot"))
        && Files.exists(Path.of("/usr/lib/dovecot/lmtp"));
  }

  static PrivateDovecot start(Path dir, java.util.List<String> users) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("run"));
    Path mail = Files.createDirectories(dir.resolve("mail"));
    int uid = ((Number) Files.getAttribute(mail, "unix:uid")).intValue();
    int gid = ((Number) Files.getAttribute(mail, "unix:gid")).intValue();
    if (uid == 0) {
      uid = NOBODY;
      gid = NOBODY;
      Files.setAttribute(mail, "unix:uid", uid);
      Files.setAttribute(mail, "unix:gid", gid);
      // Dovecot refuses to deliver as root: as root, deliver as nobody, who must reach and write the folder.
      Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    int port = io.hermod.testing.Ports.free();
    Path usersFile = dir.resolve("users");
    // passwd-file lines: user:password:uid:gid:gecos:home:shell:extra; uid, gid and home come from the defaults.
    Files.write(usersFile, users.stream().map(u -> u + "::::::").toList());
    Path conf = dir.resolve("dovecot.conf");
    Files.writeString(conf, String.join("\n",
        "base_dir = " + dir.resolve("run"),
        "state_dir = " + dir.resolve("run/state"),
        "instance_name = hermod-test-" + port,
        "listen = 127.0.0.1",
        "protocols = lmtp",
        "ssl = no",
        "log_path = " + dir.resolve("dovecot.log"),
        "info_log_path = " + dir.resolve("dovecot.log"),
        "mail_location = maildir:" + mail + "/%d/%n",
        "first_valid_uid = " + Math.min(uid, 500),
        "first_valid_gid = 0",
        "service lmtp {",
        "  inet_listener lmtp {",
        "    address = 127.0.0.1",
        "    port = " + port,
        "  }",
        "}",
        "passdb {",
        "  driver = static",
        "  args = nopassword=y",
        "}",
        "userdb {",
        "  driver = passwd-file",
        "  args = username_format=%u " + usersFile,
        "  default_fields = uid=" + uid + " gid=" + gid + " home=" + dir.resolve("home") + "/%d/%n",
        "}",
        ""));
    Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString(), "-F")
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
    PrivateDovecot dovecot = new PrivateDovecot(dir, port, p);
    try {
      dovecot.awaitListening();
    } catch (IOException | RuntimeException e) {
      dovecot.close();
      throw e;
    }
    return dovecot;
  }

  Path maildir(String domain, String user) {
    return dir.resolve("mail").resolve(domain).resolve(user);
  }

  String log() throws IOException {
    Path log = dir.resolve("dovecot.log");
    return (Files.exists(log) ? Files.readString(log) : "") + Files.readString(dir.resolve("stdout.txt"));
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("dovecot did not start listening on " + port + ": " + log());
        }
        Thread.sleep(50);
      }
    }
  }

  /** SIGTERM to the master (it stops its children), then SIGKILL if it does not exit in time. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
