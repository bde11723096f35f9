package io.hermod.admin;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code hermod queue bulk ACTION [filters] [--all] | jobs | job JOB | cancel JOB}: bulk actions in the
 * background and their progress (docs/operations.md, "Bulk actions").
 */
final class BulkCommands {

  private static final Set<String> ACTIONS = Set.of("hold", "release", "delete", "bounce", "flush");

  private final AdminClient client;
  private final PrintStream out;

  BulkCommands(AdminClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  /** Runs {@code words} (verb first); a usage problem, or null when done. */
  String run(List<String> words, Map<String, String> filter, boolean all) throws IOException, InterruptedException {
    String verb = words.get(0);
    if (verb.equals("jobs")) {
      printJobs(client.get("/queue/bulk", Map.of()));
      return null;
    }
    if (words.size() != 2) {
      return verb.equals("bulk") ? "bulk needs an action: hold, release, delete, bounce or flush"
          : verb + " needs one job id";
    }
    String word = words.get(1);
    switch (verb) {
      case "bulk" -> {
        if (!ACTIONS.contains(word)) {
          return "bulk " + word + ": the action is hold, release, delete, bounce or flush";
        }
        if (filter.isEmpty() && !all) {
          return "bulk " + word + " needs a filter, or --all for every queued message";
        }
        JsonObject request = new JsonObject().put("action", word).put("all", all);
        filter.forEach(request::put);
        String job = client.post("/queue/bulk", request).getString("job");
        out.println("bulk " + word + " started as job " + job + " (progress: hermod queue job " + job + ")");
      }
      case "job" -> printJob(client.get("/queue/bulk/" + word, Map.of()));
      default -> printJob(client.delete("/queue/bulk/" + word));
    }
    return null;
  }

  private void printJobs(JsonObject answer) {
    Table t = new Table("JOB", "ACTION", "STATE", "MATCHED", "DONE", "SKIPPED", "ERRORS", "STARTED", "FINISHED",
        "FILTER");
    for (Object o : answer.getJsonArray("jobs")) {
      JsonObject j = (JsonObject) o;
      t.row(j.getString("job"), j.getString("action"), j.getString("state"), count(j, "matched"), count(j, "done"),
          count(j, "skipped"), count(j, "errors"), j.getString("startedAt"), j.getString("finishedAt", "-"),
          filter(j.getJsonObject("filter")));
    }
    t.print(out);
  }

  private void printJob(JsonObject j) {
    out.println("job:      " + j.getString("job"));
    out.println("action:   " + j.getString("action"));
    out.println("filter:   " + filter(j.getJsonObject("filter")));
    out.println("state:    " + j.getString("state"));
    out.println("matched:  " + count(j, "matched"));
    out.println("done:     " + count(j, "done"));
    out.println("skipped:  " + count(j, "skipped"));
    out.println("errors:   " + count(j, "errors") + (j.getString("lastError") == null ? "" : " (last: "
        + j.getString("lastError") + ")"));
    out.println("restarts: " + j.getInteger("restarts", 0));
    out.println("started:  " + j.getString("startedAt"));
    out.println("finished: " + j.getString("finishedAt", "-"));
  }

  private static String count(JsonObject job, String name) {
    return String.valueOf(job.getLong(name, 0L));
  }

  /** "domain=example.com state=deferred", or "all". */
  private static String filter(JsonObject filter) {
    StringBuilder sb = new StringBuilder();
    filter.forEach(e -> {
      if (e.getValue() != null) {
        sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
      }
    });
    return sb.length() == 0 ? "all" : sb.toString();
  }
}
