package io.hermod.routing;

/** Fails a {@link MxResolver#resolveHost} future; carries the outcome so callers map it like any other. */
public final class ResolutionException extends RuntimeException {

  private final Resolution.Failure failure;

  public ResolutionException(Resolution.Failure failure) {
    super(failure.detail(), null, false, false);
    this.failure = failure;
  }

  public Resolution.Failure failure() {
    return failure;
  }
}
