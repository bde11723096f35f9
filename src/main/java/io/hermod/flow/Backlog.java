package io.hermod.flow;

/**
 * The signal flow control follows: how many messages are due and waiting for the router's active window
 * (the queue index's READY count). Deferred, held and WAITING mail (for a dead or suspended site) are not in
 * it: mail that cannot go now must never slow intake down. Read from any thread, at every transaction: cheap.
 */
@FunctionalInterface
public interface Backlog {

  /** Messages due now and not yet taken by the router. */
  long due();

  /** No backlog ever (flow control never engages). */
  Backlog NONE = () -> 0;
}
