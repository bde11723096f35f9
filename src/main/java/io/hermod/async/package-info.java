/**
 * Sequencing of asynchronous steps in constant stack depth. A chain built by recursing inside
 * {@code compose}/{@code transform} grows one nested future per step: when the last step completes (or when
 * steps complete synchronously) the completions cascade through every level at once and overflow the stack
 * at a few tens of thousands of steps. Everything that runs one step per queued message goes through here.
 * And the hand-back of a batch's results to the event loops that asked, one task per event loop
 * ({@link io.hermod.async.ContextCompletions}).
 */
package io.hermod.async;
