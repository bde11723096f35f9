package io.hermod.config;

/**
 * Protocol and resource limits of the listener (all under "limits").
 *
 * @param maxMessageSize         octets, advertised in EHLO SIZE and enforced while streaming
 * @param maxRecipients          per message; the excess gets 452 4.5.3
 * @param maxConnections         concurrent sessions over all listeners; beyond: 421 4.7.0
 * @param maxConnectionsPerIp    concurrent sessions from one client address; beyond: 421 4.7.0
 * @param commandTimeoutSeconds  total time a command may take to arrive, from when the session was ready for it
 *                               (RFC 5321 §4.5.3.2.7: 5 min)
 * @param dataTimeoutSeconds     total time a line of DATA/BDAT content may take to arrive, from the end of the line
 *                               before it, the 354 or the BDAT command (RFC 5321 §4.5.3.2.8: 10 min; Postfix's
 *                               smtpd_per_record_deadline); this bounds idle time in content too
 * @param maxErrors              protocol errors per session before 421 and close
 * @param maxMessagesPerConnection transactions per session before 421 and close
 * @param maxReceivedHeaders     a message with this many Received headers is a loop (554 5.4.6)
 * @param maxLineLength          longest text line in DATA, CRLF included (RFC 5322 §2.1.1: 1000)
 * @param maxCommandLineLength   longest command line, CRLF included (RFC 5321 §4.5.3.1.4: 512)
 * @param maxConnectionRatePerIp connections from one untrusted client address per rate window; beyond: 421 4.7.0;
 *                               0 = no limit
 * @param connectionRateWindowSeconds the rate window, starting at an address's first connection
 * @param maxHeaderBytes         largest header section of a message, the client's octets (Postfix's header_size_limit);
 *                               beyond: 552 5.3.4
 * @param greetPauseMillis       on mx listeners, untrusted clients get the greeting's first line ("220-") at once and
 *                               its last line after this pause; one that talks before gets 554 5.5.0 and is
 *                               disconnected (postscreen's pregreet test); 0 = off
 */
public record Limits(long maxMessageSize, int maxRecipients, int maxConnections, int maxConnectionsPerIp,
                     int commandTimeoutSeconds, int dataTimeoutSeconds, int maxErrors,
                     int maxMessagesPerConnection, int maxReceivedHeaders, int maxLineLength,
                     int maxCommandLineLength, int maxConnectionRatePerIp, int connectionRateWindowSeconds,
                     long maxHeaderBytes, int greetPauseMillis) {
}
