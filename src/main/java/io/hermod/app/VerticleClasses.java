package io.hermod.app;

import io.vertx.core.Deployable;

import java.lang.reflect.Modifier;

/**
 * Finds an application verticle's class by name ("verticles[].class", README "Your application and Hermod"),
 * so that a wrong name is a configuration error at start, before anything listens, rather than a failed
 * deployment once Hermod is up.
 */
public final class VerticleClasses {

  private VerticleClasses() {
  }

  /**
   * The class {@code name} on {@code loader}'s class path, not initialised (its static code runs at deployment).
   *
   * @throws IllegalArgumentException saying why it cannot be deployed: not found, not a verticle
   *                                  ({@link Deployable}: {@code VerticleBase}, {@code AbstractVerticle}...),
   *                                  abstract, or without a public no-argument constructor
   */
  public static Class<? extends Deployable> resolve(String name, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("no class " + name + " on the class path (java -cp hermod.jar:app.jar"
          + " io.hermod.Main ...)");
    }
    if (!Deployable.class.isAssignableFrom(c)) {
      throw new IllegalArgumentException(name + " is not a verticle (extend io.vertx.core.VerticleBase or"
          + " io.vertx.core.AbstractVerticle)");
    }
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
      throw new IllegalArgumentException(name + " is abstract");
    }
    try {
      if (!Modifier.isPublic(c.getModifiers()) || !Modifier.isPublic(c.getConstructor().getModifiers())) {
        throw new NoSuchMethodException();
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(name + " needs to be a public class with a public no-argument constructor");
    }
    return c.asSubclass(Deployable.class);
  }

  /** The loader application classes come from: the thread's context loader (as Vert.x uses), else Hermod's. */
  public static ClassLoader defaultLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : VerticleClasses.class.getClassLoader();
  }
}
