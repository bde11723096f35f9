package io.hermod.auth;

import io.hermod.config.ConfigException;
import io.hermod.config.ConfigLoader;
import io.hermod.config.HermodConfig;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hermod user add|passwd|del|domains|list [NAME] [DOMAINS] [--domains LIST] [--password-stdin]
 * [--file USERS] [-conf FILE]}: manages the
 * SMTP AUTH user file named by {@code auth.usersFile} (or --file). A running Hermod picks changes up within
 * {@code auth.reloadCheckSeconds}. See docs/security.md.
 */
public final class UserCommand {

  static final String USAGE = "usage: hermod user add NAME [--domains D1,D2] [--password-stdin]"
      + " | user passwd NAME [--password-stdin] | user domains NAME D1,D2 (\"\" for none) | user del NAME"
      + " | user list   [--file USERS] [-conf FILE]";

  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;
  private final Console console;

  public UserCommand(InputStream stdin, PrintStream out, PrintStream err, Console console) {
    this.stdin = stdin;
    this.out = out;
    this.err = err;
    this.console = console;
  }

  /** @param args the arguments after "user"; @return the exit code */
  public int run(String[] args, String defaultConf) {
    String conf = defaultConf;
    String file = null;
    boolean passwordStdin = false;
    String verb = null;
    String name = null;
    String domains = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("-conf") || a.equals("--conf")) && i + 1 < args.length) {
        conf = args[++i];
      } else if (a.equals("--file") && i + 1 < args.length) {
        file = args[++i];
      } else if (a.equals("--domains") && i + 1 < args.length) {
        domains = args[++i];
      } else if (a.equals("--password-stdin")) {
        passwordStdin = true;
      } else if (verb == null) {
        verb = a;
      } else if (name == null) {
        name = a;
      } else if (verb.equals("domains") && domains == null) {
        domains = a;
      } else {
        return usage("unexpected argument '" + a + "'");
      }
    }
    if (verb == null) {
      return usage(null);
    }
    if (domains != null && !verb.equals("add") && !verb.equals("domains")) {
      return usage("--domains is for add (use: user domains NAME LIST)");
    }
    try {
      Path users = file != null ? Path.of(file) : usersFile(conf);
      switch (verb) {
        case "add":
        case "passwd":
          return name == null ? usage("missing NAME")
              : setPassword(users, name, verb.equals("add"), passwordStdin, domains == null ? "" : domains);
        case "domains":
          return name == null || domains == null ? usage("missing NAME or DOMAINS") : setDomains(users, name, domains);
        case "del":
          return name == null ? usage("missing NAME") : delete(users, name);
        case "list":
          UserFile.read(users).entries().forEach((n, e) ->
              out.println(e.domains().isEmpty() ? n : n + " " + String.join(",", e.domains())));
          return 0;
        default:
          return usage("unknown command '" + verb + "'");
      }
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("hermod user: " + e);
      return 1;
    }
  }

  private int setPassword(Path users, String name, boolean add, boolean passwordStdin, String domainList)
      throws IOException {
    if (!UserFile.validName(name)) {
      err.println("hermod user: bad name '" + name + "' (no ':', no spaces, 1..255 characters)");
      return 2;
    }
    List<String> domains = UserFile.parseDomains(domainList).orElse(null);
    if (domains == null) {
      return usage("bad domain list '" + domainList + "' (comma-separated domain names)");
    }
    Map<String, UserFile.Entry> all = new LinkedHashMap<>(readStrict(users));
    if (add == all.containsKey(name)) {
      err.println("hermod user: " + name + (add ? " already exists (use passwd)" : " does not exist (use add)"));
      return 1;
    }
    String password = readPassword(passwordStdin);
    if (password == null) {
      return 1;
    }
    // passwd keeps the user's domains
    all.put(name, new UserFile.Entry(PasswordHash.create(password, new SecureRandom()),
        add ? domains : all.get(name).domains()));
    UserFile.writeEntries(users, all);
    out.println((add ? "added " : "changed password of ") + name + " in " + users);
    return 0;
  }

  /** Sets (replaces) the sender domains of an existing user; "" removes them. */
  private int setDomains(Path users, String name, String domainList) throws IOException {
    List<String> domains = UserFile.parseDomains(domainList).orElse(null);
    if (domains == null) {
      return usage("bad domain list '" + domainList + "' (comma-separated domain names)");
    }
    Map<String, UserFile.Entry> all = new LinkedHashMap<>(readStrict(users));
    UserFile.Entry entry = all.get(name);
    if (entry == null) {
      err.println("hermod user: " + name + " does not exist");
      return 1;
    }
    all.put(name, new UserFile.Entry(entry.hash(), domains));
    UserFile.writeEntries(users, all);
    out.println("domains of " + name + " in " + users + ": " + (domains.isEmpty() ? "(none)" : String.join(",", domains)));
    return 0;
  }

  private int delete(Path users, String name) throws IOException {
    Map<String, UserFile.Entry> all = new LinkedHashMap<>(readStrict(users));
    if (all.remove(name) == null) {
      err.println("hermod user: " + name + " does not exist");
      return 1;
    }
    UserFile.writeEntries(users, all);
    out.println("deleted " + name + " from " + users);
    return 0;
  }

  /** Rewriting a file with bad lines would silently drop them: refuse instead. */
  private static Map<String, UserFile.Entry> readStrict(Path users) throws IOException {
    UserFile.Contents c = UserFile.read(users);
    if (!c.problems().isEmpty()) {
      throw new IOException("fix these lines first: " + String.join("; ", c.problems()));
    }
    return c.entries();
  }

  /** From the terminal (asked twice) unless --password-stdin or no terminal: then one line of stdin. */
  private String readPassword(boolean fromStdin) throws IOException {
    String password;
    if (!fromStdin && console != null) {
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Again: ");
      if (first == null || again == null || !Arrays.equals(first, again)) {
        err.println("hermod user: passwords differ");
        return null;
      }
      password = new String(first);
    } else {
      password = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
    }
    if (password == null || password.isEmpty()) {
      err.println("hermod user: empty password");
      return null;
    }
    return password;
  }

  /** auth.usersFile from the configuration (file if present, then HERMOD_* and hermod.* overrides). */
  private static Path usersFile(String conf) throws IOException {
    Path path = Path.of(conf);
    JsonObject file = Files.exists(path) ? new JsonObject(Files.readString(path)) : new JsonObject();
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> props.put(k.toString(), v.toString()));
    HermodConfig config = ConfigLoader.fromSources(file, System.getenv(), props);
    return config.auth().usersFile(config.spool());
  }

  private int usage(String problem) {
    if (problem != null) {
      err.println("hermod user: " + problem);
    }
    err.println(USAGE);
    return 2;
  }
}
