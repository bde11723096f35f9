/**
 * The durable event feed (docs/events.md): every delivery outcome is appended to this node's event journal;
 * named, durable cursors read it at least once and in order; the feed verticle serves them over the event bus
 * to applications (their {@code io.hermod.api.EventFeed}); webhooks ({@code io.hermod.webhook}) read it too.
 * The fire-and-forget {@code hermod.events} publish stays for dashboards.
 */
package io.hermod.events;
