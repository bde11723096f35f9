package io.hermod.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hermod in a separate JVM ({@code io.hermod.Main -conf FILE} on the test class path), for tests that kill it.
 * Its log is drained (and kept) so that the child never blocks on a full pipe.
 */
public final class HermodProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening for mx on 127\\.0\\.0\\.1:(\\d+)");

  private static final int MAX_LOG_CHARS = 1 << 20;

  private final Process process;
  private final StringBuilder log = new StringBuilder();
  private final CountDownLatch listening = new CountDownLatch(1);
  private final AtomicInteger port = new AtomicInteger();

  private final Thread drain;

  private HermodProcess(Process process) {
    this.process = process;
    drain = new Thread(this::drainLog, "hermod-child-log");
    drain.setDaemon(true);
    drain.start();
  }

  /** Starts the child and waits (at most 30 s) until its mx listener is bound. */
  public static HermodProcess start(Path conf) throws IOException, InterruptedException {
    return start(conf, List.of(), List.of());
  }

  /**
   * As {@link #start(Path)}, with options for the child JVM (e.g. "-Xmx256m") and arguments for Main after
   * {@code -conf FILE} (e.g. "-cluster").
   */
  public static HermodProcess start(Path conf, List<String> jvmOptions, List<String> mainArgs)
      throws IOException, InterruptedException {
    return start(System.getProperty("java.class.path"), conf, jvmOptions, mainArgs);
  }

  /** As {@link #start(Path, List, List)} on another class path, e.g. {@code hermod.jar:app.jar}. */
  public static HermodProcess start(String classPath, Path conf, List<String> jvmOptions, List<String> mainArgs)
      throws IOException, InterruptedException {
    return launch(jvmOptions, List.of("-cp", classPath, "io.hermod.Main"), conf, mainArgs);
  }

  /**
   * As {@link #start(Path, List, List)} from the packaged jar ({@code java -jar hermod.jar}, as an operator starts
   * it), for tests under failsafe that get its path in the system property {@code hermod.jar}.
   */
  public static HermodProcess startJar(Path jar, Path conf, List<String> jvmOptions, List<String> mainArgs)
      throws IOException, InterruptedException {
    return launch(jvmOptions, List.of("-jar", jar.toString()), conf, mainArgs);
  }

  private static HermodProcess launch(List<String> jvmOptions, List<String> main, Path conf, List<String> mainArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(main);
    command.addAll(List.of("-conf", conf.toString()));
    command.addAll(mainArgs);
    HermodProcess child = new HermodProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    if (!child.listening.await(30, TimeUnit.SECONDS)) {
      child.kill();
      throw new AssertionError("Hermod did not start:\n" + child.log());
    }
    return child;
  }

  /** The port of the mx listener (the first one logged). */
  public int port() {
    return port.get();
  }

  /** SIGKILL (on Linux {@code destroyForcibly}): no shutdown hook runs. Waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("the Hermod child did not die");
    }
  }

  /**
   * SIGTERM: Hermod's graceful shutdown. Waits (bounded) for the exit, then kills if needed; then (bounded) until
   * everything the process wrote is in {@link #log()}.
   */
  public void stop() throws InterruptedException {
    // Through the handle: Process.destroy() also closes our end of the child's output, and what the child logs
    // while it shuts down would be lost.
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
    drain.join(10_000);
  }

  /** The exit status once the process has ended (e.g. after {@link #stop()}). */
  public int exitValue() {
    return process.exitValue();
  }

  /** Waits at most {@code seconds} until a line of the log contains {@code text}. */
  public void awaitLog(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!log().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no \"" + text + "\" in the log within " + seconds + " s:\n" + log());
      }
      Thread.sleep(50);
    }
  }

  public String log() {
    synchronized (log) {
      return log.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private void drainLog() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (log) {
          log.append(line).append('\n');
          if (log.length() > MAX_LOG_CHARS) { // keep the tail: a long run logs every delivery
            log.delete(0, log.length() - MAX_LOG_CHARS / 2);
          }
        }
        Matcher m = LISTENING.matcher(line);
        if (listening.getCount() > 0 && m.find()) {
          port.set(Integer.parseInt(m.group(1)));
          listening.countDown();
        }
      }
    } catch (IOException ignored) {
      // the process died
    }
  }
}
