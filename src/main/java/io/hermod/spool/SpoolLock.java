package io.hermod.spool;

import io.hermod.config.ConfigException;
import io.hermod.config.FileProblem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Hermod per spool: an exclusive lock on {@code <spool.directory>/hermod.lock}, taken before anything else
 * at start and held until Hermod has stopped (docs/spool.md, "Layout"). Two instances on one spool would each
 * replay, deliver and remove the other's messages. The lock is the operating system's ({@link FileChannel#tryLock},
 * {@code fcntl} on Linux), so a killed process releases it at once and a stale file is never a problem; the file
 * holds the holder's process id for the message a second instance gets. Tools that only read (the queue CLI talks
 * to the running instance over HTTP; {@code hermod user} edits the user file) do not take it.
 *
 * <p>Nothing else in the process may open the lock file: with POSIX locks, closing any descriptor of the file
 * drops the lock.
 */
public final class SpoolLock implements AutoCloseable {

  static final String FILE = "hermod.lock";

  /** The lock files this JVM holds (tests run several Hermods in one JVM). */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SpoolLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the spool directory if needed and locks it. Blocking. Fails with a {@link ConfigException} on
   * {@code spool.directory} when the directory cannot be made or written, and with {@link SpoolLockedException}
   * when another process (or another Hermod in this JVM) holds it.
   */
  public static SpoolLock acquire(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException("spool.directory", "cannot create " + dir + ": " + FileProblem.describe(e));
    }
    Path file = dir.resolve(FILE);
    // Checked before the file is opened: a second descriptor of it, once closed, would drop this process's lock.
    if (!HELD.add(file)) {
      throw new SpoolLockedException(dir, file, "another Hermod in this process");
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      HELD.remove(file);
      throw new ConfigException("spool.directory", "cannot write in " + dir + ": " + FileProblem.describe(e));
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      close(channel, file);
      throw new ConfigException("spool.directory", "cannot lock " + file + " (the spool must be on a local file "
          + "system that supports locks): " + (e instanceof IOException io ? FileProblem.describe(io) : e));
    }
    if (lock == null) {
      String holder = holder(channel);
      close(channel, file);
      throw new SpoolLockedException(dir, file, holder == null ? "another process" : "process " + holder);
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
    } catch (IOException e) {
      // The lock is what counts; the process id is only for the message a second instance prints.
    }
    return new SpoolLock(file, channel, lock);
  }

  /** The process id the holder wrote, read through our own descriptor (opening the file again would be unsafe). */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
      return text.matches("\\d{1,19}") ? text : null;
    } catch (IOException e) {
      return null;
    }
  }

  public Path file() {
    return file;
  }

  /** Releases the lock (the file stays: a later start locks it again). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // closing the channel releases it too
    }
    close(channel, file);
  }

  private static void close(FileChannel channel, Path file) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do
    } finally {
      HELD.remove(file);
    }
  }

  /** Another process (or another Hermod in this JVM) holds the spool. */
  public static final class SpoolLockedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SpoolLockedException(Path dir, Path file, String holder) {
      super("spool " + dir + " is in use by " + holder + " (lock " + file + "): two instances must not share a "
          + "spool; stop the other one, or give this one its own spool.directory");
    }
  }
}
