/**
 * Egress sources and pools (docs/delivery.md "Sources and pools"): which local address, and which EHLO name,
 * outbound mail is sent from. A source is a local address plus an EHLO name; a pool is a weighted set of
 * sources. {@link io.hermod.egress.EgressSelector} picks a message's pool (from the hermod.submit request, the
 * authenticated user, the sender domain or the default) and a source of it for each delivery job, preferring
 * sources whose (source, site) queue is not suspended. {@link io.hermod.egress.SourceAddresses} checks once at
 * start which source addresses exist on this node. Pure apart from that check: no Vert.x, no clock.
 */
package io.hermod.egress;
