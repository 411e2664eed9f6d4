package io.github.spectatorboot.autoconfigure;

import io.github.spectatorboot.actuate.SpectatorEndpoint;
import io.github.spectatorboot.annotation.Counted;
import io.github.spectatorboot.annotation.Timed;
import java.lang.reflect.Method;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * What a native image of an application using the starter must keep for reflection, registered
 * through {@code META-INF/spring/aot.factories} when Spring AOT processes the application: the
 * {@code /actuator/spectator} responses and the Atlas validation answer, which Jackson writes and
 * reads; the {@code spectator.*} properties, which Boot binds; the {@code @Timed} and
 * {@code @Counted} attributes, which the aspects read; and the one JDK method
 * {@code spectator-ext-jvm} looks up by name.
 */
final class SpectatorRuntimeHints implements RuntimeHintsRegistrar {

  /** Parsed from Atlas's 202 and 400 answers by the publisher; package-private, so named. */
  static final String VALIDATION_RESPONSE = "io.github.spectatorboot.publish.ValidationResponse";

  private static final String ENDPOINT_ANNOTATION = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

  @Override public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
    if (ClassUtils.isPresent(ENDPOINT_ANNOTATION, classLoader)) {
      // every type an operation answers with, and the types they hold, so new ones need no edit here
      for (Method operation : ReflectionUtils.getDeclaredMethods(SpectatorEndpoint.class)) {
        if (operation.isAnnotationPresent(ReadOperation.class)) {
          bindings.registerReflectionHints(hints.reflection(), operation.getGenericReturnType());
        }
      }
    }
    if (ClassUtils.isPresent(VALIDATION_RESPONSE, classLoader)) {
      bindings.registerReflectionHints(hints.reflection(), ClassUtils.resolveClassName(VALIDATION_RESPONSE, classLoader));
    }
    BindableRuntimeHintsRegistrar.forTypes(SpectatorProperties.class).registerHints(hints, classLoader);
    for (Class<?> annotation : List.of(Timed.class, Counted.class)) {
      hints.reflection().registerType(annotation, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
    // spectator-ext-jvm's Jmx reads the GC CPU time through this method where the JDK has it (20+)
    hints.reflection().registerType(java.lang.management.MemoryMXBean.class,
        type -> type.withMethod("getTotalGcCpuTime", List.of(), ExecutableMode.INVOKE));
  }
}
