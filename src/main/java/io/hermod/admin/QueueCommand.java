package io.hermod.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar hermod.jar queue list|show ID|flush ID|hold ID|release ID|delete ID|bounce ID|summary|sites|
 * bulk ACTION|jobs|job ID|cancel ID [--url URL] [--token T]}: the queue admin API from a shell
 * (docs/operations.md). Plain-text tables, one line per message. Exit status: 0 done, 1 the server refused or
 * could not be reached, 2 usage error.
 */
public final class QueueCommand {

  static final String DEFAULT_URL = "http://127.0.0.1:8025";
  private static final String FILTER_USAGE = "[--domain D] [--site S] [--sender X]"
      + " [--state held|active|waiting|deferred|ready] [--min-age 1h] [--max-age 2d]";
  private static final String USAGE = "usage: hermod queue list " + FILTER_USAGE + " [--cursor C] [--limit N]"
      + " | show ID | flush ID | hold ID | release ID | delete ID | bounce ID | summary [--by domain|site] | sites"
      + " | bulk hold|release|delete|bounce|flush " + FILTER_USAGE + " [--all] | jobs | job JOB | cancel JOB"
      + "   [--url " + DEFAULT_URL + "] [--token T]   (token also from $HERMOD_ADMIN_TOKEN or $HERMOD_HTTP_ADMIN_TOKEN)";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  public QueueCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** The filter options and the API's names for them (query parameters, bulk request fields). */
  static final Map<String, String> FILTERS = Map.of("domain", "domain", "site", "site", "sender", "sender",
      "state", "state", "min-age", "minAge", "max-age", "maxAge");
  /** The options the commands know; anything else is a usage error. */
  private static final java.util.Set<String> OPTIONS = java.util.Set.of("url", "token", "domain", "site", "sender",
      "state", "min-age", "max-age", "cursor", "limit", "by");
  /** Options without a value. */
  private static final java.util.Set<String> FLAGS = java.util.Set.of("all");

  /** Runs {@code args} (after "queue"); returns the exit status. */
  public int run(String[] args) {
    List<String> words = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String name = args[i].substring(2);
        if (FLAGS.contains(name)) {
          options.put(name, "true");
          continue;
        }
        if (!OPTIONS.contains(name)) { // a typo (--stat) must not silently widen a listing or a bulk action
          return usage("unknown option " + args[i]);
        }
        if (i + 1 >= args.length) {
          return usage("option " + args[i] + " needs a value");
        }
        options.put(name, args[++i]);
      } else {
        words.add(args[i]);
      }
    }
    if (words.isEmpty()) {
      return usage(null);
    }
    AdminClient client;
    try {
      client = new AdminClient(options.getOrDefault("url", DEFAULT_URL),
          options.getOrDefault("token", env.getOrDefault("HERMOD_ADMIN_TOKEN", env.get("HERMOD_HTTP_ADMIN_TOKEN"))));
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    String verb = words.get(0);
    try {
      switch (verb) {
        case "list" -> {
          Map<String, String> query = new LinkedHashMap<>(filter(options));
          query.put("cursor", options.get("cursor"));
          query.put("limit", options.get("limit"));
          printList(client.get("/queue", query));
        }
        case "summary" -> {
          String by = options.getOrDefault("by", "domain");
          if (!by.equals("domain") && !by.equals("site")) {
            return usage("--by is domain or site");
          }
          printSummary(client.get("/queue/summary", Map.of("by", by)), by);
        }
        case "bulk", "jobs", "job", "cancel" -> {
          String problem = new BulkCommands(client, out).run(words, filter(options), options.containsKey("all"));
          if (problem != null) {
            return usage(problem);
          }
        }
        case "sites" -> printSites(client.get("/queue/sites", Map.of()));
        case "show", "flush", "hold", "release", "delete", "bounce" -> {
          if (words.size() != 2) {
            return usage(verb + " needs one queue id");
          }
          runOnOne(client, verb, words.get(1));
        }
        default -> {
          return usage("unknown queue command '" + verb + "'");
        }
      }
      return 0;
    } catch (IOException e) {
      err.println("hermod queue " + verb + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** The filter options given, under the API's names. */
  private static Map<String, String> filter(Map<String, String> options) {
    Map<String, String> filter = new LinkedHashMap<>();
    FILTERS.forEach((option, name) -> {
      if (options.containsKey(option)) {
        filter.put(name, options.get(option));
      }
    });
    return filter;
  }

  private void runOnOne(AdminClient client, String verb, String id) throws IOException, InterruptedException {
    String path = "/queue/" + id;
    switch (verb) {
      case "show" -> printShow(client.get(path, Map.of()));
      case "delete" -> {
        client.delete(path);
        out.println(id + " deleted");
      }
      default -> {
        JsonObject m = client.post(path + "/" + verb);
        out.println(id + " " + pastTense(verb) + " (state " + m.getString("state") + ", next attempt "
            + m.getString("nextAttempt") + ")");
      }
    }
  }

  private static String pastTense(String verb) {
    return switch (verb) {
      case "hold" -> "held";
      case "release" -> "released";
      case "flush" -> "flushed";
      default -> "bounced";
    };
  }

  private void printList(JsonObject answer) {
    Table t = new Table("ID", "STATE", "ARRIVAL", "NEXT ATTEMPT", "SIZE", "SENDER", "RECIPIENTS");
    for (Object o : answer.getJsonArray("messages")) {
      JsonObject m = (JsonObject) o;
      t.row(m.getString("id"), m.getString("state"), m.getString("arrival"), m.getString("nextAttempt"),
          String.valueOf(m.getLong("size")), m.getString("sender").isEmpty() ? "<>" : m.getString("sender"),
          recipients(m.getJsonArray("recipients")));
    }
    t.print(out);
    out.println(answer.getInteger("count") + " message(s)");
    if (answer.getString("next") != null) {
      out.println("more: --cursor " + answer.getString("next"));
    }
  }

  private static String recipients(JsonArray rcpts) {
    StringBuilder sb = new StringBuilder();
    for (Object o : rcpts) {
      JsonObject r = (JsonObject) o;
      sb.append(sb.length() == 0 ? "" : ", ").append(r.getString("address")).append(" (").append(r.getString("state"))
          .append(')');
    }
    return sb.toString();
  }

  private void printShow(JsonObject m) {
    out.println("id:           " + m.getString("id"));
    out.println("state:        " + m.getString("state"));
    out.println("sender:       " + (m.getString("sender").isEmpty() ? "<>" : m.getString("sender")));
    out.println("arrival:      " + m.getString("arrival"));
    out.println("next attempt: " + m.getString("nextAttempt"));
    out.println("held:         " + m.getBoolean("held"));
    out.println("size:         " + m.getLong("size"));
    Table t = new Table("RECIPIENT", "STATE", "ATTEMPTS", "LAST REPLY");
    for (Object o : m.getJsonArray("recipients")) {
      JsonObject r = (JsonObject) o;
      t.row(r.getString("address"), r.getString("state"), String.valueOf(r.getInteger("attempts")),
          r.getString("lastReply", ""));
    }
    t.print(out);
  }

  /** The router's (source, site) queues: which are dead or suspended, and what waits for them. */
  private void printSites(JsonObject answer) {
    Table t = new Table("QUEUE", "STATE", "WAITING", "IN FLIGHT", "PARKED", "CONNECTIONS", "UNTIL", "REASON");
    for (Object o : answer.getJsonArray("sites")) {
      JsonObject q = (JsonObject) o;
      t.row(q.getString("queue"), q.getString("state"), String.valueOf(q.getInteger("waiting")),
          String.valueOf(q.getInteger("inFlight")), String.valueOf(q.getInteger("parked")),
          String.valueOf(q.getInteger("connections")), q.getString("until", "-"), q.getString("reason", "-"));
    }
    t.print(out);
    out.println(answer.getJsonArray("sites").size() + " of " + answer.getInteger("total") + " queues shown, "
        + answer.getInteger("parked") + " messages parked");
  }

  private void printSummary(JsonObject shape, String by) {
    List<String> header = new ArrayList<>(List.of(by.equals("site") ? "SITE" : "DOMAIN", "TOTAL"));
    shape.getJsonArray("buckets").forEach(b -> header.add((String) b));
    Table t = new Table(header.toArray(String[]::new));
    t.row(shapeRow("TOTAL", shape.getJsonObject("total")));
    for (Object o : shape.getJsonArray("rows")) {
      JsonObject d = (JsonObject) o;
      t.row(shapeRow(d.getString("key"), d));
    }
    t.print(out);
    if (shape.getLong("more", 0L) > 0) {
      out.println("(" + shape.getLong("more") + " more not shown)");
    }
  }

  private static String[] shapeRow(String name, JsonObject row) {
    List<String> cells = new ArrayList<>(List.of(name, String.valueOf(row.getLong("total"))));
    row.getJsonArray("counts").forEach(c -> cells.add(String.valueOf(c)));
    return cells.toArray(String[]::new);
  }

  private int usage(String problem) {
    if (problem != null) {
      err.println("hermod queue: " + problem);
    }
    err.println(USAGE);
    return 2;
  }
}
