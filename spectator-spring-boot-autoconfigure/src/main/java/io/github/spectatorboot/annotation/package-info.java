/**
 * {@link io.github.spectatorboot.annotation.Timed @Timed} and
 * {@link io.github.spectatorboot.annotation.Counted @Counted}: annotations that record Spectator
 * meters for a Spring bean's methods. They depend on nothing; the aspects that read them live in
 * {@code io.github.spectatorboot.aop}.
 */
package io.github.spectatorboot.annotation;
