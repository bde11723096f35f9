/**
 * Sending like a big sender (docs/delivery.md "Sites"): which remote <em>site</em> a destination belongs to
 * (the canonical form of its MX host set, or a configured provider), and the state the router keeps per
 * (egress source, site): connection windows, dead marks and probes, suspensions and shaping rules. Pure code
 * with an injected clock; the router's dispatcher and the delivery pool use it, neither owns it.
 */
package io.hermod.shaping;
