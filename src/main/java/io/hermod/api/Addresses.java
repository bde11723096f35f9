package io.hermod.api;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Event-bus addresses: the wiring between Hermod's verticles and the API for applications (docs/eventbus.md).
 * In a cluster (docs/cluster.md) {@link #ROUTER_TRIGGER} and {@link #DELIVERY_JOB} stay inside one node (their
 * consumers are local and senders use {@link #nodeLocal()}): they name files of that node's spool.
 * {@link #SUBMIT}, {@link #EVENTS} and {@link #SHAPING} span the cluster.
 */
public final class Addresses {

  /**
   * Spool → router: a message was committed or became due. Body: JSON {"id": queue id}. Sent, not
   * requested: a lost trigger is picked up by the router's periodic spool scan.
   */
  public static final String ROUTER_TRIGGER = "hermod.router.trigger";

  /**
   * Queue admin API → router: bounce a message by operator (docs/operations.md), request/reply, node-local.
   * Body: JSON {"id": queue id}. The reply, once the bounce is durably recorded, is the changed envelope (JSON as
   * in the spool); a refusal is a {@link io.vertx.core.eventbus.ReplyException} with an HTTP-like failure code
   * (404 no such message, 409 being delivered or nothing left to bounce, 503 router busy, 500 spool failure).
   */
  public static final String ROUTER_BOUNCE = "hermod.router.bounce";

  /**
   * Queue admin → router, node-local request/reply with no body: the router's (egress source, site) queues
   * now, as {@code {"sites": [...], "total": n}} (docs/operations.md "Sites"); GET /queue/sites.
   */
  public static final String ROUTER_SITES = "hermod.router.sites";

  /**
   * Router → delivery verticles: a {@link io.hermod.delivery.DeliveryJob} as JSON, request/reply; the reply
   * is a {@link io.hermod.delivery.DeliveryReport}. Any failure of the request means "not attempted".
   */
  public static final String DELIVERY_JOB = "hermod.delivery.job";

  /**
   * Router → delivery verticles: a {@link io.hermod.delivery.DeliveryBatch} (several waiting jobs of one queue,
   * delivered one after another), request/reply, node-local, handed over as an object; the reply is a
   * {@link io.hermod.delivery.DeliveryBatch.Reports}. With no consumer here (an application's own delivery
   * consumer on {@link #DELIVERY_JOB} only) the router sends the jobs one by one to {@link #DELIVERY_JOB}.
   */
  public static final String DELIVERY_BATCH = "hermod.delivery.batch";

  /**
   * Router → local delivery ({@link io.hermod.local.LocalDeliveryVerticle}): a {@link io.hermod.local.LocalJob}
   * as JSON, request/reply; the reply is a {@link io.hermod.delivery.DeliveryReport}. Any failure of the
   * request means "not attempted" (docs/local-delivery.md). Node-local, like DELIVERY_JOB: a job names a file
   * of this node's spool.
   */
  public static final String LOCAL_JOB = "hermod.local.job";

  /**
   * Delivery outcomes, published (not sent) once the outcome is durably recorded in the spool: one JSON event
   * per recipient outcome (fields in docs/eventbus.md).
   */
  public static final String EVENTS = "hermod.events";

  /**
   * Applications → injection API ({@link SubmitVerticle}): submit a message, request/reply. Body: JSON
   * {"from", "to": [...], one of "raw" / "rawBase64" / "message", optional "dsn" and "tag"}. The reply,
   * sent only once the message is durably spooled, is {"queueId", "recipients"}; a refusal is a
   * {@link io.vertx.core.eventbus.ReplyException} whose failure code is a {@link SubmitFailure} code
   * (400, 413, 500, 503). Fields in docs/injection.md; {@link HermodClient} wraps it.
   */
  public static final String SUBMIT = "hermod.submit";

  /**
   * Router → the routers of every node: a destination was suspended by shaping (docs/cluster.md), published.
   * Body: JSON {"node": sender's random id, "destination", "suspendMillis"}. Cluster-wide.
   */
  public static final String SHAPING = "hermod.shaping";

  /**
   * Applications → one node's event feed ({@code io.hermod.events.FeedVerticle}): the address of node {@code <id>}
   * is this prefix plus the id ({@link #feedNode(String)}), request/reply. Body: JSON with "op" one of "open",
   * "read", "ack", "remove" ({@link FeedProtocol}); failure codes 400, 404, 429, 500. {@link EventFeed} wraps it.
   */
  public static final String FEED_NODE_PREFIX = "hermod.feed.node.";

  /**
   * Applications → every node's event feed: "who serves the feed?", published, no body needed. Each node answers
   * by publishing its announcement on {@link #FEED_NODES}.
   */
  public static final String FEED_HELLO = "hermod.feed.hello";

  /**
   * Each node's event feed → applications, published at start, every 10 s and after each hello: {"node": id,
   * "address": its {@link #feedNode(String)}}. Cluster-wide.
   */
  public static final String FEED_NODES = "hermod.feed.nodes";

  /** The feed address of the node whose id is {@code nodeId}. */
  public static String feedNode(String nodeId) {
    return FEED_NODE_PREFIX + nodeId;
  }

  /** Options for a send to a node-local address: never leaves this Vert.x instance. */
  public static DeliveryOptions nodeLocal() {
    return new DeliveryOptions().setLocalOnly(true);
  }

  private Addresses() {
  }
}
