package io.hermod.shaping;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The shaping rules in force and what they decided: suspensions, lowered caps and rates, bounces, each held
 * for a scope (a queue, a site for every source, a source for every site) until it expires. Decisions from
 * other nodes are applied here too (io.hermod.routing.SharedSuspensions), so a throttle seen anywhere holds
 * everywhere. Pure, with the time passed in; not thread-safe (the router's context).
 */
public final class ShapingState {

  /** A rule that fired: what to apply, where, and why; also what is announced to the other nodes. */
  public record Decision(String scope, ShapingRule.Action action, long durationMillis, int value, String reason) {
  }

  private static final class Controls {
    long suspendedUntil;
    long capUntil;
    int cap = Integer.MAX_VALUE;
    long rateUntil;
    int rate = Integer.MAX_VALUE;
    long bounceUntil;
    String reason = "";

    boolean expired(long now) {
      return now >= suspendedUntil && now >= capUntil && now >= rateUntil && now >= bounceUntil;
    }
  }

  private List<ShapingRule> rules;
  private final Map<String, Controls> controls = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> hits = new HashMap<>();

  public ShapingState(List<ShapingRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** New rules (configuration reload); decisions in force stay until they expire. */
  public void rules(List<ShapingRule> next) {
    rules = List.copyOf(next);
    hits.clear();
  }

  /**
   * The replies of one job of {@code queue} that did not deliver ("421 4.7.28 text", one per recipient): each
   * rule counts at most one hit per job. Returns the decisions made, already applied here.
   */
  public List<Decision> onReplies(QueueKey queue, List<String> replies, long now) {
    List<Decision> made = new ArrayList<>();
    for (ShapingRule rule : rules) {
      if (replies.stream().noneMatch(rule::matches)) {
        continue;
      }
      String scope = scopeOf(rule.scope(), queue);
      if (!threshold(rule, scope, now)) {
        continue;
      }
      String reply = replies.stream().filter(rule::matches).findFirst().orElse("");
      Decision d = new Decision(scope, rule.action(), rule.durationMillis(), rule.value(),
          "rule " + rule.name() + ": " + reply);
      apply(d, now);
      made.add(d);
    }
    return made;
  }

  /** Holds {@code d} from {@code now} on; never shortens a suspension or loosens a lower cap still in force. */
  public void apply(Decision d, long now) {
    Controls c = controls.computeIfAbsent(d.scope(), k -> new Controls());
    long until = now + d.durationMillis();
    switch (d.action()) {
      case SUSPEND -> c.suspendedUntil = Math.max(c.suspendedUntil, until);
      case BOUNCE -> c.bounceUntil = Math.max(c.bounceUntil, until);
      case LIMIT_CONNECTIONS -> {
        c.cap = now < c.capUntil ? Math.min(c.cap, d.value()) : d.value();
        c.capUntil = Math.max(c.capUntil, until);
      }
      case LIMIT_RATE -> {
        c.rate = now < c.rateUntil ? Math.min(c.rate, d.value()) : d.value();
        c.rateUntil = Math.max(c.rateUntil, until);
      }
      default -> throw new IllegalStateException(d.action().name());
    }
    c.reason = d.reason();
  }

  /** Until when {@code queue} is suspended (0 or a past time: it is not). */
  public long suspendedUntil(QueueKey queue, long now) {
    long until = 0;
    for (String scope : queue.scopes()) {
      Controls c = controls.get(scope);
      if (c != null && c.suspendedUntil > now) {
        until = Math.max(until, c.suspendedUntil);
      }
    }
    return until;
  }

  /** The connection cap for {@code queue}: {@code configured} or a lower one a rule set. */
  public int cap(QueueKey queue, int configured, long now) {
    int cap = configured;
    for (String scope : queue.scopes()) {
      Controls c = controls.get(scope);
      if (c != null && now < c.capUntil) {
        cap = Math.min(cap, c.cap);
      }
    }
    return cap;
  }

  /** Jobs per minute for {@code queue}: {@code configured} (0 = unlimited) or a lower one a rule set. */
  public int ratePerMinute(QueueKey queue, int configured, long now) {
    int rate = configured == 0 ? Integer.MAX_VALUE : configured;
    for (String scope : queue.scopes()) {
      Controls c = controls.get(scope);
      if (c != null && now < c.rateUntil) {
        rate = Math.min(rate, c.rate);
      }
    }
    return rate == Integer.MAX_VALUE ? 0 : rate;
  }

  /** Why mail for {@code queue} bounces now, or null when it does not. */
  public String bounceReason(QueueKey queue, long now) {
    return reason(queue, now, true);
  }

  /** Why {@code queue} is suspended now, or null when it is not. */
  public String suspendReason(QueueKey queue, long now) {
    return reason(queue, now, false);
  }

  private String reason(QueueKey queue, long now, boolean bounce) {
    for (String scope : queue.scopes()) {
      Controls c = controls.get(scope);
      if (c != null && now < (bounce ? c.bounceUntil : c.suspendedUntil)) {
        return c.reason;
      }
    }
    return null;
  }

  /** Forgets expired decisions and hits older than every rule's window (memory stays bounded by activity). */
  public void expire(long now) {
    controls.values().removeIf(c -> c.expired(now));
    long longest = rules.stream().mapToLong(ShapingRule::withinMillis).max().orElse(0);
    Iterator<ArrayDeque<Long>> it = hits.values().iterator();
    while (it.hasNext()) {
      ArrayDeque<Long> times = it.next();
      while (!times.isEmpty() && times.peekFirst() <= now - longest) {
        times.pollFirst();
      }
      if (times.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Scope keys in force (for tests and the queue views). */
  public int decisionsInForce(long now) {
    return (int) controls.values().stream().filter(c -> !c.expired(now)).count();
  }

  private boolean threshold(ShapingRule rule, String scope, long now) {
    if (rule.count() <= 1) {
      return true;
    }
    ArrayDeque<Long> times = hits.computeIfAbsent(rule.name() + "|" + scope, k -> new ArrayDeque<>());
    times.addLast(now);
    while (times.peekFirst() <= now - rule.withinMillis()) {
      times.pollFirst();
    }
    if (times.size() >= rule.count()) {
      times.clear();
      return true;
    }
    return false;
  }

  private static String scopeOf(ShapingRule.Scope scope, QueueKey queue) {
    String[] keys = queue.scopes();
    return switch (scope) {
      case SITE -> keys[0];
      case PROVIDER -> keys[1];
      case SOURCE -> keys[2];
    };
  }
}
