package io.hermod.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/replies.md and {@link Replies} agree: every reply constant and factory of Replies has a row in the table with
 * the same code, enhanced status code and text, and every reply the table lists is one Replies can give. In the
 * table's text, {@code <name>}, a lone {@code n} or {@code X} and {@code ...} stand for variable text.
 */
class RepliesDocTest {

  private static final Pattern DOC_REPLY = Pattern.compile("^(\\d{3})[ -](?:(\\d\\.\\d{1,3}\\.\\d{1,3}) )?(.*)$");
  private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z0-9 ]+>|\\bn\\b|\\bX\\b|\\.\\.\\.");

  /** One reply as the table documents it: text is a regular expression. */
  private record Documented(int code, String status, Pattern text, String asWritten) {
    boolean matches(Reply r) {
      return r.code() == code && Objects.equals(r.status(), status) && text.matcher(r.lines().get(0)).matches();
    }
  }

  /** A reply from the code, named by the constant or factory it came from. */
  private record Given(String name, Reply reply) {
  }

  @Test
  void everyReplyOfRepliesIsDocumentedAndEveryDocumentedReplyExists() throws Exception {
    List<Documented> documented = documented();
    List<Given> given = given();
    assertTrue(documented.size() > 50, "the table was parsed: " + documented.size());
    assertTrue(given.size() > 50, "Replies was read: " + given.size());

    TreeSet<String> undocumented = new TreeSet<>();
    for (Given g : given) {
      if (documented.stream().noneMatch(d -> d.matches(g.reply()))) {
        undocumented.add(g.name() + " = " + g.reply().summary());
      }
    }
    assertEquals(new TreeSet<>(), undocumented, "replies missing from docs/replies.md (or with another code/text)");

    TreeSet<String> unknown = new TreeSet<>();
    for (Documented d : documented) {
      if (given.stream().noneMatch(g -> d.matches(g.reply()))) {
        unknown.add(d.asWritten());
      }
    }
    assertEquals(new TreeSet<>(), unknown, "replies in docs/replies.md that Replies does not give");
  }

  /** The reply spans (`250 2.0.0 OK`) of the first column of the table. */
  private static List<Documented> documented() throws Exception {
    List<Documented> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("docs/replies.md"))) {
      if (!line.startsWith("| `")) {
        continue;
      }
      Matcher span = Pattern.compile("`([^`]+)`").matcher(line.split("\\|")[1]);
      while (span.find()) {
        Matcher m = DOC_REPLY.matcher(span.group(1));
        if (m.matches()) {
          out.add(new Documented(Integer.parseInt(m.group(1)), m.group(2), regex(m.group(3)), span.group(1)));
        }
      }
    }
    return out;
  }

  private static Pattern regex(String docText) {
    StringBuilder re = new StringBuilder();
    Matcher p = PLACEHOLDER.matcher(docText);
    int last = 0;
    while (p.find()) {
      re.append(Pattern.quote(docText.substring(last, p.start()))).append(".*");
      last = p.end();
    }
    re.append(Pattern.quote(docText.substring(last)));
    return Pattern.compile(re.toString());
  }

  /** Every public constant of Replies, and every factory called with sample arguments. */
  private static List<Given> given() throws Exception {
    List<Given> out = new ArrayList<>();
    for (Field f : Replies.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Reply.class) {
        out.add(new Given(f.getName(), (Reply) f.get(null)));
      }
    }
    for (Method m : Replies.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Reply.class) {
        Object[] args = new Object[m.getParameterCount()];
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
          args[i] = types[i] == String.class ? "x" : types[i] == long.class ? 7L : types[i] == int.class ? 7 : List.of();
        }
        out.add(new Given(m.getName() + "(...)", (Reply) m.invoke(null, args)));
      }
    }
    return out;
  }
}
