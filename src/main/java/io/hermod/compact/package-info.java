/**
 * Compact in-memory tables for queues of millions of messages (docs/queue.md, "Memory"): queue ids packed
 * into 12 bytes with a stable slot each ({@link io.hermod.compact.IdTable}), and columns of primitives
 * indexed by slot that grow in fixed-size chunks (never a doubling copy of millions of entries); and the
 * bounded map of the most recent entries ({@link io.hermod.compact.RecentMap}) behind the spool's in-memory
 * shortcuts. Not thread-safe: the tables that use them lock.
 */
package io.hermod.compact;
