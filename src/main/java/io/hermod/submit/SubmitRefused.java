package io.hermod.submit;

import io.hermod.api.SubmitFailure;

/** A submission is refused: carries the failure kind and a message for the requester. No stack trace needed. */
final class SubmitRefused extends RuntimeException {

  private final SubmitFailure failure;

  SubmitRefused(SubmitFailure failure, String message) {
    super(message, null, false, false);
    this.failure = failure;
  }

  SubmitFailure failure() {
    return failure;
  }

  static SubmitRefused badRequest(String message) {
    return new SubmitRefused(SubmitFailure.BAD_REQUEST, message);
  }
}
