package io.hermod.api;

import io.hermod.testing.ApplicationSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client jar (target/hermod-client.jar, README "Your application and Hermod") stands alone: it holds the API
 * types only, its classes reference nothing but io.hermod.api, io.vertx and the JDK (read from the class files
 * by jdeps), an application compiles against it and Vert.x alone, and the pom Maven installs pulls nothing.
 */
@Timeout(60)
class ClientJarIT {

  /** What a class of the client jar may reference: itself, Vert.x (core, Mail Client), the JDK. */
  private static final List<String> ALLOWED = List.of("io.hermod.api.", "io.vertx.", "java.");

  static Path clientJar() {
    return Path.of(System.getProperty("hermod.client.jar"));
  }

  @Test
  void itHoldsTheApiTypesAndNothingElse() throws Exception {
    try (JarFile jar = new JarFile(clientJar().toFile())) {
      List<String> classes = jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
      for (String type : List.of("HermodClient", "Submission", "Submission$Builder", "SubmitResult", "SubmitFailure",
          "DeliveryEvent", "Addresses")) {
        assertTrue(classes.contains("io/hermod/api/" + type + ".class"), type + " missing: " + classes);
      }
      classes.forEach(c -> assertTrue(c.startsWith("io/hermod/api/"), c));
      // No copy of the server's pom (its dependency list) inside.
      assertTrue(jar.stream().noneMatch(e -> e.getName().endsWith("pom.xml")), "a pom.xml in the client jar");
    }
  }

  @Test
  void itsClassesReferenceOnlyTheApiVertxAndTheJdk() {
    Set<String> referenced = referencedClasses(clientJar());
    assertTrue(referenced.contains("io.vertx.core.eventbus.EventBus"), referenced.toString()); // jdeps did read it
    assertEquals(Set.of(), outsideAllowed(referenced));
  }

  /** The check above can fail: a server class (the submit verticle) references the spool, the config... */
  @Test
  void aServerClassFailsTheSameCheck() {
    Path serverClass = ApplicationSources.projectDir().resolve("target/classes/io/hermod/submit/SubmitVerticle.class");
    Set<String> outside = outsideAllowed(referencedClasses(serverClass));
    assertTrue(outside.stream().anyMatch(c -> c.startsWith("io.hermod.spool.")), outside.toString());
  }

  @Test
  void theReadmeExampleCompilesAgainstTheClientJarAndVertxAlone(@TempDir Path temp) throws Exception {
    List<Path> classPath = new ArrayList<>(ApplicationSources.vertxJars());
    classPath.forEach(p -> assertFalse(p.getFileName().toString().startsWith("hermod"), p.toString()));
    classPath.add(clientJar());
    ApplicationSources.compile(ApplicationSources.readmeExample("canary"), classPath, temp.resolve("classes"));
    assertTrue(temp.resolve("classes/com/example/mail/Canary.class").toFile().isFile());
  }

  /** What `mvn install` installs as Hermod's pom (the shade plugin's dependency-reduced pom) pulls nothing. */
  @Test
  void theInstalledPomHasNoDependencyAnApplicationWouldPull() throws Exception {
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(ApplicationSources.projectDir().resolve("target/dependency-reduced-pom.xml").toFile()).getDocumentElement();
    List<String> pulled = new ArrayList<>();
    for (Element dependencies : children(project, "dependencies")) {
      for (Element d : children(dependencies, "dependency")) {
        List<Element> scope = children(d, "scope");
        String s = scope.isEmpty() ? "compile" : scope.get(0).getTextContent().trim();
        if (!s.equals("test") && !s.equals("provided")) {
          pulled.add(children(d, "artifactId").get(0).getTextContent() + " (" + s + ")");
        }
      }
    }
    assertEquals(List.of(), pulled);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
        out.add((Element) nodes.item(i));
      }
    }
    return out;
  }

  /** Every class the class files under {@code path} (a jar or a .class file) reference, as jdeps reads them. */
  private static Set<String> referencedClasses(Path path) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "--multi-release", "17",
        path.toString());
    assertEquals(0, status, err.toString());
    assertTrue(out.toString().contains(" -> "), "jdeps read nothing of " + path + ":\n" + out + err);
    // "   io.hermod.api.HermodClient   -> io.vertx.core.Future   not found"
    Matcher m = Pattern.compile("(?m)^\\s+\\S+\\s+->\\s+(\\S+)").matcher(out.toString());
    Set<String> referenced = new TreeSet<>();
    while (m.find()) {
      referenced.add(m.group(1));
    }
    return referenced;
  }

  private static Set<String> outsideAllowed(Set<String> referenced) {
    return referenced.stream().filter(c -> ALLOWED.stream().noneMatch(c::startsWith))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
