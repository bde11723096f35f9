package io.hermod.testing;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An application as a user builds one: the example from the README (a fenced block after
 * {@code <!-- example:NAME -->}), compiled at test time with javac against a class path of our choosing, and
 * packed into a jar. So the README's example is what the tests compile and run.
 */
public final class ApplicationSources {

  private ApplicationSources() {
  }

  /**
   * The project's directory: failsafe runs *IT in target/ and sets hermod.client.jar (target/hermod-client.jar);
   * surefire runs tests in the project directory.
   */
  public static Path projectDir() {
    String clientJar = System.getProperty("hermod.client.jar");
    return clientJar == null ? Path.of("").toAbsolutePath()
        : Path.of(clientJar).toAbsolutePath().getParent().getParent();
  }

  /** The fenced code block that follows the marker {@code <!-- example:NAME -->} in README.md. */
  public static String readmeExample(String name) throws IOException {
    String readme = Files.readString(projectDir().resolve("README.md"));
    Matcher m = Pattern.compile("<!-- example:" + Pattern.quote(name) + "[ >].*?\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL)
        .matcher(readme);
    if (!m.find()) {
      throw new AssertionError("README.md has no example marked <!-- example:" + name + " -->");
    }
    return m.group(1) + "\n";
  }

  /**
   * Compiles {@code source} (one public class, its file named after it) into {@code out} with exactly
   * {@code classPath}; fails with javac's diagnostics.
   */
  public static void compile(String source, List<Path> classPath, Path out) throws IOException {
    Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(source);
    Matcher cls = Pattern.compile("(?m)^public (?:final )?class (\\w+)").matcher(source);
    if (!pkg.find() || !cls.find()) {
      throw new AssertionError("no package or public class in:\n" + source);
    }
    Path srcDir = Files.createDirectories(out.resolveSibling(out.getFileName() + "-src"));
    Path file = srcDir.resolve(cls.group(1) + ".java");
    Files.writeString(file, source);
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:all", "-d", out.toString(),
          "-classpath", String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
      boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
      if (!ok) {
        StringBuilder why = new StringBuilder("javac failed with class path " + classPath + ":\n");
        diagnostics.getDiagnostics().forEach(d -> why.append(d).append('\n'));
        throw new AssertionError(why.toString());
      }
    }
  }

  /** The files under {@code classes} as a jar (an application's app.jar). */
  public static Path jar(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
         Stream<Path> all = Files.walk(classes)) {
      for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(p));
        out.closeEntry();
      }
    }
    return jar;
  }

  /**
   * What an application of the client jar declares: Vert.x core and the Mail Client, with their own dependencies
   * (Netty, Jackson), taken from this build's class path; nothing of Hermod's server.
   */
  public static List<Path> vertxJars() {
    List<Path> jars = new ArrayList<>();
    for (String name : List.of("vertx-core-5.*", "vertx-core-logging-.*", "netty-.*", "jackson-core-.*",
        "vertx-mail-client-.*", "vertx-auth-common-.*")) {
      jars.addAll(jarsOnClassPath(name + "\\.jar"));
    }
    return jars;
  }

  /**
   * The jars of this JVM's class path whose file names match {@code pattern} (e.g. Vert.x and Netty, taken from
   * the build's own dependencies); fails when none does.
   */
  public static List<Path> jarsOnClassPath(String pattern) {
    Pattern p = Pattern.compile(pattern);
    List<Path> jars = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(Path::of).filter(f -> p.matcher(f.getFileName().toString()).matches()).toList();
    if (jars.isEmpty()) {
      throw new AssertionError("no jar matching " + pattern + " on the class path");
    }
    return jars;
  }
}
