package io.hermod.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which class names "verticles[].class" accepts, and what it says about the others. */
class VerticleClassesTest {

  private static final ClassLoader LOADER = VerticleClassesTest.class.getClassLoader();

  @Test
  void aPublicVerticleWithANoArgumentConstructorIsFound() {
    assertEquals(SubmittingVerticle.class, VerticleClasses.resolve("io.hermod.app.SubmittingVerticle", LOADER));
    // The old callback style (AbstractVerticle implements Verticle, a Deployable) is a verticle too.
    assertEquals(OldStyleVerticle.class, VerticleClasses.resolve(OldStyleVerticle.class.getName(), LOADER));
    // The example in hermod.jar (docs/injection.md "Example").
    assertEquals(io.hermod.api.example.ExampleSenderVerticle.class,
        VerticleClasses.resolve("io.hermod.api.example.ExampleSenderVerticle", LOADER));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "com.example.Missing | no class com.example.Missing on the class path (java -cp hermod.jar:app.jar io.hermod.Main ...)",
      "not a class name! | no class not a class name! on the class path (java -cp hermod.jar:app.jar io.hermod.Main ...)",
      "java.lang.String | java.lang.String is not a verticle (extend io.vertx.core.VerticleBase or io.vertx.core.AbstractVerticle)",
      "io.vertx.core.Deployable | io.vertx.core.Deployable is abstract",
      "io.vertx.core.AbstractVerticle | io.vertx.core.AbstractVerticle is abstract",
      "io.hermod.app.HiddenConstructorVerticle | io.hermod.app.HiddenConstructorVerticle needs to be a public class with a public no-argument constructor",
      "io.hermod.app.VerticleClassesTest$PackagePrivateVerticle | io.hermod.app.VerticleClassesTest$PackagePrivateVerticle needs to be a public class with a public no-argument constructor",
  })
  void anythingElseIsRefusedSayingWhy(String name, String problem) {
    assertEquals(problem, assertThrows(IllegalArgumentException.class, () -> VerticleClasses.resolve(name, LOADER))
        .getMessage());
  }

  public static class OldStyleVerticle extends io.vertx.core.AbstractVerticle {
  }

  static class PackagePrivateVerticle extends io.vertx.core.VerticleBase {
  }
}
