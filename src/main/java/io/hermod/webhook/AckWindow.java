package io.hermod.webhook;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The batches of one endpoint that are in flight or acknowledged but not yet committed, in journal order. With
 * several batches in flight a later one may be acknowledged first; the cursor may only move over the
 * contiguous acknowledged prefix, or a restart would skip the batch still failing. Bounded by the endpoint's
 * concurrency: a new batch starts only while {@link #size()} is below it, so a batch stuck at the head holds
 * back at most concurrency - 1 acknowledged ones.
 */
final class AckWindow {

  private static final class Slot {
    final long lastSeq;
    boolean acknowledged;

    Slot(long lastSeq) {
      this.lastSeq = lastSeq;
    }
  }

  private final Deque<Slot> slots = new ArrayDeque<>();
  private long dispatchedUpTo;
  private long committable;

  /** Starts after {@code position}, the cursor's committed seq. */
  AckWindow(long position) {
    this.dispatchedUpTo = position;
    this.committable = position;
  }

  /** Records a batch covering {@code (dispatchedUpTo(), lastSeq]}. */
  void dispatched(long lastSeq) {
    if (lastSeq <= dispatchedUpTo) {
      throw new IllegalArgumentException("batch up to " + lastSeq + " is not after " + dispatchedUpTo);
    }
    slots.addLast(new Slot(lastSeq));
    dispatchedUpTo = lastSeq;
  }

  /**
   * Marks the batch ending at {@code lastSeq} acknowledged; returns the new committable seq (the end of the
   * contiguous acknowledged prefix), unchanged when an earlier batch is still out.
   */
  long acknowledged(long lastSeq) {
    boolean found = false;
    for (Slot s : slots) {
      if (s.lastSeq == lastSeq) {
        s.acknowledged = true;
        found = true;
        break;
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no batch in flight ends at " + lastSeq);
    }
    while (!slots.isEmpty() && slots.peekFirst().acknowledged) {
      committable = slots.pollFirst().lastSeq;
    }
    return committable;
  }

  /** The highest seq handed to a batch: the next read starts after it. */
  long dispatchedUpTo() {
    return dispatchedUpTo;
  }

  /** The end of the contiguous acknowledged prefix: what the cursor may be committed to. */
  long committable() {
    return committable;
  }

  /** Batches in flight or waiting for an earlier one. */
  int size() {
    return slots.size();
  }
}
