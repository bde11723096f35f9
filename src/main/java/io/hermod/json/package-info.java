/**
 * JSON encoding on the per-message path: the spool's envelope lines and the event journal's entries, written
 * straight to UTF-8 bytes. Vert.x's Jackson codec cost ~12 % of the CPU per relayed message on those two alone
 * (issue #17): a generator per call, a Netty buffer, and a type dispatch per value.
 */
package io.hermod.json;
